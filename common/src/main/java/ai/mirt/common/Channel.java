package ai.mirt.common;

import java.util.Locale;
import java.util.Optional;

/** The messaging channel of a conversation; its wire name is ManyChat's {@code content.type}. */
public enum Channel {
  INSTAGRAM("instagram"),
  FACEBOOK("facebook"),
  WHATSAPP("whatsapp"),
  TELEGRAM("telegram");

  private final String wire;

  Channel(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The {@code channel} field of a bus message; the exception names what is wrong. */
  public static Channel required(io.vertx.core.json.JsonObject json) {
    String value = Json.required(json, "channel");
    return fromWire(value).orElseThrow(() -> new IllegalArgumentException("unknown channel '" + value + "'"));
  }

  public static Optional<Channel> fromWire(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (Channel c : values()) {
      if (c.wire.equals(v)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
