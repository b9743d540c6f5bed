package ai.mirt.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Conversions between records and JSON that every contract needs; the records stay free of JSON types. */
public final class Json {

  private Json() {
  }

  public static JsonArray strings(List<String> values) {
    return new JsonArray(new ArrayList<>(values));
  }

  public static List<String> strings(JsonArray array) {
    if (array == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(array.size());
    for (Object o : array) {
      out.add(String.valueOf(o));
    }
    return List.copyOf(out);
  }

  /** A name → text map as a JSON object, in the map's order. */
  public static JsonObject object(Map<String, String> values) {
    JsonObject out = new JsonObject();
    values.forEach(out::put);
    return out;
  }

  /** A JSON object's values as text, in its order; null values are left out. */
  public static Map<String, String> stringMap(JsonObject json) {
    Map<String, String> out = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(e -> {
        if (e.getValue() != null) {
          out.put(e.getKey(), String.valueOf(e.getValue()));
        }
      });
    }
    return out;
  }

  /** A required string field; the message names the field so a bad payload says what is wrong. */
  public static String required(JsonObject json, String field) {
    Objects.requireNonNull(json, "message body is null");
    Object v = json.getValue(field);
    if (v == null || String.valueOf(v).isBlank()) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
    return String.valueOf(v);
  }
}
