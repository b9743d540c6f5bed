package ai.mirt.agent;

import java.util.Optional;

/** What a customer's turn is about; the name is written to the {@code ai_intent} field. */
public enum Intent {
  GREETING_ONLY,
  DISCOVERY_OR_QUESTION,
  PHOTO_IDENT,
  SIZE_HELP,
  COLOR_HELP,
  PAYMENT_DELIVERY,
  COMPLAINT,
  THANKYOU_SMALLTALK,
  OUT_OF_DOMAIN,
  UNKNOWN_OR_EMPTY;

  /** The intent named {@code wire}; empty for anything else (a model may answer with a name that is not ours). */
  public static Optional<Intent> fromWire(String wire) {
    if (wire == null) {
      return Optional.empty();
    }
    for (Intent i : values()) {
      if (i.name().equalsIgnoreCase(wire.trim())) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }
}
