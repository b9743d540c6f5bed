package ai.mirt.webhook;

import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.InboundMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Reads the bodies ManyChat flows post to the webhook. Three shapes are understood:
 * <ol>
 *   <li>the documented body: {@code subscriber} (or {@code user}) with {@code id} (or {@code user_id}),
 *   {@code message} (or {@code data.message}) with {@code text} (or {@code content}), and {@code type};</li>
 *   <li>ManyChat's "Full Contact Data": top-level {@code id}, {@code last_input_text}, names, custom fields;</li>
 *   <li>the flat External Request body: {@code clientId} or {@code sessionId}, {@code message} as text,
 *   {@code image_url}, {@code type}.</li>
 * </ol>
 * Nothing else is guessed: a body that fits none of them is refused with the reason.
 */
public final class PayloadParser {

  public static final int MAX_TEXT_CHARS = 10_000;
  private static final int MAX_ID_CHARS = 128;

  private PayloadParser() {
  }

  public static InboundMessage parse(JsonObject body, long receivedAt, String traceId) {
    if (body.containsKey("subscriber") || body.containsKey("user")) {
      return documented(body, receivedAt, traceId);
    }
    if (body.containsKey("clientId") || body.containsKey("sessionId")) {
      return flat(body, receivedAt, traceId);
    }
    if (body.containsKey("id")) {
      return fullContact(body, receivedAt, traceId);
    }
    throw new BadRequestException("missing subscriber id (subscriber.id, user.id, id, clientId or sessionId)");
  }

  private static InboundMessage documented(JsonObject body, long receivedAt, String traceId) {
    String key = body.containsKey("subscriber") ? "subscriber" : "user";
    JsonObject sub = object(body, key);
    if (sub == null) {
      throw new BadRequestException("'" + key + "' must be an object");
    }
    String id = id(sub.getValue("id") != null ? sub.getValue("id") : sub.getValue("user_id"),
      key + ".id");
    JsonObject data = object(body, "data");
    Object rawMessage = body.containsKey("message") ? body.getValue("message")
      : data != null ? data.getValue("message") : null;
    String text;
    JsonObject message = null;
    if (rawMessage instanceof JsonObject m) {
      message = m;
      text = string(m, m.containsKey("text") ? "text" : "content", "message.text");
    } else if (rawMessage == null || rawMessage instanceof String) {
      text = (String) rawMessage;
    } else {
      throw new BadRequestException("'message' must be an object or a text");
    }
    List<String> images = new ArrayList<>();
    if (message != null) {
      Object attachments = message.getValue("attachments");
      if (attachments != null && !(attachments instanceof JsonArray)) {
        throw new BadRequestException("'message.attachments' must be an array");
      }
      if (attachments instanceof JsonArray list) {
        for (Object a : list) {
          if (a instanceof JsonObject att && "image".equals(att.getString("type"))) {
            JsonObject payload = att.getValue("payload") instanceof JsonObject p ? p : new JsonObject();
            addImage(images, payload.getValue("url"), "message.attachments[].payload.url");
          }
        }
      }
      addImage(images, message.getValue("image"), "message.image");
      addImage(images, message.getValue("image_url"), "message.image_url");
    }
    if (data != null) {
      addImage(images, data.getValue("image_url"), "data.image_url");
      addImage(images, data.getValue("photo_url"), "data.photo_url");
    }
    String messageId = firstId(message, "id", "mid", "message_id");
    if (messageId == null) {
      messageId = firstId(body, "message_id", "event_id");
    }
    if (messageId == null) {
      messageId = firstId(data, "message_id", "event_id");
    }
    return build(id, channel(body), text, images, messageId, contact(sub), receivedAt, traceId);
  }

  private static InboundMessage fullContact(JsonObject body, long receivedAt, String traceId) {
    String id = id(body.getValue("id"), "id");
    String text = string(body, "last_input_text", "last_input_text");
    return build(id, channel(body), text, new ArrayList<>(), firstId(body, "message_id", "event_id"),
      contact(body), receivedAt, traceId);
  }

  private static InboundMessage flat(JsonObject body, long receivedAt, String traceId) {
    String field = body.containsKey("clientId") ? "clientId" : "sessionId";
    String id = id(body.getValue(field), field);
    Object message = body.getValue("message");
    if (message != null && !(message instanceof String)) {
      throw new BadRequestException("'message' must be a text in the clientId/sessionId body");
    }
    List<String> images = new ArrayList<>();
    Object imageUrl = body.getValue("image_url");
    if (imageUrl instanceof JsonArray many) {
      for (Object o : many) {
        addImage(images, o, "image_url[]");
      }
    } else {
      addImage(images, imageUrl, "image_url");
    }
    return build(id, channel(body), (String) message, images, firstId(body, "message_id", "event_id"),
      Contact.EMPTY, receivedAt, traceId);
  }

  private static InboundMessage build(String id, Channel channel, String text, List<String> images,
                                      String messageId, Contact contact, long receivedAt, String traceId) {
    String t = text == null ? "" : text;
    List<String> all = new ArrayList<>(images);
    var cdnImage = ImageUrls.instagramImageText(t);
    if (cdnImage.isPresent()) {
      all.add(0, cdnImage.get());
      t = "";
    }
    if (t.codePointCount(0, t.length()) > MAX_TEXT_CHARS) {
      throw new BadRequestException("text is longer than " + MAX_TEXT_CHARS + " characters");
    }
    List<String> unique = new ArrayList<>(new LinkedHashSet<>(all));
    for (String url : unique) {
      ImageUrls.problem(url).ifPresent(p -> {
        throw new BadRequestException(p);
      });
    }
    if (t.isBlank() && unique.isEmpty()) {
      throw new BadRequestException("message has no text and no image");
    }
    return new InboundMessage(id, channel, t.strip(), unique, messageId, contact, receivedAt, traceId);
  }

  private static Channel channel(JsonObject body) {
    Object type = body.getValue("type");
    if (type == null) {
      return Channel.INSTAGRAM;
    }
    return Channel.fromWire(String.valueOf(type)).orElseThrow(() -> new BadRequestException(
      "unknown channel type '" + shown(String.valueOf(type)) + "' (expected instagram, facebook, whatsapp or telegram)"));
  }

  /** A client's value as it may appear in an error message and the log: short, on one line. */
  private static String shown(String value) {
    String oneLine = value.replaceAll("\\p{Cntrl}", "?");
    return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "…";
  }

  private static Contact contact(JsonObject o) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (o.getValue("custom_fields") instanceof JsonObject cf) {
      cf.forEach(e -> {
        if (e.getValue() != null && !(e.getValue() instanceof JsonObject) && !(e.getValue() instanceof JsonArray)) {
          fields.put(e.getKey(), String.valueOf(e.getValue()));
        }
      });
    }
    return new Contact(plain(o.getValue("name")), plain(o.getValue("first_name")),
      plain(o.getValue("ig_username")), fields);
  }

  private static String plain(Object v) {
    return v instanceof String s && !s.isBlank() ? s : null;
  }

  static String id(Object raw, String field) {
    if (raw == null || (raw instanceof String s && s.isBlank())) {
      throw new BadRequestException("missing subscriber id (" + field + ")");
    }
    String id;
    if ((raw instanceof Long || raw instanceof Integer) && ((Number) raw).longValue() >= 0) {
      id = raw.toString();
    } else if (raw instanceof Number n) {
      if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
        throw new BadRequestException("subscriber id (" + field + ") must be a whole number or a text");
      }
      BigDecimal d = new BigDecimal(n.toString());
      if (d.signum() < 0 || d.stripTrailingZeros().scale() > 0) {
        throw new BadRequestException("subscriber id (" + field + ") must be a whole number or a text");
      }
      id = d.toBigInteger().toString();
    } else if (raw instanceof String s) {
      id = s.trim();
    } else {
      throw new BadRequestException("subscriber id (" + field + ") must be a number or a text");
    }
    if (id.length() > MAX_ID_CHARS || id.chars().anyMatch(Character::isISOControl)) {
      throw new BadRequestException("subscriber id (" + field + ") is not a valid id");
    }
    return id;
  }

  private static String string(JsonObject o, String key, String name) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new BadRequestException("'" + name + "' must be a text");
    }
    return s;
  }

  private static void addImage(List<String> images, Object value, String name) {
    if (value == null) {
      return;
    }
    if (value instanceof String s) {
      if (!s.isBlank()) {
        images.add(s.trim());
      }
    } else if (value instanceof JsonObject o && o.getValue("url") instanceof String s) {
      images.add(s.trim());
    } else {
      throw new BadRequestException("'" + name + "' must be an image URL");
    }
  }

  private static String firstId(JsonObject o, String... keys) {
    if (o == null) {
      return null;
    }
    for (String k : keys) {
      Object v = o.getValue(k);
      if (v instanceof String s && !s.isBlank()) {
        return s;
      }
      if (v instanceof Number n) {
        return n.toString();
      }
    }
    return null;
  }

  private static JsonObject object(JsonObject o, String key) {
    return o.getValue(key) instanceof JsonObject j ? j : null;
  }
}
