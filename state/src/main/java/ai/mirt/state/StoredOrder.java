package ai.mirt.state;

import ai.mirt.common.Json;
import io.vertx.core.json.JsonObject;

/**
 * An order as the {@link OrderStore} keeps it.
 *
 * @param order         the order's JSON as last saved
 * @param version       1 for the first save, one more for every save that changed the JSON
 * @param postedVersion the newest version the CRM took; 0 while none was
 * @param attempts      failed posts of the current version
 * @param createdAt     when the order was first saved (store clock, epoch millis)
 * @param updatedAt     when the current version was saved
 * @param nextAttemptAt when the current version is due (again), or its lease ends while it is being posted; 0 when
 *                      nothing is to be posted: the current version was posted, or abandoned
 * @param lastError     why the latest post of the current version failed; {@code null} when none did
 */
public record StoredOrder(String id, JsonObject order, int version, int postedVersion, int attempts, long createdAt,
                          long updatedAt, long nextAttemptAt, String lastError) {

  /** What an order is doing, for people: {@code posted}, {@code pending} or {@code abandoned}. */
  public String status() {
    if (postedVersion >= version) {
      return "posted";
    }
    return nextAttemptAt == 0 ? "abandoned" : "pending";
  }

  /** The subscriber the order belongs to, as text; empty when the JSON does not name one. */
  public String subscriberId() {
    Object sub = order.getValue("subscriberId");
    return sub == null ? "" : String.valueOf(sub);
  }

  /** The name the CRM tells this version by: {@code id:version}. */
  public String idempotencyKey() {
    return id + ":" + version;
  }

  /** Every field, and {@code status} for people (ignored by {@link #fromJson}). */
  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id)
      .put("order", order)
      .put("version", version)
      .put("postedVersion", postedVersion)
      .put("attempts", attempts)
      .put("createdAt", createdAt)
      .put("updatedAt", updatedAt)
      .put("nextAttemptAt", nextAttemptAt)
      .put("lastError", lastError)
      .put("status", status());
  }

  public static StoredOrder fromJson(JsonObject json) {
    return new StoredOrder(Json.required(json, "id"), json.getJsonObject("order", new JsonObject()),
      json.getInteger("version", 1), json.getInteger("postedVersion", 0), json.getInteger("attempts", 0),
      json.getLong("createdAt", 0L), json.getLong("updatedAt", 0L), json.getLong("nextAttemptAt", 0L),
      json.getString("lastError"));
  }
}
