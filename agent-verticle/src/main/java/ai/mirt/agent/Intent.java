package ai.mirt.agent;

import java.util.Locale;

/** What a customer's turn is about; its wire name is written to the {@code ai_intent} field. */
public enum Intent {
  GREETING,
  CATALOG,
  CATEGORY,
  PRODUCT,
  PRICE,
  SIZE,
  COLOR,
  DELIVERY,
  PAYMENT,
  COMPLAINT,
  THANKS,
  OTHER,
  /** Set by moderation, never by {@link IntentDetector}: the text was abusive. */
  ABUSE,
  /** The {@code /restart} command, answered before the graph runs. */
  RESTART;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Intent fromWire(String wire) {
    if (wire == null || wire.isBlank()) {
      return OTHER;
    }
    try {
      return valueOf(wire.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return OTHER;
    }
  }
}
