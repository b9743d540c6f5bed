package ai.mirt.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Collects the violations of one validation run as sentences that start with the JSON pointer of the
 * offending value, and holds the small checks both the spec walk and the Dynamic Block rules share.
 */
final class ManyChatValidatorViolations {

  private static final int QUOTE_LIMIT = 60;

  private final List<String> sentences = new ArrayList<>();

  /** Records {@code problem} for the value at {@code pointer}; the root pointer "" reads as "(root)". */
  void add(String pointer, String problem) {
    sentences.add((pointer.isEmpty() ? "(root)" : pointer) + " " + problem);
  }

  /** Records a violation that concerns the request as a whole (its path or query), not a JSON value. */
  void addSentence(String sentence) {
    sentences.add(sentence);
  }

  List<String> list() {
    return List.copyOf(sentences);
  }

  static String child(String pointer, String key) {
    return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
  }

  static String child(String pointer, int index) {
    return pointer + "/" + index;
  }

  /** Flags every key of {@code object} outside {@code allowed}; {@code what} names the object in the sentence. */
  void onlyKeys(JsonObject object, String pointer, Collection<String> allowed, String what) {
    for (String key : object.fieldNames()) {
      if (!allowed.contains(key)) {
        add(child(pointer, key), "is not a key of " + what + " (allowed: " + String.join(", ", allowed) + ")");
      }
    }
  }

  /** A required, non-blank string; returns it, or null after recording why it is unusable. */
  String requiredText(JsonObject object, String key, String pointer) {
    String at = child(pointer, key);
    if (!object.containsKey(key)) {
      add(at, "is required but missing");
      return null;
    }
    Object value = object.getValue(key);
    if (!(value instanceof String text)) {
      add(at, "must be a string, not " + describe(value));
      return null;
    }
    if (text.isBlank()) {
      add(at, "must not be empty");
      return null;
    }
    return text;
  }

  /** An optional string; returns it when present and a string, otherwise null (recording a wrong type). */
  String optionalText(JsonObject object, String key, String pointer) {
    if (!object.containsKey(key)) {
      return null;
    }
    Object value = object.getValue(key);
    if (value instanceof String text) {
      return text;
    }
    add(child(pointer, key), "must be a string, not " + describe(value));
    return null;
  }

  /** Checks that {@code key} holds an https URL with a host, as ManyChat fetches media and callbacks over TLS only. */
  void httpsUrl(JsonObject object, String key, String pointer, boolean required) {
    String url = required ? requiredText(object, key, pointer) : optionalText(object, key, pointer);
    if (url == null) {
      return;
    }
    String at = child(pointer, key);
    try {
      URI uri = new URI(url);
      if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
        add(at, "must be an https URL, not " + describe(url));
      }
    } catch (URISyntaxException e) {
      add(at, "must be an https URL, not the malformed " + describe(url));
    }
  }

  /** Checks a character limit counted in code points, so an emoji or a Cyrillic letter counts as one. */
  void charLimit(String text, String pointer, int min, int max, String why) {
    int chars = text.codePointCount(0, text.length());
    if (chars < min || chars > max) {
      add(pointer, "is " + chars + " characters long; " + why);
    }
  }

  /**
   * An array under {@code key} with {@code min..max} items; returns it, or null when it is absent or not an
   * array. {@code noun} names the items in the sentence ("actions").
   */
  JsonArray array(JsonObject object, String key, String pointer, int min, int max, boolean required, String noun) {
    String at = child(pointer, key);
    if (!object.containsKey(key)) {
      if (required) {
        add(at, "is required but missing");
      }
      return null;
    }
    Object value = object.getValue(key);
    if (!(value instanceof JsonArray array)) {
      add(at, "must be an array, not " + describe(value));
      return null;
    }
    countLimit(array.size(), at, min, max, noun);
    return array;
  }

  void countLimit(int count, String pointer, int min, int max, String noun) {
    if (count < min || count > max) {
      String range = max == Integer.MAX_VALUE ? "at least " + min : min == 0 ? "at most " + max : min + " to " + max;
      add(pointer, "has " + count + " " + noun + "; ManyChat accepts " + range);
    }
  }

  static boolean isInteger(Object value) {
    return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
      || value instanceof BigInteger;
  }

  /** The scalar kinds a ManyChat custom field takes: text, number, boolean (dates travel as strings). */
  static boolean isScalar(Object value) {
    return value instanceof String || value instanceof Number || value instanceof Boolean;
  }

  /** Names the JSON kind of a value for a sentence, quoting short scalars so the reader sees what was sent. */
  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String text) {
      String shown = text.codePointCount(0, text.length()) > QUOTE_LIMIT
        ? text.substring(0, text.offsetByCodePoints(0, QUOTE_LIMIT)) + "…"
        : text;
      return "a string (\"" + shown + "\")";
    }
    if (isInteger(value)) {
      return "an integer (" + value + ")";
    }
    if (value instanceof Number) {
      return "a decimal number (" + value + ")";
    }
    if (value instanceof Boolean) {
      return "a boolean (" + value + ")";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    return "a " + value.getClass().getSimpleName();
  }
}
