package ai.mirt.agent;

import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What the model answers for one node, as the JSON schema of {@link #RESPONSE_FORMAT} asks for it. The schema and the
 * parser live together so they cannot drift apart. Parsing is lenient about what a model may leave out (an unknown
 * stage, an empty client) and strict about what makes an answer unusable (not JSON, no texts): that throws, and the
 * customer gets the honest text instead of a broken reply.
 *
 * @param messages   the texts to send, in order; never empty
 * @param productIds the catalog ids whose photos to show, in the order introduced, unchecked (validation checks them)
 * @param state      the stage name the model asks for, or {@code null}
 * @param intent     the intent name the model reports, or {@code null}
 * @param escalation why a person should take over, or {@code null}
 * @param client     the delivery details the customer gave this turn, each {@code null} when not given
 * @param size       the size the customer chose for the product being discussed, or {@code null}
 * @param color      the colour the customer chose for it, or {@code null}
 */
public record ModelOutput(List<String> messages, List<String> productIds, String state, String intent,
                         String escalation, Conversation.Client client, Integer size, String color) {

  static final String MESSAGES = "messages";
  static final String PRODUCT_IDS = "product_ids";
  static final String STATE = "state";
  static final String INTENT = "intent";
  static final String ESCALATION = "escalation";
  static final String CLIENT = "client";
  static final String SIZE = "size";
  static final String COLOR = "color";

  /** The schema's name as OpenAI receives it. */
  static final String SCHEMA_NAME = "mirt_answer";

  /**
   * Structured output: a strict JSON schema, so a model that supports it can only answer in this shape. Strict mode
   * wants every property required and no others, so "nothing" is an empty string, an empty array or 0.
   */
  public static final ResponseFormat RESPONSE_FORMAT = ResponseFormat.builder()
    .type(ResponseFormatType.JSON)
    .jsonSchema(JsonSchema.builder().name(SCHEMA_NAME).rootElement(JsonObjectSchema.builder()
        .addProperty(MESSAGES, JsonArraySchema.builder()
          .description("the texts to send to the customer, in Ukrainian, in order; 1 to 3 short messages")
          .items(new JsonStringSchema()).build())
        .addProperty(PRODUCT_IDS, JsonArraySchema.builder()
          .description("catalog ids of the products whose photos to show, in the order the texts introduce them")
          .items(new JsonStringSchema()).build())
        .addProperty(STATE, JsonEnumSchema.builder().description("the conversation's stage after this answer")
          .enumValues(names(Stage.values())).build())
        .addProperty(INTENT, JsonEnumSchema.builder().description("what the customer's message is about")
          .enumValues(names(Intent.values())).build())
        .addStringProperty(ESCALATION, "empty, or a short reason why a shop manager must take over")
        .addProperty(CLIENT, JsonObjectSchema.builder()
          .description("delivery details the customer wrote in this message; empty strings for the rest")
          .addStringProperty("name", "first and last name of the recipient")
          .addStringProperty("phone", "phone number")
          .addStringProperty("city", "city")
          .addStringProperty("branch", "Nova Poshta branch number or address")
          .required("name", "phone", "city", "branch")
          .additionalProperties(false)
          .build())
        .addIntegerProperty(SIZE, "the size in cm the customer chose for the product being discussed, or 0")
        .addStringProperty(COLOR, "the colour the customer chose for the product being discussed, or empty")
        .required(MESSAGES, PRODUCT_IDS, STATE, INTENT, ESCALATION, CLIENT, SIZE, COLOR)
        .additionalProperties(false)
        .build())
      .build())
    .build();

  public ModelOutput {
    messages = List.copyOf(messages);
    productIds = List.copyOf(productIds);
    client = client == null ? Conversation.Client.EMPTY : client;
  }

  /**
   * Reads the model's answer.
   *
   * @throws IllegalStateException when it is not a JSON object or has no text to send
   */
  public static ModelOutput parse(String content) {
    JsonObject json = object(content);
    Object rawMessages = json.getValue(MESSAGES);
    if (!(rawMessages instanceof JsonArray array)) {
      throw new IllegalStateException("the model's answer has no '" + MESSAGES + "' array: " + abbreviate(content));
    }
    List<String> messages = new ArrayList<>();
    for (Object m : array) {
      if (!(m instanceof String s)) {
        throw new IllegalStateException("the model's '" + MESSAGES + "' must hold strings: " + abbreviate(content));
      }
      if (!s.isBlank()) {
        messages.add(s.strip());
      }
    }
    if (messages.isEmpty()) {
      throw new IllegalStateException("the model's answer has no text to send: " + abbreviate(content));
    }
    return new ModelOutput(messages, productIds(json), text(json.getValue(STATE)), text(json.getValue(INTENT)),
      text(json.getValue(ESCALATION)), client(json.getValue(CLIENT)), size(json.getValue(SIZE)),
      text(json.getValue(COLOR)));
  }

  private static JsonObject object(String content) {
    if (content == null || content.isBlank()) {
      throw new IllegalStateException("the model's answer is empty");
    }
    String body = content.strip();
    // Models without structured output tend to wrap JSON in a Markdown fence.
    if (body.startsWith("```")) {
      body = body.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalStateException("the model's answer is not a JSON object: " + abbreviate(content));
    }
  }

  /** The ids in order, each once; anything but non-blank strings is left out. */
  private static List<String> productIds(JsonObject json) {
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    if (json.getValue(PRODUCT_IDS) instanceof JsonArray array) {
      for (Object o : array) {
        if (o instanceof String s && !s.isBlank()) {
          ids.add(s.strip());
        }
      }
    }
    return new ArrayList<>(ids);
  }

  private static Conversation.Client client(Object value) {
    if (!(value instanceof JsonObject c)) {
      return Conversation.Client.EMPTY;
    }
    return new Conversation.Client(text(c.getValue("name")), text(c.getValue("phone")), text(c.getValue("city")),
      text(c.getValue("branch")));
  }

  private static Integer size(Object value) {
    if (value instanceof Number n && n.intValue() > 0) {
      return n.intValue();
    }
    if (value instanceof String s && s.strip().matches("\\d{2,3}")) {
      return Integer.valueOf(s.strip());
    }
    return null;
  }

  /** A non-blank string stripped, else {@code null}. */
  private static String text(Object value) {
    return value instanceof String s && !s.isBlank() ? s.strip() : null;
  }

  private static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).toList();
  }

  /** Only the size of the answer: its text may repeat the customer's name, phone or address, which are never logged. */
  private static String abbreviate(String content) {
    return "(" + (content == null ? 0 : content.length()) + " characters, not logged)";
  }
}
