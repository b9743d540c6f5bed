package ai.mirt.common;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A burst of one subscriber's messages that the agent answers with one reply.
 *
 * @param text         the messages' texts joined with {@code \n} in arrival order (empty texts left out)
 * @param images       every image of every message, in order
 * @param channel      channel of the latest message
 * @param contact      contact data of the latest message
 * @param messageCount how many inbound messages the turn holds
 * @param firstAt      epoch millis of the first message
 * @param attempt      1 for the first run; higher after an agent failure or an expired lease
 * @param reruns       how many times an earlier run of this burst was superseded by newer messages
 * @param replyTo      in response mode, where the latest message's request waits for the reply; else {@code null}
 * @param dueAt        epoch millis, by the store's clock, at which the burst became due; 0 when not known (a turn
 *                     taken back after its lease, one stored on Mirt's own)
 */
public record Turn(String subscriberId, String turnId, Channel channel, String text, List<String> images,
                   Contact contact, int messageCount, long firstAt, int attempt, int reruns, String traceId,
                   String replyTo, long dueAt) {

  /** A turn whose reply is pushed. */
  public Turn(String subscriberId, String turnId, Channel channel, String text, List<String> images, Contact contact,
              int messageCount, long firstAt, int attempt, int reruns, String traceId) {
    this(subscriberId, turnId, channel, text, images, contact, messageCount, firstAt, attempt, reruns, traceId, null);
  }

  /** A turn whose due time is not known. */
  public Turn(String subscriberId, String turnId, Channel channel, String text, List<String> images, Contact contact,
              int messageCount, long firstAt, int attempt, int reruns, String traceId, String replyTo) {
    this(subscriberId, turnId, channel, text, images, contact, messageCount, firstAt, attempt, reruns, traceId,
      replyTo, 0);
  }

  public Turn {
    text = text == null ? "" : text;
    images = images == null ? List.of() : List.copyOf(images);
    contact = contact == null ? Contact.EMPTY : contact;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("subscriberId", subscriberId)
      .put("turnId", turnId)
      .put("channel", channel.wire())
      .put("text", text)
      .put("images", Json.strings(images))
      .put("contact", contact.toJson())
      .put("messageCount", messageCount)
      .put("firstAt", firstAt)
      .put("attempt", attempt)
      .put("reruns", reruns)
      .put("traceId", traceId);
    if (dueAt > 0) {
      json.put("dueAt", dueAt);
    }
    // Only response mode has a request waiting: push mode's messages do not carry the key at all.
    return replyTo == null ? json : json.put("replyTo", replyTo);
  }

  public static Turn fromJson(JsonObject json) {
    return new Turn(
      Json.required(json, "subscriberId"),
      Json.required(json, "turnId"),
      Channel.required(json),
      json.getString("text", ""),
      Json.strings(json.getJsonArray("images")),
      Contact.fromJson(json.getJsonObject("contact")),
      json.getInteger("messageCount", 1),
      json.getLong("firstAt", 0L),
      json.getInteger("attempt", 1),
      json.getInteger("reruns", 0),
      json.getString("traceId"),
      json.getString("replyTo"),
      json.getLong("dueAt", 0L));
  }
}
