package ai.mirt.push;

import io.vertx.core.json.JsonObject;

/** One request to ManyChat's Page API: the path below the API base URL and the JSON body. */
public record ManyChatCall(String path, JsonObject body) {

  /** ManyChat's rate-limit groups: sendContent, and writes to a subscriber (custom fields, tags). */
  public enum Group {
    SEND_CONTENT("send-content"), SUBSCRIBER("subscriber");

    private final String wire;

    Group(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  public Group group() {
    return isSendContent() ? Group.SEND_CONTENT : Group.SUBSCRIBER;
  }

  /** A call that puts messages in front of the customer (the others only write to the contact). */
  public boolean isSendContent() {
    return path.equals(DynamicBlockBuilder.SEND_CONTENT);
  }

  /** The endpoint's last path segment, for metrics and logs. */
  public String endpoint() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public static ManyChatCall fromJson(JsonObject json) {
    String path = json.getString("path");
    if (path == null || !(json.getValue("body") instanceof JsonObject body)) {
      throw new IllegalArgumentException("a call needs a path and a JSON body");
    }
    return new ManyChatCall(path, body);
  }

  public JsonObject toJson() {
    return new JsonObject().put("path", path).put("body", body.copy());
  }
}
