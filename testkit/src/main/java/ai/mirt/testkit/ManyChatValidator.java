package ai.mirt.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static ai.mirt.testkit.ManyChatValidatorViolations.child;
import static ai.mirt.testkit.ManyChatValidatorViolations.describe;
import static ai.mirt.testkit.ManyChatValidatorViolations.isInteger;
import static ai.mirt.testkit.ManyChatValidatorViolations.isScalar;

/**
 * Checks request bodies Mirt sends to ManyChat against ManyChat's published Swagger (sending and subscriber
 * APIs, shipped under {@code manychat/} on the classpath) plus the limits of Mirt's ManyChat contract.
 * Tests call {@link #assertValid(String, JsonObject)} on every request a fake ManyChat records.
 *
 * <p>The spec's {@code required:} arrays decide what must be present; the {@code isRequired: true} its
 * generator stamps on every property is ignored. Immutable and thread-safe.
 */
public final class ManyChatValidator {

  static final String SENDING_RESOURCE = "/manychat/manychat-sending-api-openapi.yml";
  static final String SUBSCRIBER_RESOURCE = "/manychat/manychat-subscriber-api-openapi.yml";

  /** Both {@code /fb/page/removeTag} and {@code /fb/page/removeTagByName}: they delete the tag from the account. */
  private static final String ACCOUNT_WIDE_TAG_REMOVAL = "/fb/page/removeTag";
  private static final String SENDING_PREFIX = "/fb/sending/";
  private static final String DYNAMIC_BLOCK_PROPERTY = "data";
  private static final String FIELD_VALUE = "field_value";
  private static final List<String> FORBIDDEN_KEYS = List.of("message_tag", "otn_topic_name");
  private static final List<String> FIELD_ALTERNATIVES = List.of("field_name", "field_id");
  private static final int MAX_CUSTOM_FIELDS = 20;
  /** Array limits the spec states only in prose, keyed by operation path plus JSON pointer. */
  private static final Map<String, ItemLimit> PROSE_ARRAY_LIMITS =
    Map.of("/fb/subscriber/setCustomFields/fields", new ItemLimit(1, MAX_CUSTOM_FIELDS));
  private static final List<String> METHODS = List.of("post", "get");
  private static final int MAX_REF_HOPS = 16;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One operation of the spec; {@code document} is its YAML tree, against which {@code $ref}s resolve. */
  private record Operation(String path, String method, JsonNode document, JsonNode requestSchema,
                           JsonNode parameters) {
  }

  private record ItemLimit(int min, int max) {
  }

  private final Map<String, Operation> operations;

  private ManyChatValidator(Map<String, Operation> operations) {
    this.operations = Map.copyOf(operations);
  }

  /** The validator built from the spec files bundled with the test kit. */
  public static ManyChatValidator load() {
    return Bundled.INSTANCE;
  }

  /** A validator built from the given spec texts, so tests can show that the YAML drives the checks. */
  public static ManyChatValidator fromYaml(String sendingYaml, String subscriberYaml) {
    Map<String, Operation> operations = new LinkedHashMap<>();
    readOperations(sendingYaml, "sending", operations);
    readOperations(subscriberYaml, "subscriber", operations);
    return new ManyChatValidator(operations);
  }

  /**
   * Every problem with sending {@code body} to {@code path} (which may carry a {@code ?query} for the GET
   * methods), one sentence each, naming the JSON pointer of the offending value. Empty when the request is fine.
   */
  public List<String> violations(String path, JsonObject body) {
    ManyChatValidatorViolations out = new ManyChatValidatorViolations();
    int mark = path.indexOf('?');
    String route = mark < 0 ? path : path.substring(0, mark);
    String query = mark < 0 ? "" : path.substring(mark + 1);
    if (route.startsWith(ACCOUNT_WIDE_TAG_REMOVAL)) {
      out.addSentence(route + " is forbidden: it deletes the tag from the whole ManyChat account, irreversibly;"
        + " remove a contact's tag with /fb/subscriber/removeTagByName");
      return out.list();
    }
    Operation operation = operations.get(route);
    if (operation == null) {
      out.addSentence(route + " is not a path of ManyChat's sending or subscriber API spec");
      return out.list();
    }
    if (operation.requestSchema() != null) {
      if (!query.isEmpty()) {
        out.addSentence(route + " takes its input in the JSON body, not in the query string");
      }
      if (body == null) {
        out.add("", "is missing: POST " + route + " needs a JSON body");
      } else {
        JsonObject wire = asSent(body, out);
        if (wire != null) {
          validate(operation, operation.requestSchema(), wire, "", out);
        }
      }
    } else {
      checkQuery(operation, query, out);
      if (body != null && !body.isEmpty()) {
        out.add("", "must be empty: " + operation.method().toUpperCase() + " " + route
          + " takes its input in the query string");
      }
    }
    return out.list();
  }

  /** Throws an {@link AssertionError} listing every violation of {@link #violations(String, JsonObject)}. */
  public void assertValid(String path, JsonObject body) {
    failIfAny("ManyChat request to " + path, violations(path, body));
  }

  /** Checks a request a fake ManyChat recorded: its path, query and body as they went over the wire. */
  public void assertValid(RecordedRequest request) {
    String path = request.query() == null || request.query().isEmpty()
      ? request.path() : request.path() + "?" + request.query();
    JsonObject body = request.body() == null || request.body().isBlank() ? null : request.json();
    assertValid(path, body);
  }

  /**
   * The problems of a bare Dynamic Block v2, the body of a response-mode answer; pointers start at the block. Unlike
   * the {@code data} of sendContent, such a block may hold no messages ({@code "messages": []}): the answer to a
   * request a newer one replaced, or to a turn that only sets fields and tags.
   */
  public List<String> dynamicBlockViolations(JsonObject block) {
    ManyChatValidatorViolations out = new ManyChatValidatorViolations();
    if (block == null) {
      out.add("", "is missing: a Dynamic Block v2 object is required");
      return out.list();
    }
    JsonObject wire = asSent(block, out);
    if (wire != null) {
      ManyChatValidatorDynamicBlock.validate(wire, "", 0, out);
    }
    return out.list();
  }

  private static void failIfAny(String what, List<String> violations) {
    if (!violations.isEmpty()) {
      throw new AssertionError(what + " breaks " + violations.size() + " rule(s):\n  - "
        + String.join("\n  - ", violations));
    }
  }

  /**
   * The object as ManyChat would receive it: a round trip through the encoder turns Java-side values
   * (a {@code long} id, an enum, a {@code double} 12.0) into exactly the JSON that goes over the wire.
   */
  private static JsonObject asSent(JsonObject body, ManyChatValidatorViolations out) {
    try {
      return new JsonObject(body.encode());
    } catch (EncodeException | DecodeException e) {
      out.add("", "cannot be encoded as JSON: " + e.getMessage());
      return null;
    }
  }

  private void validate(Operation operation, JsonNode schemaOrRef, Object value, String pointer,
                        ManyChatValidatorViolations out) {
    JsonNode schema = resolve(operation, schemaOrRef);
    List<String> types = types(schema);
    if (!types.isEmpty() && types.stream().noneMatch(type -> hasType(value, type))) {
      out.add(pointer, "must be " + String.join(" or ", types.stream().map(ManyChatValidator::article).toList())
        + ", not " + describe(value));
      return;
    }
    JsonNode allowed = schema.get("enum");
    if (allowed != null && allowed.isArray() && !enumContains(allowed, value)) {
      out.add(pointer, "must be one of " + allowed + ", not " + describe(value));
    }
    if (value instanceof JsonObject object) {
      validateObject(operation, schema, object, pointer, out);
    } else if (value instanceof JsonArray array) {
      validateArray(operation, schema, array, pointer, out);
    }
  }

  private void validateObject(Operation operation, JsonNode schema, JsonObject object, String pointer,
                              ManyChatValidatorViolations out) {
    Set<String> required = new LinkedHashSet<>();
    schema.path("required").forEach(name -> required.add(name.asText()));
    Set<String> mustBePresent = new LinkedHashSet<>(required);
    // The generator marks both field_id and field_name required, while the method's description says to
    // name the field by one OR the other; sending both or neither is what ManyChat rejects.
    if (required.containsAll(FIELD_ALTERNATIVES)) {
      mustBePresent.removeAll(FIELD_ALTERNATIVES);
      long named = FIELD_ALTERNATIVES.stream().filter(object::containsKey).count();
      if (named != 1) {
        out.add(pointer, "must name the field by exactly one of field_name or field_id, not "
          + (named == 0 ? "neither" : "both"));
      }
    }
    for (String name : mustBePresent) {
      if (!object.containsKey(name)) {
        out.add(child(pointer, name), "is required by the spec of " + operation.path() + " but missing");
      }
    }
    JsonNode properties = schema.path("properties");
    // A schema that lists properties is taken as closed: a key ManyChat does not know is a bug in Mirt.
    boolean closed = properties.size() > 0 || !schema.path("additionalProperties").asBoolean(true);
    for (String key : object.fieldNames()) {
      String at = child(pointer, key);
      Object value = object.getValue(key);
      if (pointer.isEmpty() && FORBIDDEN_KEYS.contains(key)) {
        out.add(at, "must be absent: Mirt's automated replies send no message tag or notification topic"
          + " (HUMAN_AGENT is only for messages a person types)");
        continue;
      }
      JsonNode property = properties.get(key);
      if (property == null) {
        if (closed) {
          out.add(at, "is not a property of the " + operation.path() + " request in ManyChat's spec");
        }
        continue;
      }
      property = resolve(operation, property);
      if (isDynamicBlockSlot(operation, pointer, key, property)) {
        // The spec gives sendContent's data "additionalProperties: false" and no properties, which would
        // allow only {}: an artifact of the generator. The real shape is the Dynamic Block v2, checked instead.
        ManyChatValidatorDynamicBlock.validate(value, at, out);
        continue;
      }
      validate(operation, property, value, at, out);
      if (required.contains(key) && value instanceof String text && text.isBlank()) {
        out.add(at, "must not be empty");
      }
      // field_value has no type in the spec, only the prose "string, integer or boolean".
      if (FIELD_VALUE.equals(key) && !property.has("type") && !isScalar(value)) {
        out.add(at, "must be a string, number or boolean, not " + describe(value));
      }
    }
  }

  private void validateArray(Operation operation, JsonNode schema, JsonArray array, String pointer,
                             ManyChatValidatorViolations out) {
    ItemLimit limit = PROSE_ARRAY_LIMITS.getOrDefault(operation.path() + pointer,
      new ItemLimit(schema.path("minItems").asInt(0), schema.path("maxItems").asInt(Integer.MAX_VALUE)));
    out.countLimit(array.size(), pointer, limit.min(), limit.max(), "items");
    JsonNode items = schema.get("items");
    if (items != null) {
      for (int i = 0; i < array.size(); i++) {
        validate(operation, items, array.getValue(i), child(pointer, i), out);
      }
    }
  }

  private void checkQuery(Operation operation, String query, ManyChatValidatorViolations out) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        given.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    for (JsonNode parameter : operation.parameters()) {
      JsonNode resolved = resolve(operation, parameter);
      if (!"query".equals(resolved.path("in").asText())) {
        continue;
      }
      String name = resolved.path("name").asText();
      String raw = given.remove(name);
      String what = "query parameter " + name + " of " + operation.path();
      if (raw == null) {
        if (resolved.path("required").asBoolean(false)) {
          out.addSentence(what + " is required by the spec but missing");
        }
      } else if (types(resolve(operation, resolved.path("schema"))).equals(List.of("integer"))
        && !raw.matches("-?\\d+")) {
        out.addSentence(what + " must be an integer, not " + describe(raw));
      }
    }
    for (String unknown : given.keySet()) {
      out.addSentence("query parameter " + unknown + " is not in the spec of " + operation.path());
    }
  }

  private static boolean isDynamicBlockSlot(Operation operation, String pointer, String key, JsonNode property) {
    return operation.path().startsWith(SENDING_PREFIX) && pointer.isEmpty() && DYNAMIC_BLOCK_PROPERTY.equals(key)
      && property.path("properties").size() == 0 && property.path("additionalProperties").isBoolean()
      && !property.path("additionalProperties").asBoolean();
  }

  private static JsonNode resolve(Operation operation, JsonNode node) {
    JsonNode current = node;
    for (int hop = 0; hop < MAX_REF_HOPS && current.has("$ref"); hop++) {
      String ref = current.get("$ref").asText();
      if (!ref.startsWith("#/")) {
        throw new IllegalStateException("only local $refs are supported, found " + ref);
      }
      current = operation.document().at(ref.substring(1));
      if (current.isMissingNode()) {
        throw new IllegalStateException("unresolvable $ref " + ref + " in the spec of " + operation.path());
      }
    }
    return current;
  }

  /** The spec's {@code type}, which OpenAPI 3.1+ may give as a list such as {@code [string, 'null']}. */
  private static List<String> types(JsonNode schema) {
    JsonNode type = schema.get("type");
    List<String> types = new ArrayList<>();
    if (type != null && type.isArray()) {
      type.forEach(t -> types.add(t.asText()));
    } else if (type != null && type.isTextual()) {
      types.add(type.asText());
    }
    return types;
  }

  private static boolean hasType(Object value, String type) {
    return switch (type) {
      case "integer" -> isInteger(value);
      case "number" -> value instanceof Number;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "object" -> value instanceof JsonObject;
      case "array" -> value instanceof JsonArray;
      case "null" -> value == null;
      default -> throw new IllegalStateException("unknown type in the ManyChat spec: " + type);
    };
  }

  private static String article(String type) {
    return switch (type) {
      case "integer", "object", "array" -> "an " + type;
      case "null" -> "null";
      default -> "a " + type;
    };
  }

  private static boolean enumContains(JsonNode allowed, Object value) {
    for (JsonNode option : allowed) {
      if (option.isTextual() && option.asText().equals(value)
        || option.isNumber() && value instanceof Number number && option.decimalValue().compareTo(
          new BigDecimal(number.toString())) == 0
        || option.isBoolean() && Boolean.valueOf(option.asBoolean()).equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static void readOperations(String yaml, String which, Map<String, Operation> into) {
    JsonNode document;
    try {
      document = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the ManyChat " + which + " spec is not valid YAML", e);
    }
    JsonNode paths = document == null ? null : document.get("paths");
    if (paths == null || !paths.isObject()) {
      throw new IllegalArgumentException("the ManyChat " + which + " spec has no paths");
    }
    for (Map.Entry<String, JsonNode> entry : paths.properties()) {
      METHODS.stream().filter(method -> entry.getValue().has(method)).findFirst().ifPresent(method -> {
        JsonNode operation = entry.getValue().get(method);
        JsonNode schema = operation.path("requestBody").path("content").path("application/json").get("schema");
        into.put(entry.getKey(), new Operation(entry.getKey(), method, document, schema, operation.path("parameters")));
      });
    }
  }

  private static String resource(String name) {
    try (InputStream in = ManyChatValidator.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  /** Parsed once, on first use: the bundled spec never changes during a test run. */
  private static final class Bundled {
    static final ManyChatValidator INSTANCE = fromYaml(resource(SENDING_RESOURCE), resource(SUBSCRIBER_RESOURCE));
  }
}
