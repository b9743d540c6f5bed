package ai.mirt.agent;

import ai.mirt.agent.Catalog.Product;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Answers through an OpenAI-compatible chat model (langchain4j). The model sees the whole catalog and the
 * conversation and answers with JSON: the reply, the products whose photos to show, and whether a person must take
 * over. A model failure is thrown, never papered over: debounce retries the turn.
 */
public final class LlmResponder implements Responder {

  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  static final String FIELD_REPLY = "reply";
  static final String FIELD_PRODUCT_IDS = "product_ids";
  static final String FIELD_NEEDS_HUMAN = "needs_human";

  // One text plus photos must fit ManyChat's ten messages per block.
  private static final int MAX_PHOTOS = 9;

  private static final String PROMPT = """
    Ти — привітний консультант українського інтернет-магазину дитячого одягу, що відповідає клієнтам в Instagram.
    Правила:
    - Відповідай лише українською мовою, навіть якщо клієнт пише російською чи англійською.
    - Пиши коротко (до 4 речень), тепло і по суті; звертайся на «ви».
    - Пропонуй лише товари з каталогу нижче, з їхніми цінами (грн), розмірами (зріст дитини в см) і кольорами; \
    нічого не вигадуй.
    - Розмір: найменший розмір моделі, не менший за зріст дитини.
    - Доставка: Новою Поштою по всій Україні, 1–3 дні. Оплата: карткою або накладеним платежем при отриманні.
    - Якщо клієнт скаржиться, просить повернення, обміну браку чи живого менеджера — перепроси, скажи, що \
    менеджер відповість найближчим часом, і постав needs_human: true.
    Формат відповіді — JSON-об'єкт: reply — текст для клієнта; product_ids — id товарів з каталогу, фото яких \
    варто показати (порожній список, якщо не потрібно); needs_human — чи потрібна людина.
    """;

  private static final ResponseFormat FORMAT = ResponseFormat.builder()
    .type(ResponseFormatType.JSON)
    .jsonSchema(JsonSchema.builder()
      .name("mirt_reply")
      .rootElement(JsonObjectSchema.builder()
        .addStringProperty(FIELD_REPLY, "the answer to the customer, in Ukrainian")
        .addProperty(FIELD_PRODUCT_IDS, JsonArraySchema.builder()
          .description("catalog ids of the products whose photos to show")
          .items(JsonStringSchema.builder().build())
          .build())
        .addBooleanProperty(FIELD_NEEDS_HUMAN, "true when a person must take over")
        .required(FIELD_REPLY, FIELD_PRODUCT_IDS, FIELD_NEEDS_HUMAN)
        .additionalProperties(false)
        .build())
      .build())
    .build();

  private final Catalog catalog;
  private final ChatModel model;
  private final String modelName;
  private final String catalogJson;

  public LlmResponder(Catalog catalog, MirtConfig.Agent config) {
    this(catalog, OpenAiChatModel.builder()
      .baseUrl(config.openaiBaseUrl().isBlank() ? DEFAULT_BASE_URL : config.openaiBaseUrl())
      .apiKey(config.openaiApiKey().isBlank() ? null : config.openaiApiKey())
      .modelName(config.openaiModel())
      .timeout(Duration.ofSeconds(config.timeoutSeconds()))
      // Retries belong to debounce, which knows about attempts and dead letters; a retry here would only hide time.
      .maxRetries(0)
      .strictJsonSchema(true)
      .build(), config.openaiModel());
  }

  /** With any {@link ChatModel}: lets the app or a test plug in another provider. */
  public LlmResponder(Catalog catalog, ChatModel model, String modelName) {
    this.catalog = catalog;
    this.model = model;
    this.modelName = modelName;
    this.catalogJson = catalog.toJson().encode();
  }

  @Override
  public String model() {
    return modelName;
  }

  @Override
  public Answer respond(Question q, Conversation c) {
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(SystemMessage.from(system(q, c)));
    for (Conversation.Entry e : c.history()) {
      messages.add(Conversation.USER.equals(e.role()) ? UserMessage.from(e.text()) : AiMessage.from(e.text()));
    }
    messages.add(UserMessage.from(q.textWithPhotos()));
    String content = model.chat(ChatRequest.builder().messages(messages).responseFormat(FORMAT).build())
      .aiMessage().text();
    if (content == null || content.isBlank()) {
      throw new IllegalStateException("the model returned an empty answer");
    }
    return parse(content, q, c);
  }

  private String system(Question q, Conversation c) {
    String name = q.customerName() != null && !q.customerName().isBlank() ? q.customerName() : c.customerName();
    return PROMPT
      + "Ім'я клієнта: " + (name == null || name.isBlank() ? "невідоме" : name) + ".\n"
      + "Ймовірна тема повідомлення: " + q.intent().wire() + ".\n"
      + "Каталог (JSON):\n" + catalogJson;
  }

  private Answer parse(String content, Question q, Conversation c) {
    Optional<JsonObject> json = structured(content);
    String reply = json.map(j -> j.getString(FIELD_REPLY)).orElse(content).trim();
    if (reply.isEmpty()) {
      throw new IllegalStateException("the model returned an empty reply");
    }
    Set<String> ids = new LinkedHashSet<>();
    json.map(j -> j.getValue(FIELD_PRODUCT_IDS)).filter(JsonArray.class::isInstance).map(JsonArray.class::cast)
      .ifPresent(a -> a.forEach(id -> ids.add(String.valueOf(id))));
    List<Product> products = ids.stream().map(catalog::product).flatMap(Optional::stream).toList();
    boolean needsHuman = json.map(j -> j.getValue(FIELD_NEEDS_HUMAN)).map(Boolean.TRUE::equals).orElse(false);

    List<OutMessage> out = new ArrayList<>();
    out.add(OutMessage.text(reply));
    products.stream().flatMap(p -> p.photos().stream().limit(1)).limit(MAX_PHOTOS).map(OutMessage::image)
      .forEach(out::add);
    List<String> shown = products.isEmpty() ? c.shownProductIds() : products.stream().map(Product::id).toList();
    String focus = products.isEmpty() ? c.focusProductId() : products.size() == 1 ? products.get(0).id() : null;
    return new Answer(out, List.of(), needsHuman ? Stages.HUMAN : Stages.after(q.intent(), c.stage()), null,
      needsHuman ? List.of(Answer.TAG_NEEDS_HUMAN) : List.of(), List.of(), shown, focus);
  }

  private static Optional<JsonObject> structured(String content) {
    String t = content.trim();
    if (!t.startsWith("{")) {
      return Optional.empty();
    }
    try {
      JsonObject json = new JsonObject(t);
      return json.getValue(FIELD_REPLY) instanceof String ? Optional.of(json) : Optional.empty();
    } catch (DecodeException e) {
      return Optional.empty();
    }
  }
}
