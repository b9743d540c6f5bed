package ai.mirt.common;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/** What ManyChat told us about the customer; every part is optional. Custom field values are kept as text. */
public record Contact(String name, String firstName, String igUsername, Map<String, String> customFields) {

  public static final Contact EMPTY = new Contact(null, null, null, Map.of());

  public Contact {
    customFields = customFields == null ? Map.of() : Map.copyOf(customFields);
  }

  public JsonObject toJson() {
    JsonObject fields = new JsonObject();
    customFields.forEach(fields::put);
    return new JsonObject()
      .put("name", name)
      .put("firstName", firstName)
      .put("igUsername", igUsername)
      .put("customFields", fields);
  }

  public static Contact fromJson(JsonObject json) {
    if (json == null) {
      return EMPTY;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    JsonObject raw = json.getJsonObject("customFields", new JsonObject());
    raw.forEach(e -> {
      if (e.getValue() != null) {
        fields.put(e.getKey(), String.valueOf(e.getValue()));
      }
    });
    return new Contact(json.getString("name"), json.getString("firstName"), json.getString("igUsername"), fields);
  }
}
