package ai.mirt.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's answer to a turn, channel-neutral; push turns it into ManyChat calls.
 *
 * @param messages     texts and images, in order
 * @param quickReplies captions of quick replies offered after the messages
 * @param state        the conversation stage, written to the {@code ai_state} field
 * @param intent       the detected intent, written to the {@code ai_intent} field
 * @param fields       further custom field values to set (name → value)
 * @param addTags      tags to add to the contact (push always adds {@code ai_responded})
 * @param removeTags   tags to remove from the contact
 */
public record Reply(String subscriberId, String turnId, Channel channel, List<OutMessage> messages,
                    List<String> quickReplies, String state, String intent, Map<String, String> fields,
                    List<String> addTags, List<String> removeTags, String traceId) {

  public Reply {
    messages = messages == null ? List.of() : List.copyOf(messages);
    quickReplies = quickReplies == null ? List.of() : List.copyOf(quickReplies);
    fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    addTags = addTags == null ? List.of() : List.copyOf(addTags);
    removeTags = removeTags == null ? List.of() : List.copyOf(removeTags);
  }

  public JsonObject toJson() {
    JsonArray msgs = new JsonArray();
    messages.forEach(m -> msgs.add(m.toJson()));
    JsonObject f = new JsonObject();
    fields.forEach(f::put);
    return new JsonObject()
      .put("subscriberId", subscriberId)
      .put("turnId", turnId)
      .put("channel", channel.wire())
      .put("messages", msgs)
      .put("quickReplies", Json.strings(quickReplies))
      .put("state", state)
      .put("intent", intent)
      .put("fields", f)
      .put("addTags", Json.strings(addTags))
      .put("removeTags", Json.strings(removeTags))
      .put("traceId", traceId);
  }

  public static Reply fromJson(JsonObject json) {
    List<OutMessage> msgs = new ArrayList<>();
    for (Object o : json.getJsonArray("messages", new JsonArray())) {
      if (!(o instanceof JsonObject m)) {
        throw new IllegalArgumentException("messages must hold objects");
      }
      msgs.add(OutMessage.fromJson(m));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    json.getJsonObject("fields", new JsonObject()).forEach(e -> fields.put(e.getKey(), String.valueOf(e.getValue())));
    return new Reply(
      Json.required(json, "subscriberId"),
      Json.required(json, "turnId"),
      Channel.required(json),
      msgs,
      Json.strings(json.getJsonArray("quickReplies")),
      json.getString("state"),
      json.getString("intent"),
      fields,
      Json.strings(json.getJsonArray("addTags")),
      Json.strings(json.getJsonArray("removeTags")),
      json.getString("traceId"));
  }
}
