package ai.mirt.push;

import io.vertx.core.json.JsonObject;

/** One request to ManyChat's Page API: the path below the API base URL and the JSON body. */
public record ManyChatCall(String path, JsonObject body) {

  public JsonObject toJson() {
    return new JsonObject().put("path", path).put("body", body.copy());
  }
}
