package ai.mirt.agent;

import ai.mirt.common.OutMessage;
import ai.mirt.testkit.FakeOpenAi;
import ai.mirt.testkit.FakeServer.Fault;
import ai.mirt.testkit.Poll;
import ai.mirt.testkit.RecordedRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link LlmWriter} against a fake OpenAI-compatible server, through the real langchain4j client. */
class LlmWriterTest {

  static final String MODEL = "gpt-4o-mini";
  static final Prompts PROMPTS = Prompts.load("../conf/prompts.yaml");
  static final Shop SHOP = Shop.load("../conf/shop.yaml");
  static final Catalog CATALOG = TestCatalog.CATALOG;
  static final String ROMASHKA_PHOTO = "https://shop.example.com/img/dress-01-1.jpg";
  static final String KAPITAN_PHOTO = "https://shop.example.com/img/suit-01-1.jpg";
  static final String VESELKA_PHOTO = "https://shop.example.com/img/dress-02-1.jpg";
  static final String SERVER_ERROR = "{\"error\":{\"message\":\"upstream down\",\"type\":\"server_error\"}}";

  private Vertx vertx;
  private FakeOpenAi fake;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    fake = new FakeOpenAi(vertx);
    await(fake.start());
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  // ---- what the model's answer becomes

  @Test
  void eachPhotoFollowsTheTextThatNamesItInTheModelsOrder() throws Exception {
    fake.answerInOrder(output(List.of("Маємо сукню «Ромашка» за 1250 грн 🌼", "А ще костюм «Капітан» за 1590 грн.",
      "Який зріст дитини?"), List.of("suit-01", "dress-01"), "STATE_1_DISCOVERY", "SIZE_HELP").encode());

    Draft d = writer().write(Step.DISCOVERY, context("Що порадите?", List.of(), Conversation.empty(), List.of()));

    assertThat(d.messages()).containsExactly(
      OutMessage.text("Маємо сукню «Ромашка» за 1250 грн 🌼"), OutMessage.image(ROMASHKA_PHOTO),
      OutMessage.text("А ще костюм «Капітан» за 1590 грн."), OutMessage.image(KAPITAN_PHOTO),
      OutMessage.text("Який зріст дитини?"));
    assertThat(d.stage()).isEqualTo(Stage.STATE_1_DISCOVERY);
    assertThat(d.intent()).isEqualTo(Intent.SIZE_HELP);
    assertThat(d.productIds()).containsExactly("suit-01", "dress-01");
    assertThat(d.conversation().shownProductIds()).containsExactly("suit-01", "dress-01");
    assertThat(d.conversation().focusProductId()).isNull();
    assertThat(d.escalation()).isNull();
  }

  @Test
  void aProductNoTextNamesShowsAfterTheLastTextAndAnUnknownIdIsKeptForValidation() throws Exception {
    fake.answerInOrder(output(List.of("Ось що маємо з яскравих суконь:", "Підказати розмір?"),
      List.of("dress-99", "dress-02"), "STATE_1_DISCOVERY", "DISCOVERY_OR_QUESTION").encode());

    Draft d = writer().write(Step.DISCOVERY, context("Яскраві сукні є?", List.of(), Conversation.empty(), List.of()));

    assertThat(d.messages()).containsExactly(OutMessage.text("Ось що маємо з яскравих суконь:"),
      OutMessage.text("Підказати розмір?"), OutMessage.image(VESELKA_PHOTO));
    assertThat(d.productIds()).containsExactly("dress-99", "dress-02");
    assertThat(new ReplyValidator().violations(d, CATALOG)).anyMatch(v -> v.contains("dress-99"));
  }

  @Test
  void aStageOrIntentThatIsNotOursKeepsTheConversationsStageAndTheDetectedIntent() throws Exception {
    Conversation before = Conversation.empty().toBuilder().stage(Stage.STATE_3_SIZE_COLOR).build();
    fake.answerInOrder(output(List.of("Підкажіть зріст дитини 🙂"), List.of(), "STATE_42", "SHOPPING").encode(),
      new JsonObject().put("messages", new JsonArray().add("Підкажіть зріст дитини 🙂")).encode());
    LlmWriter writer = writer();

    Draft unknown = writer.write(Step.DISCOVERY, context("А розмір?", List.of(), before, List.of()));
    Draft missing = writer.write(Step.DISCOVERY, context("А розмір?", List.of(), before, List.of()));

    assertThat(unknown.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
    assertThat(unknown.intent()).isNull();
    assertThat(missing.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
    assertThat(missing.intent()).isNull();
    assertThat(missing.conversation()).isEqualTo(before.toBuilder().customerName("Олена").build());
  }

  @Test
  void aSingleProductBecomesTheFocusWithTheSizeAndColourTheCatalogHas() throws Exception {
    JsonObject chosen = output(List.of("Сукня «Ромашка», 116, біла — 1250 грн. Оформлюємо?"), List.of("dress-01"),
      "STATE_4_OFFER", "SIZE_HELP").put("size", 116).put("color", "Білий");
    JsonObject invented = output(List.of("Сукня «Ромашка» — 1250 грн."), List.of("dress-01"), "STATE_4_OFFER",
      "SIZE_HELP").put("size", 200).put("color", "зелений");
    fake.answerInOrder(chosen.encode(), invented.encode());
    LlmWriter writer = writer();

    Conversation afterChoice = writer.write(Step.OFFER,
      context("116, білу", List.of(), Conversation.empty(), List.of())).conversation();
    Conversation afterInvention = writer.write(Step.OFFER,
      context("А 200?", List.of(), Conversation.empty(), List.of())).conversation();

    assertThat(afterChoice.focusProductId()).isEqualTo("dress-01");
    assertThat(afterChoice.size()).isEqualTo(116);
    assertThat(afterChoice.color()).isEqualTo("білий");
    assertThat(afterInvention.focusProductId()).isEqualTo("dress-01");
    assertThat(afterInvention.size()).isNull();
    assertThat(afterInvention.color()).isNull();
  }

  @Test
  void severalProductsKeepTheFocusedOneWithItsSizeAndColour() throws Exception {
    Conversation before = Conversation.empty().toBuilder().focus("dress-01").size(116).color("білий")
      .stage(Stage.STATE_4_OFFER).build();
    fake.answerInOrder(output(List.of("До «Ромашки» пасує тренч «Лондон»."), List.of("dress-01", "trench-01"),
      "STATE_4_OFFER", "DISCOVERY_OR_QUESTION").encode());

    Conversation after = writer().write(Step.OFFER, context("А що до неї?", List.of(), before, List.of()))
      .conversation();

    assertThat(after.focusProductId()).isEqualTo("dress-01");
    assertThat(after.size()).isEqualTo(116);
    assertThat(after.color()).isEqualTo("білий");
  }

  @Test
  void clientDetailsAreMergedAndAUkrainianPhoneIsNormalised() throws Exception {
    Conversation before = Conversation.empty().toBuilder().stage(Stage.STATE_5_PAYMENT_DELIVERY)
      .client(new Conversation.Client("Олена Коваль", null, "Київ", null)).build();
    JsonObject given = output(List.of("Дякую! Залишилося відділення Нової пошти."), List.of(),
      "STATE_5_PAYMENT_DELIVERY", "PAYMENT_DELIVERY");
    given.getJsonObject("client").put("phone", "067 123 45 67").put("branch", "Відділення №5");
    JsonObject wrongPhone = output(List.of("Перевірте, будь ласка, номер телефону."), List.of(),
      "STATE_5_PAYMENT_DELIVERY", "PAYMENT_DELIVERY");
    wrongPhone.getJsonObject("client").put("phone", "12345").put("city", "Львів");
    fake.answerInOrder(given.encode(), wrongPhone.encode());
    LlmWriter writer = writer();

    Conversation.Client merged = writer.write(Step.OFFER,
      context("067 123 45 67, відділення 5", List.of(), before, List.of())).conversation().client();
    Conversation.Client kept = writer.write(Step.OFFER,
      context("12345, Львів", List.of(), before.toBuilder().client(merged).build(), List.of())).conversation().client();

    assertThat(merged).isEqualTo(new Conversation.Client("Олена Коваль", "+380671234567", "Київ", "Відділення №5"));
    assertThat(kept).isEqualTo(new Conversation.Client("Олена Коваль", "+380671234567", "Львів", "Відділення №5"));
  }

  @Test
  void phoneNumbersAreNormalisedOnlyWhenUkrainian() {
    assertThat(ModelDraft.phone("+38 (067) 123-45-67")).isEqualTo("+380671234567");
    assertThat(ModelDraft.phone("380501112233")).isEqualTo("+380501112233");
    assertThat(ModelDraft.phone("8 093 111 22 33")).isEqualTo("+380931112233");
    assertThat(ModelDraft.phone("0931112233")).isEqualTo("+380931112233");
    assertThat(ModelDraft.phone("+48 501 234 567")).isNull();
    assertThat(ModelDraft.phone("+380 001 234 567")).isNull();
    assertThat(ModelDraft.phone("067 123 45 67, 050 111 22 33")).isNull();
    assertThat(ModelDraft.phone(null)).isNull();
  }

  @Test
  void escalationAndTheSumsTheTextMayNameAreKept() throws Exception {
    Conversation before = Conversation.empty().toBuilder().stage(Stage.STATE_5_PAYMENT_DELIVERY)
      .cart(List.of(new Conversation.Line("dress-01", "Сукня «Ромашка»", 116, "білий", 1250))).build();
    fake.answerInOrder(output(List.of("Передам питання про знижку менеджеру 🙏"), List.of(),
      "STATE_5_PAYMENT_DELIVERY", "PAYMENT_DELIVERY").put("escalation", "знижка").encode());

    Draft d = writer().write(Step.UPSELL, context("А знижка буде?", List.of(), before, List.of()));

    assertThat(d.escalation()).isEqualTo("знижка");
    assertThat(d.amounts()).containsExactlyInAnyOrder(1250, SHOP.prepayment());
  }

  @Test
  void theOrderStepIsWrittenWithoutTheModel() throws Exception {
    Conversation awaiting = Conversation.empty().toBuilder().stage(Stage.STATE_5_PAYMENT_DELIVERY)
      .cart(List.of(new Conversation.Line("dress-01", "Сукня «Ромашка»", 116, "рожевий", 1250)))
      .client(new Conversation.Client("Олена Петренко", "+380671234567", "Київ", "12"))
      .flag(Conversation.AWAITING_CONFIRMATION, true).build();

    Draft d = writer().write(Step.PAYMENT, context("Так, все вірно", List.of(), awaiting, List.of()));

    assertThat(fake.requests(FakeOpenAi.COMPLETIONS)).isEmpty();
    assertThat(d.conversation().orderStatus()).isEqualTo(Conversation.CONFIRMED);
    assertThat(d.conversation().orderId()).startsWith("M-");
    assertThat(d.messages()).extracting(ai.mirt.common.OutMessage::value)
      .anyMatch(t -> t.contains(SHOP.paymentDetails().lines().findFirst().orElseThrow()));
  }

  // ---- what the model is sent

  @Test
  void theRequestCarriesTheSchemaTemperaturePromptHistoryAndPhotos() throws Exception {
    fake.answerInOrder(output(List.of("Це сукня «Ромашка» — 1250 грн."), List.of("dress-01"), "STATE_2_VISION",
      "PHOTO_IDENT").encode());
    Conversation before = Conversation.empty().withExchange("Привіт", "Вітаю! Чим допомогти?", 20).toBuilder()
      .client(new Conversation.Client("Олена Коваль", null, "Київ", null)).build();
    String photo = "https://cdn.example.com/ig/photo-1.jpg";

    writer().write(Step.VISION, context("Чи є така?", List.of(photo), before, List.of()));

    JsonObject body = onlyRequest().json();
    assertThat(body.getString("model")).isEqualTo(MODEL);
    assertThat(body.getDouble("temperature")).isEqualTo(0.3);
    JsonObject format = body.getJsonObject("response_format");
    assertThat(format.getString("type")).isEqualTo("json_schema");
    JsonObject schema = format.getJsonObject("json_schema");
    assertThat(schema.getBoolean("strict")).isTrue();
    assertThat(schema.getString("name")).isEqualTo(ModelOutput.SCHEMA_NAME);
    JsonObject root = schema.getJsonObject("schema");
    assertThat(root.getJsonObject("properties").fieldNames())
      .containsExactlyInAnyOrder("messages", "product_ids", "state", "intent", "escalation", "client", "size", "color");
    assertThat(root.getJsonArray("required").getList()).hasSize(8);
    assertThat(root.getBoolean("additionalProperties")).isFalse();
    assertThat(root.getJsonObject("properties").getJsonObject("state").getJsonArray("enum").getList())
      .contains("STATE_0_INIT", "STATE_9_OOD");

    String system = FakeOpenAi.systemText(body);
    assertThat(system).contains("\"id\":\"dress-01\"", "Сукня «Ромашка»", "\"price\":1250", "99-104 cm: 104",
      "UA213223130000026007233566001", "STATE_0_INIT", Intent.DISCOVERY_OR_QUESTION.name(), "Олена Коваль", "Київ",
      PROMPTS.task(Step.VISION).substring(0, 40));
    assertThat(system).doesNotContain("{catalog}", "{task}", "{rewrite}", ROMASHKA_PHOTO);
    for (Stage next : Stage.STATE_0_INIT.next()) {
      assertThat(system).contains(next.name());
    }

    List<JsonObject> messages = FakeOpenAi.messages(body);
    assertThat(messages).extracting(m -> m.getString("role"))
      .containsExactly("system", "user", "assistant", "user");
    assertThat(FakeOpenAi.text(messages.get(1))).isEqualTo("Привіт");
    assertThat(FakeOpenAi.text(messages.get(2))).isEqualTo("Вітаю! Чим допомогти?");
    JsonObject last = FakeOpenAi.lastUserMessage(body);
    assertThat(FakeOpenAi.text(last)).isEqualTo("Чи є така?");
    assertThat(FakeOpenAi.imageUrls(last)).containsExactly(photo);
    assertThat(last.getJsonArray("content").getJsonObject(1).getJsonObject("image_url").getString("detail"))
      .isEqualTo("low");
  }

  @Test
  void aRewriteTellsTheModelWhatValidationRefused() throws Exception {
    fake.answerInOrder(output(List.of("Сукня «Ромашка» — 1250 грн."), List.of("dress-01"), "STATE_1_DISCOVERY",
      "DISCOVERY_OR_QUESTION").encode());
    LlmWriter writer = writer();
    String violation = "product id 'dress-99' is not in the catalog";

    writer.write(Step.DISCOVERY, context("Сукні", List.of(), Conversation.empty(), List.of()));
    writer.write(Step.DISCOVERY, context("Сукні", List.of(), Conversation.empty(), List.of(violation)));

    List<RecordedRequest> requests = fake.requests(FakeOpenAi.COMPLETIONS);
    assertThat(FakeOpenAi.systemText(requests.get(0).json())).doesNotContain("dress-99", "перевірка відхилила");
    assertThat(FakeOpenAi.systemText(requests.get(1).json())).contains("перевірка відхилила", "- " + violation);
  }

  @Test
  void aValueThatLooksLikeAPlaceholderIsNotExpanded() throws Exception {
    fake.answerInOrder(output(List.of("Вітаю!"), List.of(), "STATE_1_DISCOVERY", "GREETING_ONLY").encode());
    TurnContext c = new TurnContext("Привіт", List.of(), "{catalog}", Intent.GREETING_ONLY, Moderation.OK,
      Conversation.empty(), CATALOG, SHOP, List.of(), null);

    writer().write(Step.DISCOVERY, c);

    String system = FakeOpenAi.systemText(onlyRequest().json());
    assertThat(system).contains("Instagram: {catalog}");
    assertThat(system.split("\"id\":\"dress-01\"", -1)).hasSize(2);
  }

  @Test
  void aTurnWithOnlyAPhotoSendsOnlyTheImage() throws Exception {
    fake.answerInOrder(output(List.of("Це сукня «Ромашка»."), List.of("dress-01"), "STATE_2_VISION",
      "PHOTO_IDENT").encode());
    String photo = "https://cdn.example.com/ig/photo-2.jpg";

    writer().write(Step.VISION, context("", List.of(photo), Conversation.empty(), List.of()));

    JsonObject last = FakeOpenAi.lastUserMessage(onlyRequest().json());
    assertThat(FakeOpenAi.text(last)).isEmpty();
    assertThat(FakeOpenAi.imageUrls(last)).containsExactly(photo);
  }

  @Test
  void escalationsAreWrittenOfflineWithoutTheModel() throws Exception {
    TurnContext c = new TurnContext("Сукня порвалась", List.of(), "Олена", Intent.COMPLAINT, Moderation.OK,
      Conversation.empty(), CATALOG, SHOP, List.of(), StepNode.WRITER_FAILED);

    Draft d = writer().write(Step.ESCALATION, c);

    assertThat(d.messages()).containsExactly(OutMessage.text(SHOP.text(StepNode.WRITER_FAILED)));
    assertThat(fake.requests()).isEmpty();
  }

  // ---- answers that cannot be used

  @ParameterizedTest
  @ValueSource(strings = {"Вітаю! Ось наші сукні.", "[\"Вітаю\"]", "{\"state\":\"STATE_1_DISCOVERY\"}",
    "{\"messages\":[]}", "{\"messages\":[\"  \"]}", "{\"messages\":\"Вітаю\"}", "{\"messages\":[1,2]}", ""})
  void anAnswerThatIsNotTheJsonAskedForFailsTheTurnWithoutOpeningTheBreaker(String content) {
    fake.answerWith(req -> content);
    LlmWriter writer = writer(1, 60_000, Duration.ofSeconds(5));

    assertThatThrownBy(() -> writer.write(Step.DISCOVERY, context("Сукні", List.of(), Conversation.empty(),
      List.of()))).isInstanceOf(IllegalStateException.class).hasMessageContaining("the model's");
    assertThat(writer.breakerState()).isEqualTo("closed");
  }

  @Test
  void aJsonAnswerInAMarkdownFenceIsRead() throws Exception {
    fake.answerInOrder("```json\n" + output(List.of("Вітаю!"), List.of(), "STATE_1_DISCOVERY", "GREETING_ONLY")
      .encodePrettily() + "\n```");

    Draft d = writer().write(Step.DISCOVERY, context("Привіт", List.of(), Conversation.empty(), List.of()));

    assertThat(d.messages()).containsExactly(OutMessage.text("Вітаю!"));
  }

  // ---- the breaker

  @Test
  void theBreakerOpensAfterTheFailuresAndThenRefusesWithoutCallingTheModel() throws Exception {
    fake.when(r -> true, Fault.status(500, SERVER_ERROR));
    LlmWriter writer = writer(2, 60_000, Duration.ofSeconds(5));
    TurnContext c = context("Сукні", List.of(), Conversation.empty(), List.of());

    assertThatThrownBy(() -> writer.write(Step.DISCOVERY, c)).isNotInstanceOf(IllegalStateException.class);
    assertThat(writer.breakerState()).isEqualTo("closed");
    assertThatThrownBy(() -> writer.write(Step.DISCOVERY, c)).isNotInstanceOf(IllegalStateException.class);
    assertThat(writer.breakerState()).isEqualTo("open");
    assertThatThrownBy(() -> writer.write(Step.DISCOVERY, c)).isInstanceOf(IllegalStateException.class)
      .hasMessage("llm circuit breaker is open");

    assertThat(fake.requests(FakeOpenAi.COMPLETIONS)).hasSize(2);
  }

  @Test
  void afterTheResetOneTrialCallGoesThroughAndItsSuccessClosesTheBreaker() throws Exception {
    fake.inject(Fault.status(500, SERVER_ERROR));
    fake.answerWith(req -> output(List.of("Вітаю!"), List.of(), "STATE_1_DISCOVERY", "GREETING_ONLY").encode());
    LlmWriter writer = writer(1, 300, Duration.ofSeconds(5));
    TurnContext c = context("Привіт", List.of(), Conversation.empty(), List.of());

    assertThatThrownBy(() -> writer.write(Step.DISCOVERY, c)).isNotInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> writer.write(Step.DISCOVERY, c)).hasMessage("llm circuit breaker is open");
    assertThat(fake.requests(FakeOpenAi.COMPLETIONS)).hasSize(1);
    Poll.await(() -> writer.breakerState().equals("half_open") ? true : null, Duration.ofSeconds(5),
      "the breaker to let a trial call through");

    Draft d = writer.write(Step.DISCOVERY, c);

    assertThat(d.messages()).containsExactly(OutMessage.text("Вітаю!"));
    assertThat(writer.breakerState()).isEqualTo("closed");
    assertThat(fake.requests(FakeOpenAi.COMPLETIONS)).hasSize(2);
  }

  @Test
  void aFailedTrialCallOpensTheBreakerAgain() throws Exception {
    fake.inject(Fault.status(500, SERVER_ERROR), 2);
    LlmWriter writer = writer(1, 300, Duration.ofSeconds(5));
    TurnContext c = context("Привіт", List.of(), Conversation.empty(), List.of());
    assertThatThrownBy(() -> writer.write(Step.DISCOVERY, c)).isNotInstanceOf(IllegalStateException.class);
    Poll.await(() -> writer.breakerState().equals("half_open") ? true : null, Duration.ofSeconds(5),
      "the breaker to let a trial call through");

    assertThatThrownBy(() -> writer.write(Step.DISCOVERY, c)).isNotInstanceOf(IllegalStateException.class);

    assertThat(writer.breakerState()).isEqualTo("open");
    assertThatThrownBy(() -> writer.write(Step.DISCOVERY, c)).hasMessage("llm circuit breaker is open");
    assertThat(fake.requests(FakeOpenAi.COMPLETIONS)).hasSize(2);
  }

  @Test
  void aSlowModelFailsAfterTheConfiguredTimeoutAndCounts() {
    fake.inject(Fault.delay(10_000));
    LlmWriter writer = writer(1, 60_000, Duration.ofMillis(400));
    TurnContext c = context("Привіт", List.of(), Conversation.empty(), List.of());
    long start = System.nanoTime();

    assertThatThrownBy(() -> writer.write(Step.DISCOVERY, c)).isNotInstanceOf(IllegalStateException.class);

    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(ms).isBetween(350L, 3_000L);
    assertThat(writer.breakerState()).isEqualTo("open");
  }

  @Test
  void anUnreachableServerCounts() throws Exception {
    await(fake.stop());
    LlmWriter writer = writer(1, 60_000, Duration.ofSeconds(5));

    assertThatThrownBy(() -> writer.write(Step.DISCOVERY, context("Привіт", List.of(), Conversation.empty(),
      List.of()))).isNotInstanceOf(IllegalStateException.class);

    assertThat(writer.breakerState()).isEqualTo("open");
  }

  @Test
  void breakerCountsOnlyFailuresWithinTheWindow() {
    AtomicLong now = new AtomicLong(1_000_000);
    LlmBreaker breaker = new LlmBreaker(3, 30_000, now::get);

    breaker.failure();
    breaker.failure();
    now.addAndGet(LlmBreaker.WINDOW_MS);
    breaker.failure();
    breaker.failure();

    assertThat(breaker.state()).isEqualTo(LlmBreaker.State.CLOSED);
    breaker.failure();
    assertThat(breaker.state()).isEqualTo(LlmBreaker.State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void breakerLetsExactlyOneTrialThroughAfterTheReset() {
    AtomicLong now = new AtomicLong(1_000_000);
    LlmBreaker breaker = new LlmBreaker(1, 30_000, now::get);
    breaker.failure();
    now.addAndGet(29_999);
    assertThat(breaker.tryAcquire()).isFalse();
    now.addAndGet(1);

    assertThat(breaker.state()).isEqualTo(LlmBreaker.State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).isFalse();
    breaker.success();
    assertThat(breaker.state()).isEqualTo(LlmBreaker.State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void breakerStateNamesAreTheHealthWireNames() {
    assertThat(LlmBreaker.State.HALF_OPEN.wire()).isEqualTo("half_open");
    assertThat(LlmBreaker.State.CLOSED.wire()).isEqualTo("closed");
    assertThat(LlmBreaker.State.OPEN.wire()).isEqualTo("open");
  }

  // ---- the prompts file

  @Test
  void aPromptsFileWithoutANodesTaskFailsWhenLoaded() {
    JsonObject json = new JsonObject().put("system", "Ти консультант.").put("rewrite", "Виправ: {violations}")
      .put("empty_turn", "(порожньо)").put("tasks", new JsonObject().put("vision", "a").put("discovery", "b")
        .put("payment", "c").put("upsell", "d").put("out_of_domain", "e"));

    assertThatThrownBy(() -> Prompts.fromJson(json)).hasMessageContaining("tasks.offer");
    assertThat(Prompts.fromJson(json.copy().put("tasks", json.getJsonObject("tasks").copy().put("offer", "f")))
      .task(Step.OFFER)).isEqualTo("f");
  }

  // ---- helpers

  private LlmWriter writer() {
    return writer(5, 60_000, Duration.ofSeconds(5));
  }

  private LlmWriter writer(int maxFailures, long resetMs, Duration timeout) {
    return new LlmWriter(LlmWriter.openAi(fake.v1Url(), "test-key", MODEL, timeout, 0.3), MODEL, PROMPTS,
      new OfflineWriter(), maxFailures, resetMs);
  }

  private static TurnContext context(String text, List<String> images, Conversation c, List<String> violations) {
    return new TurnContext(text, images, "Олена", Intent.DISCOVERY_OR_QUESTION, Moderation.OK, c, CATALOG, SHOP,
      violations, null);
  }

  /** A complete answer in the schema's shape, as a strict model sends it. */
  static JsonObject output(List<String> messages, List<String> productIds, String state, String intent) {
    return new JsonObject()
      .put("messages", new JsonArray(List.copyOf(messages)))
      .put("product_ids", new JsonArray(List.copyOf(productIds)))
      .put("state", state)
      .put("intent", intent)
      .put("escalation", "")
      .put("client", new JsonObject().put("name", "").put("phone", "").put("city", "").put("branch", ""))
      .put("size", 0)
      .put("color", "");
  }

  private RecordedRequest onlyRequest() {
    List<RecordedRequest> requests = fake.requests(FakeOpenAi.COMPLETIONS);
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
