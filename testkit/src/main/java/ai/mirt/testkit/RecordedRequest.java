package ai.mirt.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/** One request a fake server received: method, path (without query), query, headers and the raw body. */
public record RecordedRequest(String method, String path, String query, MultiMap headers, String body, long receivedAt) {

  public JsonObject json() {
    return new JsonObject(body);
  }

  public String header(String name) {
    return headers.get(name);
  }
}
