package ai.mirt.state;

import ai.mirt.common.Json;
import io.vertx.core.json.JsonObject;

/**
 * Work given up, with the reason.
 *
 * @param id      the store's name for it, unique among the dead letters it keeps; {@code null} before it is stored
 * @param source  {@code debounce} (a turn the agent could not answer), {@code push} (a reply ManyChat did not take) or
 *                {@code orders} (an order version the shop's CRM did not take; {@code turnId} is {@code null})
 * @param code    short code for metrics ({@code agent_failed}, {@code lease_expired}, {@code 3011}, …)
 * @param at      epoch millis when it was recorded (the caller's clock; the store trims by its own)
 * @param payload the turn or the reply with its calls, as JSON
 */
public record DeadLetter(String id, String source, String subscriberId, String turnId, String code, String reason,
                         long at, JsonObject payload) {

  public DeadLetter {
    payload = payload == null ? new JsonObject() : payload;
  }

  /** A dead letter not yet stored: the store gives it its id. */
  public DeadLetter(String source, String subscriberId, String turnId, String code, String reason, long at,
                    JsonObject payload) {
    this(null, source, subscriberId, turnId, code, reason, at, payload);
  }

  public DeadLetter withId(String newId) {
    return new DeadLetter(newId, source, subscriberId, turnId, code, reason, at, payload);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (id != null) {
      json.put("id", id);
    }
    return json
      .put("source", source)
      .put("subscriberId", subscriberId)
      .put("turnId", turnId)
      .put("code", code)
      .put("reason", reason)
      .put("at", at)
      .put("payload", payload);
  }

  public static DeadLetter fromJson(JsonObject json) {
    return new DeadLetter(json.getString("id"), Json.required(json, "source"), Json.required(json, "subscriberId"),
      json.getString("turnId"), json.getString("code", ""), json.getString("reason", ""), json.getLong("at", 0L),
      json.getJsonObject("payload"));
  }
}
