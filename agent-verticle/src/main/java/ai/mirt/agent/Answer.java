package ai.mirt.agent;

import ai.mirt.common.Json;
import ai.mirt.common.OutMessage;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a {@link Responder} says to a turn, plus what the conversation should remember from it.
 *
 * @param messages        texts and images, in order
 * @param quickReplies    captions offered after the messages
 * @param state           the stage after this answer ({@link Stages})
 * @param fields          custom field values to set besides {@code ai_state} and {@code ai_intent}
 * @param addTags         tags to add, e.g. {@code needs_human}
 * @param removeTags      tags to remove
 * @param shownProductIds products this answer is about (shown or discussed), remembered for the next turn
 * @param focusProductId  the single product being discussed after this answer, or {@code null}
 */
public record Answer(List<OutMessage> messages, List<String> quickReplies, String state, Map<String, String> fields,
                     List<String> addTags, List<String> removeTags, List<String> shownProductIds,
                     String focusProductId) {

  public static final String TAG_NEEDS_HUMAN = "needs_human";

  public Answer {
    messages = messages == null ? List.of() : List.copyOf(messages);
    quickReplies = quickReplies == null ? List.of() : List.copyOf(quickReplies);
    fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    addTags = addTags == null ? List.of() : List.copyOf(addTags);
    removeTags = removeTags == null ? List.of() : List.copyOf(removeTags);
    shownProductIds = shownProductIds == null ? List.of() : List.copyOf(shownProductIds);
  }

  /** The texts of the answer joined by new lines, as the conversation history keeps them. */
  public String text() {
    return messages.stream().filter(m -> m.kind() == OutMessage.Kind.TEXT).map(OutMessage::value)
      .collect(Collectors.joining("\n"));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("messages", OutMessage.toJson(messages))
      .put("quickReplies", Json.strings(quickReplies))
      .put("state", state)
      .put("fields", Json.object(fields))
      .put("addTags", Json.strings(addTags))
      .put("removeTags", Json.strings(removeTags))
      .put("shownProductIds", Json.strings(shownProductIds))
      .put("focusProductId", focusProductId);
  }

  public static Answer fromJson(JsonObject json) {
    return new Answer(OutMessage.listFromJson(json.getJsonArray("messages")),
      Json.strings(json.getJsonArray("quickReplies")), json.getString("state"), Json.stringMap(json.getJsonObject("fields")),
      Json.strings(json.getJsonArray("addTags")), Json.strings(json.getJsonArray("removeTags")),
      Json.strings(json.getJsonArray("shownProductIds")), json.getString("focusProductId"));
  }
}
