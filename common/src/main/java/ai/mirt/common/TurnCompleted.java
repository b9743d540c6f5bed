package ai.mirt.common;

import io.vertx.core.json.JsonObject;

/**
 * A turn is finished: its reply was delivered, dead-lettered with a reason, or the agent failed and the
 * turn should be retried.
 */
public record TurnCompleted(String subscriberId, String turnId, Outcome outcome, String reason) {

  public enum Outcome {
    /** ManyChat accepted every call of the reply (or the dry run recorded it). */
    DELIVERED,
    /** The reply cannot be delivered; it was recorded with the reason. */
    DEAD_LETTERED,
    /** The agent could not produce a reply; debounce retries the turn or dead-letters it. */
    FAILED,
    /** The reply was discarded because newer messages superseded the turn. */
    SUPERSEDED
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("subscriberId", subscriberId)
      .put("turnId", turnId)
      .put("outcome", outcome.name())
      .put("reason", reason);
  }

  public static TurnCompleted fromJson(JsonObject json) {
    String outcome = Json.required(json, "outcome");
    Outcome o;
    try {
      o = Outcome.valueOf(outcome);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown outcome '" + outcome + "'");
    }
    return new TurnCompleted(Json.required(json, "subscriberId"), Json.required(json, "turnId"), o,
      json.getString("reason", ""));
  }
}
