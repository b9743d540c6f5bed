package ai.mirt.common;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/** What ManyChat told us about the customer; every part is optional. Custom field values are kept as text. */
public record Contact(String name, String firstName, String igUsername, Map<String, String> customFields) {

  public static final Contact EMPTY = new Contact(null, null, null, Map.of());

  public Contact {
    customFields = customFields == null ? Map.of() : Map.copyOf(customFields);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("name", name)
      .put("firstName", firstName)
      .put("igUsername", igUsername)
      .put("customFields", Json.object(customFields));
  }

  public static Contact fromJson(JsonObject json) {
    if (json == null) {
      return EMPTY;
    }
    return new Contact(json.getString("name"), json.getString("firstName"), json.getString("igUsername"),
      Json.stringMap(json.getJsonObject("customFields")));
  }
}
