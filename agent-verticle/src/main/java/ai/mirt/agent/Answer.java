package ai.mirt.agent;

import ai.mirt.common.OutMessage;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The assistant's answer to one turn, ready to become a reply: what to send, what to write to the contact, and what
 * to remember.
 *
 * @param messages     texts and images, in order, each photo once
 * @param quickReplies captions offered after the messages
 * @param stage        the stage after this turn ({@code ai_state})
 * @param intent       the turn's intent ({@code ai_intent})
 * @param fields       custom fields to set, by their default names ({@code ai_state}, {@code last_product}, …)
 * @param addTags      tags to add ({@code needs_human}, {@code order_started}, {@code order_paid})
 * @param removeTags   tags to remove ({@code needs_human} once the assistant handles a turn normally)
 * @param conversation the conversation to store
 * @param order        the order to store and post when this turn confirmed or changed one; {@code null} otherwise
 * @param step         the node that answered
 * @param escalation   why a person takes over, or {@code null}
 * @param failure      why the model could not answer, when it could not (for the log), or {@code null}
 */
public record Answer(List<OutMessage> messages, List<String> quickReplies, Stage stage, Intent intent,
                     Map<String, String> fields, List<String> addTags, List<String> removeTags,
                     Conversation conversation, JsonObject order, Step step, String escalation, String failure) {

  public Answer {
    messages = List.copyOf(messages);
    quickReplies = List.copyOf(quickReplies);
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    addTags = List.copyOf(addTags);
    removeTags = List.copyOf(removeTags);
  }

  /** The texts joined by new lines, as the history keeps them. */
  public String text() {
    return messages.stream().filter(m -> m.kind() == OutMessage.Kind.TEXT).map(OutMessage::value)
      .collect(Collectors.joining("\n"));
  }
}
