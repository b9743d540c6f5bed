package ai.mirt.state;

import ai.mirt.common.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * What both order stores need to tell a changed order from the same one saved again: the same fields in another order
 * are the same order, so orders are compared by a digest of their JSON with every object's keys sorted.
 */
final class OrderJson {

  private OrderJson() {
  }

  /**
   * The order's id, after checking that it names its subscriber too.
   *
   * @throws IllegalArgumentException naming the field that is missing
   */
  static String id(JsonObject order) {
    if (order == null) {
      throw new IllegalArgumentException("an order must be a JSON object");
    }
    Json.required(order, "subscriberId");
    return Json.required(order, "id");
  }

  /** SHA-256 of the JSON with sorted keys, in hex. */
  static String digest(JsonObject order) {
    String canonical = ((JsonObject) sorted(order)).encode();
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object sorted(Object value) {
    if (value instanceof JsonObject o) {
      TreeMap<String, Object> fields = new TreeMap<>();
      o.forEach(e -> fields.put(e.getKey(), sorted(e.getValue())));
      return new JsonObject(fields);
    }
    if (value instanceof JsonArray a) {
      List<Object> items = new ArrayList<>(a.size());
      a.forEach(item -> items.add(sorted(item)));
      return new JsonArray(items);
    }
    return value;
  }
}
