package ai.mirt.common;

import io.vertx.core.json.JsonObject;

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
 * @param replyTo      in response mode, the event-bus address of the webhook whose held request should carry this
 *                     reply; {@code null}: pushed through the API
 */
public record Reply(String subscriberId, String turnId, Channel channel, List<OutMessage> messages,
                    List<String> quickReplies, String state, String intent, Map<String, String> fields,
                    List<String> addTags, List<String> removeTags, String traceId, String replyTo) {

  /** A reply pushed through the API. */
  public Reply(String subscriberId, String turnId, Channel channel, List<OutMessage> messages,
               List<String> quickReplies, String state, String intent, Map<String, String> fields,
               List<String> addTags, List<String> removeTags, String traceId) {
    this(subscriberId, turnId, channel, messages, quickReplies, state, intent, fields, addTags, removeTags, traceId,
      null);
  }

  public Reply {
    messages = messages == null ? List.of() : List.copyOf(messages);
    quickReplies = quickReplies == null ? List.of() : List.copyOf(quickReplies);
    fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    addTags = addTags == null ? List.of() : List.copyOf(addTags);
    removeTags = removeTags == null ? List.of() : List.copyOf(removeTags);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("subscriberId", subscriberId)
      .put("turnId", turnId)
      .put("channel", channel.wire())
      .put("messages", OutMessage.toJson(messages))
      .put("quickReplies", Json.strings(quickReplies))
      .put("state", state)
      .put("intent", intent)
      .put("fields", Json.object(fields))
      .put("addTags", Json.strings(addTags))
      .put("removeTags", Json.strings(removeTags))
      .put("traceId", traceId);
    // Only response mode has a request waiting: push mode's messages do not carry the key at all.
    return replyTo == null ? json : json.put("replyTo", replyTo);
  }

  public static Reply fromJson(JsonObject json) {
    return new Reply(
      Json.required(json, "subscriberId"),
      Json.required(json, "turnId"),
      Channel.required(json),
      OutMessage.listFromJson(json.getJsonArray("messages")),
      Json.strings(json.getJsonArray("quickReplies")),
      json.getString("state"),
      json.getString("intent"),
      Json.stringMap(json.getJsonObject("fields")),
      Json.strings(json.getJsonArray("addTags")),
      Json.strings(json.getJsonArray("removeTags")),
      json.getString("traceId"),
      json.getString("replyTo"));
  }
}
