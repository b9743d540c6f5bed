package ai.mirt.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** One message of a reply: a text or an image (by https URL, without caption). */
public record OutMessage(Kind kind, String value) {

  public enum Kind { TEXT, IMAGE }

  public static OutMessage text(String text) {
    return new OutMessage(Kind.TEXT, text);
  }

  public static OutMessage image(String url) {
    return new OutMessage(Kind.IMAGE, url);
  }

  public JsonObject toJson() {
    return kind == Kind.TEXT
      ? new JsonObject().put("type", "text").put("text", value)
      : new JsonObject().put("type", "image").put("url", value);
  }

  public static OutMessage fromJson(JsonObject json) {
    String type = Json.required(json, "type");
    return switch (type) {
      case "text" -> text(Json.required(json, "text"));
      case "image" -> image(Json.required(json, "url"));
      default -> throw new IllegalArgumentException("unknown message type '" + type + "'");
    };
  }

  public static JsonArray toJson(List<OutMessage> messages) {
    JsonArray out = new JsonArray();
    messages.forEach(m -> out.add(m.toJson()));
    return out;
  }

  /** Reads a list of messages; the exception names what is wrong. */
  public static List<OutMessage> listFromJson(JsonArray array) {
    List<OutMessage> out = new ArrayList<>();
    for (Object o : array == null ? new JsonArray() : array) {
      if (!(o instanceof JsonObject m)) {
        throw new IllegalArgumentException("messages must hold objects");
      }
      out.add(fromJson(m));
    }
    return out;
  }
}
