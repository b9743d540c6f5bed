package ai.mirt.agent;

import ai.mirt.common.Channel;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A conversation as the store keeps it: the {@link Conversation}'s JSON plus what a message Mirt sends on its own (a
 * follow-up) and the subscriber view need and the conversation itself does not say: the channel the customer last
 * wrote on, when, and the intent of the latest answer.
 *
 * @param channel        {@code null} for a conversation stored before channels were kept
 * @param lastCustomerAt epoch millis of the latest turn of the customer; 0 when unknown
 * @param intent         the intent of the latest answer; {@code null} when unknown
 */
public record SavedConversation(Conversation conversation, Channel channel, long lastCustomerAt, String intent) {

  private static final Logger LOG = LoggerFactory.getLogger(SavedConversation.class);
  private static final String CHANNEL = "channel";
  private static final String LAST_CUSTOMER_AT = "lastCustomerAt";
  private static final String INTENT = "intent";

  public static SavedConversation empty() {
    return new SavedConversation(Conversation.empty(), null, 0, null);
  }

  /** The store's text; an empty or unreadable one starts over, with a warning naming the subscriber. */
  public static SavedConversation decode(String subscriberId, String json) {
    if (json == null || json.isEmpty()) {
      return empty();
    }
    try {
      JsonObject o = new JsonObject(json);
      return new SavedConversation(Conversation.fromJson(o), Channel.fromWire(o.getString(CHANNEL)).orElse(null),
        o.getLong(LAST_CUSTOMER_AT, 0L), o.getString(INTENT));
    } catch (RuntimeException e) {
      LOG.warn("unreadable conversation of subscriber {} starts over: {}", subscriberId, e.getMessage());
      return empty();
    }
  }

  /** This record with another conversation, the rest kept. */
  public SavedConversation with(Conversation next) {
    return new SavedConversation(next, channel, lastCustomerAt, intent);
  }

  /** The text to store. */
  public String encode() {
    JsonObject o = conversation.toJson();
    if (channel != null) {
      o.put(CHANNEL, channel.wire());
    }
    if (lastCustomerAt > 0) {
      o.put(LAST_CUSTOMER_AT, lastCustomerAt);
    }
    if (intent != null) {
      o.put(INTENT, intent);
    }
    return o.encode();
  }
}
