package ai.mirt.common;

import io.vertx.core.json.JsonObject;

/** agent → push: the reply of this turn is stored in the outbox and may be delivered. */
public record ReplyReady(String subscriberId, String turnId, String traceId) {

  public JsonObject toJson() {
    return new JsonObject().put("subscriberId", subscriberId).put("turnId", turnId).put("traceId", traceId);
  }

  public static ReplyReady fromJson(JsonObject json) {
    return new ReplyReady(Json.required(json, "subscriberId"), Json.required(json, "turnId"), json.getString("traceId"));
  }
}
