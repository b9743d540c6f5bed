package ai.mirt.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static ai.mirt.testkit.ManyChatValidatorViolations.child;
import static ai.mirt.testkit.ManyChatValidatorViolations.describe;
import static ai.mirt.testkit.ManyChatValidatorViolations.isScalar;

/**
 * The Dynamic Block v2 rules. ManyChat's Swagger leaves the block undescribed, so these come from the
 * Dynamic Block reference and the limits in Mirt's ManyChat contract (Instagram being the strictest channel).
 */
final class ManyChatValidatorDynamicBlock {

  static final int MAX_MESSAGES = 10;
  static final int MAX_ACTIONS = 5;
  static final int MAX_QUICK_REPLIES = 11;
  static final int MAX_BUTTONS = 3;
  static final int MAX_CARDS = 10;
  static final int MAX_TEXT_BYTES = 1000;
  static final int MAX_CAPTION_CHARS = 20;
  static final int MAX_CARD_TEXT_CHARS = 80;

  private static final String INSTAGRAM = "instagram";
  private static final List<String> CHANNELS = List.of(INSTAGRAM, "facebook", "whatsapp", "telegram");

  private static final List<String> BLOCK_KEYS = List.of("version", "content");
  private static final List<String> CONTENT_KEYS = List.of("type", "messages", "actions", "quick_replies");
  private static final List<String> TEXT_KEYS = List.of("type", "text", "buttons");
  // caption is listed so that it is reported once, by its own sentence, rather than also as an unknown key
  private static final List<String> IMAGE_KEYS = List.of("type", "url", "buttons", "caption");
  private static final List<String> CARDS_KEYS = List.of("type", "elements", "image_aspect_ratio");
  private static final List<String> CARD_KEYS = List.of("title", "subtitle", "image_url", "action_url", "buttons");
  private static final List<String> VIDEO_KEYS = List.of("type", "url", "buttons");
  private static final List<String> MEDIA_KEYS = List.of("type", "url");
  private static final List<String> ASPECT_RATIOS = List.of("horizontal", "square");

  private static final List<String> BUTTON_TYPES = List.of("flow", "url", "dynamic_block_callback");
  private static final List<String> FLOW_BUTTON_KEYS = List.of("type", "caption", "target");
  private static final List<String> URL_BUTTON_KEYS = List.of("type", "caption", "url", "webview_size");
  private static final List<String> CALLBACK_BUTTON_KEYS =
    List.of("type", "caption", "url", "method", "headers", "payload");
  private static final List<String> WEBVIEW_SIZES = List.of("full", "medium", "compact");
  private static final List<String> CALLBACK_METHODS = List.of("get", "post");

  private static final List<String> ACTIONS = List.of("add_tag", "remove_tag", "set_field_value", "unset_field_value");
  private static final List<String> TAG_ACTION_KEYS = List.of("action", "tag_name");
  private static final List<String> SET_FIELD_KEYS = List.of("action", "field_name", "value");
  private static final List<String> UNSET_FIELD_KEYS = List.of("action", "field_name");

  private ManyChatValidatorDynamicBlock() {
  }

  /** A sendContent call's block: it must put at least one message in front of the customer. */
  static void validate(Object value, String pointer, ManyChatValidatorViolations out) {
    validate(value, pointer, 1, out);
  }

  /**
   * @param minMessages 1 for sendContent; 0 for the answer to a held webhook request (response mode), which may only
   *                    set fields and tags, or say nothing when a newer request of the customer takes over
   */
  static void validate(Object value, String pointer, int minMessages, ManyChatValidatorViolations out) {
    if (!(value instanceof JsonObject block)) {
      out.add(pointer, "must be a Dynamic Block v2 object, not " + describe(value));
      return;
    }
    out.onlyKeys(block, pointer, BLOCK_KEYS, "a Dynamic Block");
    Object version = block.getValue("version");
    if (!block.containsKey("version")) {
      out.add(child(pointer, "version"), "is required but missing; it must be \"v2\"");
    } else if (!"v2".equals(version)) {
      out.add(child(pointer, "version"), "must be \"v2\", not " + describe(version));
    }
    String at = child(pointer, "content");
    Object content = block.getValue("content");
    if (!(content instanceof JsonObject c)) {
      out.add(at, block.containsKey("content") ? "must be an object, not " + describe(content) : "is required but missing");
      return;
    }
    content(c, at, minMessages, out);
  }

  private static void content(JsonObject content, String pointer, int minMessages, ManyChatValidatorViolations out) {
    out.onlyKeys(content, pointer, CONTENT_KEYS, "a Dynamic Block's content");
    String channel = out.requiredText(content, "type", pointer);
    if (channel != null && !CHANNELS.contains(channel)) {
      out.add(child(pointer, "type"),
        "must be one of " + String.join(", ", CHANNELS) + ", not " + describe(channel));
      channel = null;
    }
    JsonArray messages = out.array(content, "messages", pointer, minMessages, MAX_MESSAGES, true, "messages");
    if (messages != null) {
      for (int i = 0; i < messages.size(); i++) {
        message(messages.getValue(i), child(child(pointer, "messages"), i), channel, out);
      }
    }
    JsonArray actions = out.array(content, "actions", pointer, 0, MAX_ACTIONS, false, "actions");
    if (actions != null) {
      for (int i = 0; i < actions.size(); i++) {
        action(actions.getValue(i), child(child(pointer, "actions"), i), out);
      }
    }
    JsonArray quickReplies =
      out.array(content, "quick_replies", pointer, 0, MAX_QUICK_REPLIES, false, "quick replies");
    if (quickReplies != null) {
      for (int i = 0; i < quickReplies.size(); i++) {
        button(quickReplies.getValue(i), child(child(pointer, "quick_replies"), i), "quick reply", out);
      }
    }
  }

  private static void message(Object value, String pointer, String channel, ManyChatValidatorViolations out) {
    if (!(value instanceof JsonObject message)) {
      out.add(pointer, "must be a message object, not " + describe(value));
      return;
    }
    String type = out.requiredText(message, "type", pointer);
    if (type == null) {
      return;
    }
    switch (type) {
      case "text" -> text(message, pointer, out);
      case "image" -> image(message, pointer, out);
      case "cards" -> cards(message, pointer, out);
      case "video", "audio", "file" -> media(message, type, pointer, channel, out);
      default -> out.add(child(pointer, "type"),
        "is \"" + type + "\", not a Dynamic Block message type (text, image, cards, video, audio, file)");
    }
  }

  private static void text(JsonObject message, String pointer, ManyChatValidatorViolations out) {
    out.onlyKeys(message, pointer, TEXT_KEYS, "a text message");
    String text = out.requiredText(message, "text", pointer);
    if (text != null) {
      int bytes = text.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_TEXT_BYTES) {
        out.add(child(pointer, "text"), "is " + bytes + " UTF-8 bytes long (" + text.codePointCount(0, text.length())
          + " characters); Instagram accepts at most " + MAX_TEXT_BYTES + " bytes, so the text must be split");
      }
    }
    buttons(message, pointer, out);
  }

  private static void image(JsonObject message, String pointer, ManyChatValidatorViolations out) {
    out.onlyKeys(message, pointer, IMAGE_KEYS, "an image message");
    if (message.containsKey("caption")) {
      out.add(child(pointer, "caption"),
        "is not allowed: image messages carry no caption key, words go in a text message of their own");
    }
    out.httpsUrl(message, "url", pointer, true);
    buttons(message, pointer, out);
  }

  private static void cards(JsonObject message, String pointer, ManyChatValidatorViolations out) {
    out.onlyKeys(message, pointer, CARDS_KEYS, "a cards message");
    String ratio = out.optionalText(message, "image_aspect_ratio", pointer);
    if (ratio != null && !ASPECT_RATIOS.contains(ratio)) {
      out.add(child(pointer, "image_aspect_ratio"),
        "must be one of " + String.join(", ", ASPECT_RATIOS) + ", not " + describe(ratio));
    }
    JsonArray elements = out.array(message, "elements", pointer, 1, MAX_CARDS, true, "cards");
    if (elements == null) {
      return;
    }
    for (int i = 0; i < elements.size(); i++) {
      String at = child(child(pointer, "elements"), i);
      Object value = elements.getValue(i);
      if (!(value instanceof JsonObject card)) {
        out.add(at, "must be a card object, not " + describe(value));
        continue;
      }
      out.onlyKeys(card, at, CARD_KEYS, "a card");
      String why = "ManyChat accepts 1 to " + MAX_CARD_TEXT_CHARS;
      String title = out.requiredText(card, "title", at);
      if (title != null) {
        out.charLimit(title, child(at, "title"), 1, MAX_CARD_TEXT_CHARS, why);
      }
      String subtitle = out.optionalText(card, "subtitle", at);
      if (subtitle != null) {
        out.charLimit(subtitle, child(at, "subtitle"), 0, MAX_CARD_TEXT_CHARS, "ManyChat accepts at most "
          + MAX_CARD_TEXT_CHARS);
      }
      out.httpsUrl(card, "image_url", at, false);
      out.httpsUrl(card, "action_url", at, false);
      buttons(card, at, out);
    }
  }

  private static void media(JsonObject message, String type, String pointer, String channel,
                            ManyChatValidatorViolations out) {
    if (INSTAGRAM.equals(channel)) {
      out.add(child(pointer, "type"),
        "is \"" + type + "\", which is not supported on Instagram (only text, image and cards)");
      return;
    }
    out.onlyKeys(message, pointer, "video".equals(type) ? VIDEO_KEYS : MEDIA_KEYS, "a " + type + " message");
    out.httpsUrl(message, "url", pointer, true);
    buttons(message, pointer, out);
  }

  private static void buttons(JsonObject owner, String pointer, ManyChatValidatorViolations out) {
    JsonArray buttons = out.array(owner, "buttons", pointer, 0, MAX_BUTTONS, false, "buttons");
    if (buttons != null) {
      for (int i = 0; i < buttons.size(); i++) {
        button(buttons.getValue(i), child(child(pointer, "buttons"), i), "button", out);
      }
    }
  }

  /** Buttons and quick replies share their types and caption limit; {@code noun} says which one is checked. */
  private static void button(Object value, String pointer, String noun, ManyChatValidatorViolations out) {
    if (!(value instanceof JsonObject button)) {
      out.add(pointer, "must be a " + noun + " object, not " + describe(value));
      return;
    }
    String type = out.requiredText(button, "type", pointer);
    if (type == null) {
      return;
    }
    switch (type) {
      case "node" -> {
        out.add(child(pointer, "type"), "is \"node\", which does not work through ManyChat's Public API;"
          + " use a flow " + noun + " whose target is the flow's ns");
        return;
      }
      case "flow" -> {
        out.onlyKeys(button, pointer, FLOW_BUTTON_KEYS, "a flow " + noun);
        out.requiredText(button, "target", pointer);
      }
      case "url" -> {
        out.onlyKeys(button, pointer, URL_BUTTON_KEYS, "a url " + noun);
        out.httpsUrl(button, "url", pointer, true);
        oneOf(button, "webview_size", WEBVIEW_SIZES, pointer, out);
      }
      case "dynamic_block_callback" -> {
        out.onlyKeys(button, pointer, CALLBACK_BUTTON_KEYS, "a dynamic_block_callback " + noun);
        out.httpsUrl(button, "url", pointer, true);
        oneOf(button, "method", CALLBACK_METHODS, pointer, out);
        objectIfPresent(button, "headers", pointer, out);
        objectIfPresent(button, "payload", pointer, out);
      }
      default -> {
        out.add(child(pointer, "type"), "is \"" + type + "\", not a " + noun + " type Mirt sends ("
          + String.join(", ", BUTTON_TYPES) + ")");
        return;
      }
    }
    String caption = out.requiredText(button, "caption", pointer);
    if (caption != null) {
      out.charLimit(caption, child(pointer, "caption"), 1, MAX_CAPTION_CHARS,
        "ManyChat accepts 1 to " + MAX_CAPTION_CHARS + " (Instagram truncates longer captions)");
    }
  }

  private static void action(Object value, String pointer, ManyChatValidatorViolations out) {
    if (!(value instanceof JsonObject action)) {
      out.add(pointer, "must be an action object, not " + describe(value));
      return;
    }
    String name = out.requiredText(action, "action", pointer);
    if (name == null) {
      return;
    }
    switch (name) {
      case "add_tag", "remove_tag" -> {
        out.onlyKeys(action, pointer, TAG_ACTION_KEYS, "the " + name + " action");
        out.requiredText(action, "tag_name", pointer);
      }
      case "set_field_value" -> {
        out.onlyKeys(action, pointer, SET_FIELD_KEYS, "the set_field_value action");
        out.requiredText(action, "field_name", pointer);
        if (!action.containsKey("value")) {
          out.add(child(pointer, "value"), "is required but missing");
        } else if (!isScalar(action.getValue("value"))) {
          out.add(child(pointer, "value"),
            "must be a string, number or boolean, not " + describe(action.getValue("value")));
        }
      }
      case "unset_field_value" -> {
        out.onlyKeys(action, pointer, UNSET_FIELD_KEYS, "the unset_field_value action");
        out.requiredText(action, "field_name", pointer);
      }
      default -> out.add(child(pointer, "action"),
        "is \"" + name + "\", not a Dynamic Block action (" + String.join(", ", ACTIONS) + ")");
    }
  }

  private static void oneOf(JsonObject object, String key, List<String> allowed, String pointer,
                            ManyChatValidatorViolations out) {
    String value = out.optionalText(object, key, pointer);
    if (value != null && !allowed.contains(value)) {
      out.add(child(pointer, key), "must be one of " + String.join(", ", allowed) + ", not " + describe(value));
    }
  }

  private static void objectIfPresent(JsonObject object, String key, String pointer, ManyChatValidatorViolations out) {
    if (object.containsKey(key) && !(object.getValue(key) instanceof JsonObject)) {
      out.add(child(pointer, key), "must be an object, not " + describe(object.getValue(key)));
    }
  }
}
