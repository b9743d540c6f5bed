package ai.mirt.common;

import io.vertx.core.json.JsonObject;

/**
 * The store's answer when the agent hands a turn's reply over.
 *
 * @param deliver {@code true}: send the reply to push; {@code false}: discard it, newer messages superseded
 *                the turn and it will be re-run with all of them
 * @param reason  why, for the log
 */
public record HandoffDecision(boolean deliver, String reason) {

  public JsonObject toJson() {
    return new JsonObject().put("deliver", deliver).put("reason", reason);
  }

  public static HandoffDecision fromJson(JsonObject json) {
    Boolean deliver = json.getBoolean("deliver");
    if (deliver == null) {
      throw new IllegalArgumentException("missing field 'deliver'");
    }
    return new HandoffDecision(deliver, json.getString("reason", ""));
  }
}
