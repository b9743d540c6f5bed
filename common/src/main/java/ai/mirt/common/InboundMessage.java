package ai.mirt.common;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One customer message as the webhook accepted it.
 *
 * @param subscriberId ManyChat contact id, as text (numeric for real ManyChat contacts)
 * @param channel      the channel the message came from
 * @param text         the text, possibly empty when the message is only images
 * @param images       image URLs in the order the customer sent them
 * @param messageId    the id the payload carried for dedupe, or {@code null}
 * @param contact      what ManyChat sent about the customer
 * @param receivedAt   epoch millis when the webhook received it
 * @param traceId      id carried from the webhook to the ManyChat call in logs
 * @param replyTo      in response mode, the event-bus address of the webhook that holds this message's request
 *                     open for the reply; {@code null} in push mode
 */
public record InboundMessage(String subscriberId, Channel channel, String text, List<String> images,
                             String messageId, Contact contact, long receivedAt, String traceId, String replyTo) {

  /** A message whose reply is pushed (no request waits for it). */
  public InboundMessage(String subscriberId, Channel channel, String text, List<String> images, String messageId,
                        Contact contact, long receivedAt, String traceId) {
    this(subscriberId, channel, text, images, messageId, contact, receivedAt, traceId, null);
  }

  public InboundMessage {
    text = text == null ? "" : text;
    images = images == null ? List.of() : List.copyOf(images);
    contact = contact == null ? Contact.EMPTY : contact;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("subscriberId", subscriberId)
      .put("channel", channel.wire())
      .put("text", text)
      .put("images", Json.strings(images))
      .put("messageId", messageId)
      .put("contact", contact.toJson())
      .put("receivedAt", receivedAt)
      .put("traceId", traceId);
    // Only response mode has a request waiting: push mode's messages do not carry the key at all.
    return replyTo == null ? json : json.put("replyTo", replyTo);
  }

  public static InboundMessage fromJson(JsonObject json) {
    return new InboundMessage(
      Json.required(json, "subscriberId"),
      Channel.required(json),
      json.getString("text", ""),
      Json.strings(json.getJsonArray("images")),
      json.getString("messageId"),
      Contact.fromJson(json.getJsonObject("contact")),
      json.getLong("receivedAt", 0L),
      json.getString("traceId"),
      json.getString("replyTo"));
  }
}
