package ai.mirt.agent.eval;

import ai.mirt.agent.Intent;
import ai.mirt.agent.Stage;
import ai.mirt.common.Contact;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads {@link Script}s: every {@code .yaml}, {@code .yml} and {@code .json} file of a directory, sorted by file name,
 * or one such file. Strict on purpose: an unknown key, a misspelt state or a duplicated key is refused with the file
 * and the turn, because a script that silently expects less than its author meant passes when it should fail.
 */
public final class ScriptLoader {

  private static final List<String> EXTENSIONS = List.of(".yaml", ".yml", ".json");
  private static final List<String> SCRIPT_KEYS = List.of("name", "description", "customer", "turns");
  private static final List<String> CUSTOMER_KEYS = List.of("first_name", "name");
  private static final List<String> TURN_KEYS = List.of("say", "images", "state", "intent", "fields", "tags",
    "removed_tags", "no_tags", "says", "not_says", "photos", "escalation", "order", "order_status");

  // A key written twice would otherwise keep only its last value, and half of what the author expects is lost.
  private static final ObjectMapper YAML = YAMLMapper.builder()
    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper JSON = JsonMapper.builder()
    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private ScriptLoader() {
  }

  /**
   * The scripts of a directory in file-name order, or the one script of a file.
   *
   * @throws ScriptException when there is no such directory, no script in it, or a script cannot be read
   */
  public static List<Script> load(Path path) {
    if (Files.isRegularFile(path)) {
      return List.of(read(path));
    }
    if (!Files.isDirectory(path)) {
      throw new ScriptException(path + ": no such directory");
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(path)) {
      files = listing.filter(Files::isRegularFile).filter(ScriptLoader::isScript)
        .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new ScriptException(path + ": cannot list the directory: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new ScriptException(path + ": no conversations in it (" + String.join(", ", EXTENSIONS) + " files)");
    }
    return files.stream().map(ScriptLoader::read).toList();
  }

  /** Whether the file is a script by its name; hidden files (an editor's backups) are not. */
  public static boolean isScript(Path file) {
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    return !name.startsWith(".") && EXTENSIONS.stream().anyMatch(lower::endsWith);
  }

  /** One script file; errors name the file as given. */
  public static Script read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (MalformedInputException e) {
      throw new ScriptException(file + ": not UTF-8 text", e);
    } catch (IOException e) {
      throw new ScriptException(file + ": cannot read it: " + e.getMessage(), e);
    }
    return parse(file.toString(), file.getFileName().toString(), text);
  }

  /** A script from its text: JSON when the file name ends in {@code .json}, else YAML. */
  public static Script parse(String fileName, String text) {
    return parse(fileName, fileName, text);
  }

  private static Script parse(String where, String fileName, String text) {
    return new Reader(where, fileName).script(tree(where, fileName, text));
  }

  private static JsonNode tree(String where, String fileName, String text) {
    boolean json = fileName.toLowerCase(Locale.ROOT).endsWith(".json");
    try {
      if (json) {
        JsonNode root = JSON.readTree(text);
        if (root == null || root.isMissingNode()) {
          throw new ScriptException(where + ": the file is empty");
        }
        return root;
      }
      // Read document by document: a reader of values would take a list at the top for several documents.
      List<JsonNode> all = new ArrayList<>();
      try (JsonParser documents = YAML.createParser(text)) {
        while (documents.nextToken() != null) {
          all.add(YAML.readTree(documents));
        }
      }
      if (all.isEmpty() || all.get(0).isNull() || all.get(0).isMissingNode()) {
        throw new ScriptException(where + ": the file is empty");
      }
      if (all.size() > 1) {
        throw new ScriptException(where + ": holds " + all.size() + " YAML documents; write one conversation per file");
      }
      return all.get(0);
    } catch (JsonProcessingException e) {
      throw new ScriptException(where + ": not valid " + (json ? "JSON" : "YAML") + " " + why(e), e);
    } catch (IOException e) {
      throw new ScriptException(where + ": cannot read it: " + e.getMessage(), e);
    }
  }

  /** The parser's complaint in one line, with where it noticed it. */
  private static String why(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
      // The YAML parser's message spans several lines with a copy of the text; its parts say it in one.
      Mark at = y.getProblemMark();
      return "(line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1) + "): " + y.getProblem()
        + (y.getContext() == null ? "" : ", " + y.getContext());
    }
    String message = String.valueOf(e.getOriginalMessage()).strip().split("\\R", 2)[0];
    JsonLocation at = e.getLocation();
    return at != null && at.getLineNr() > 0
      ? "(line " + at.getLineNr() + ", column " + at.getColumnNr() + "): " + message
      : ": " + message;
  }

  /** Turns the tree of one file into a script, naming the file and turn in every error. */
  private static final class Reader {

    private final String where;
    private final String fileName;

    Reader(String where, String fileName) {
      this.where = where;
      this.fileName = fileName;
    }

    Script script(JsonNode root) {
      if (!root.isObject()) {
        throw error(0, "must hold a mapping with name, customer and turns at the top");
      }
      keys(root, SCRIPT_KEYS, 0);
      String name = scalar(root.get("name"), "name", 0);
      scalar(root.get("description"), "description", 0);
      JsonNode turns = root.get("turns");
      if (turns == null || !turns.isArray() || turns.isEmpty()) {
        throw error(0, "turns must list at least one turn");
      }
      List<ScriptTurn> out = new ArrayList<>();
      for (int i = 0; i < turns.size(); i++) {
        out.add(turn(turns.get(i), i + 1));
      }
      String shown = name == null || name.isBlank() ? stem(fileName) : name.strip();
      return new Script(fileName, shown, customer(root.get("customer")), out);
    }

    private Contact customer(JsonNode node) {
      if (absent(node)) {
        return Contact.EMPTY;
      }
      if (!node.isObject()) {
        throw error(0, "customer must be a mapping such as {first_name: Олена}");
      }
      keys(node, CUSTOMER_KEYS, 0);
      return new Contact(scalar(node.get("name"), "customer.name", 0),
        scalar(node.get("first_name"), "customer.first_name", 0), null, Map.of());
    }

    private ScriptTurn turn(JsonNode node, int n) {
      if (!node.isObject()) {
        throw error(n, "must be a mapping with say and what to expect");
      }
      keys(node, TURN_KEYS, n);
      String say = scalar(node.get("say"), "say", n);
      List<String> images = strings(node.get("images"), "images", n);
      for (String url : images) {
        if (!url.startsWith("https://")) {
          throw error(n, "images must be https URLs, got '" + url + "'");
        }
      }
      Boolean order = bool(node.get("order"), "order", n);
      String status = scalar(node.get("order_status"), "order_status", n);
      if (Boolean.FALSE.equals(order) && status != null) {
        throw error(n, "order_status expects an order, but order is false");
      }
      Object escalation = escalation(node.get("escalation"), n);
      Expect expect = new Expect(
        named(node.get("state"), "state", n, Stage::fromWire, Stage.values()),
        named(node.get("intent"), "intent", n, Intent::fromWire, Intent.values()),
        fields(node.get("fields"), n),
        strings(node.get("tags"), "tags", n),
        strings(node.get("removed_tags"), "removed_tags", n),
        strings(node.get("no_tags"), "no_tags", n),
        strings(node.get("says"), "says", n),
        strings(node.get("not_says"), "not_says", n),
        photos(node.get("photos"), n),
        escalation instanceof Boolean b ? b : null,
        escalation instanceof String s ? s : null,
        order, status);
      return new ScriptTurn(say, images, expect);
    }

    private <E extends Enum<E>> E named(JsonNode node, String key, int turn, Function<String, Optional<E>> parse,
                                        E[] values) {
      String v = scalar(node, key, turn);
      if (v == null) {
        return null;
      }
      return parse.apply(v).orElseThrow(() -> error(turn, key + " '" + v + "' is not one of "
        + String.join(", ", Arrays.stream(values).map(Enum::name).toList())));
    }

    private Map<String, String> fields(JsonNode node, int turn) {
      if (absent(node)) {
        return Map.of();
      }
      if (!node.isObject()) {
        throw error(turn, "fields must be a mapping of field names to values, such as {order_sum: 1250}");
      }
      Map<String, String> out = new LinkedHashMap<>();
      node.properties().forEach(e -> out.put(e.getKey(), scalar(e.getValue(), "fields." + e.getKey(), turn)));
      return out;
    }

    private Integer photos(JsonNode node, int turn) {
      if (absent(node)) {
        return null;
      }
      if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
        throw error(turn, "photos must be a whole number, 0 or more, got " + node);
      }
      return node.intValue();
    }

    /** {@code true}, {@code false} or a reason; {@code null} when the turn does not say. */
    private Object escalation(JsonNode node, int turn) {
      if (absent(node)) {
        return null;
      }
      if (node.isBoolean()) {
        return node.booleanValue();
      }
      if (node.isTextual() && !node.textValue().isBlank()) {
        return node.textValue().strip();
      }
      throw error(turn, "escalation must be true, false or a reason such as complaint, got " + node);
    }

    private Boolean bool(JsonNode node, String key, int turn) {
      if (absent(node)) {
        return null;
      }
      if (!node.isBoolean()) {
        throw error(turn, key + " must be true or false, got " + node);
      }
      return node.booleanValue();
    }

    /** A text, number or boolean as text; {@code null} when absent or {@code ~}. */
    private String scalar(JsonNode node, String key, int turn) {
      if (absent(node)) {
        return null;
      }
      if (!node.isValueNode()) {
        throw error(turn, key + " must be a single value, got " + node);
      }
      if (node.isBoolean()) {
        throw error(turn, key + " reads as " + node + ": YAML takes yes, no, on, off, true and false for true or "
          + "false; put the text in quotes");
      }
      return node.asText();
    }

    /** A list of texts; one value alone is a list of one. */
    private List<String> strings(JsonNode node, String key, int turn) {
      if (absent(node)) {
        return List.of();
      }
      List<JsonNode> items = new ArrayList<>();
      if (node.isArray()) {
        node.forEach(items::add);
      } else {
        items.add(node);
      }
      List<String> out = new ArrayList<>();
      for (JsonNode item : items) {
        if (!item.isValueNode() || item.isNull() || item.asText().isBlank()) {
          throw error(turn, key + " must be a value or a list of values, none empty, got " + node);
        }
        out.add(scalar(item, key, turn));
      }
      return out;
    }

    private void keys(JsonNode node, List<String> known, int turn) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!known.contains(e.getKey())) {
          throw error(turn, "unknown key '" + e.getKey() + "' (known: " + String.join(", ", known) + ")");
        }
      }
    }

    private static boolean absent(JsonNode node) {
      return node == null || node.isNull() || node.isMissingNode();
    }

    private ScriptException error(int turn, String message) {
      return new ScriptException(where + (turn > 0 ? ", turn " + turn : "") + ": " + message);
    }

    private static String stem(String fileName) {
      int dot = fileName.lastIndexOf('.');
      return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
  }
}
