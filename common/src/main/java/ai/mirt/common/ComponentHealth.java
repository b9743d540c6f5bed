package ai.mirt.common;

import io.vertx.core.json.JsonObject;

/** One component's entry in {@code GET /health}. */
public record ComponentHealth(boolean up, JsonObject details) {

  public ComponentHealth {
    details = details == null ? new JsonObject() : details;
  }

  public JsonObject toJson() {
    return details.copy().put("status", up ? "UP" : "DOWN");
  }

  public static ComponentHealth fromJson(JsonObject json) {
    JsonObject details = json.copy();
    details.remove("status");
    return new ComponentHealth("UP".equals(json.getString("status")), details);
  }
}
