package ai.mirt.common;

import io.vertx.core.json.JsonObject;

/** agent → debounce: the agent has a reply for this turn and asks whether it may go out. */
public record Handoff(String subscriberId, String turnId) {

  public JsonObject toJson() {
    return new JsonObject().put("subscriberId", subscriberId).put("turnId", turnId);
  }

  public static Handoff fromJson(JsonObject json) {
    return new Handoff(Json.required(json, "subscriberId"), Json.required(json, "turnId"));
  }
}
