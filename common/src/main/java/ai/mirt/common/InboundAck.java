package ai.mirt.common;

import io.vertx.core.json.JsonObject;

/** debounce's answer to {@link Addresses#INBOUND_MESSAGE}: the message is stored, or was seen before. */
public record InboundAck(boolean duplicate) {

  public JsonObject toJson() {
    return new JsonObject().put("status", duplicate ? "duplicate" : "stored");
  }

  public static InboundAck fromJson(JsonObject json) {
    String status = Json.required(json, "status");
    return switch (status) {
      case "stored" -> new InboundAck(false);
      case "duplicate" -> new InboundAck(true);
      default -> throw new IllegalArgumentException("unknown ack status '" + status + "'");
    };
  }
}
