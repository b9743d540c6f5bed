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
 */
public record InboundMessage(String subscriberId, Channel channel, String text, List<String> images,
                             String messageId, Contact contact, long receivedAt, String traceId) {

  public InboundMessage {
    text = text == null ? "" : text;
    images = images == null ? List.of() : List.copyOf(images);
    contact = contact == null ? Contact.EMPTY : contact;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("subscriberId", subscriberId)
      .put("channel", channel.wire())
      .put("text", text)
      .put("images", Json.strings(images))
      .put("messageId", messageId)
      .put("contact", contact.toJson())
      .put("receivedAt", receivedAt)
      .put("traceId", traceId);
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
      json.getString("traceId"));
  }
}
