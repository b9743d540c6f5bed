package ai.mirt.push;

import ai.mirt.common.Channel;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.testkit.ManyChatValidator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static ai.mirt.push.DynamicBlockBuilder.ADD_TAG;
import static ai.mirt.push.DynamicBlockBuilder.REMOVE_TAG;
import static ai.mirt.push.DynamicBlockBuilder.SEND_CONTENT;
import static ai.mirt.push.DynamicBlockBuilder.SET_CUSTOM_FIELDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamicBlockBuilderTest {

  private static final String FLOW = "content20250101120000_123456";

  private static ManyChatValidator validator;

  private final DynamicBlockBuilder builder = new DynamicBlockBuilder();

  @BeforeAll
  static void loadValidator() {
    validator = ManyChatValidator.load();
  }

  private static Reply reply(String subscriberId, Channel channel, List<OutMessage> messages, List<String> quickReplies,
                             String state, String intent, Map<String, String> fields, List<String> addTags,
                             List<String> removeTags) {
    return new Reply(subscriberId, "turn-1", channel, messages, quickReplies, state, intent, fields, addTags, removeTags,
      "trace-1");
  }

  private static Reply simple(List<OutMessage> messages, List<String> quickReplies) {
    return reply("1234567", Channel.INSTAGRAM, messages, quickReplies, "STATE_1_DISCOVERY", "greeting", Map.of(),
      List.of(), List.of());
  }

  /** Builds and checks every call against ManyChat's published request schemas. */
  private List<ManyChatCall> build(Reply reply, String flow) {
    List<ManyChatCall> calls = builder.build(reply, flow);
    calls.forEach(c -> validator.assertValid(c.path(), c.body()));
    return calls;
  }

  private static JsonObject content(ManyChatCall call) {
    return call.body().getJsonObject("data").getJsonObject("content");
  }

  private static List<JsonObject> actions(ManyChatCall call) {
    JsonArray a = content(call).getJsonArray("actions");
    List<JsonObject> out = new ArrayList<>();
    if (a != null) {
      a.forEach(o -> out.add((JsonObject) o));
    }
    return out;
  }

  private static List<OutMessage> texts(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> OutMessage.text("Повідомлення " + i)).toList();
  }

  @Test
  void numericSubscriberIdIsSentAsJsonNumber() {
    List<ManyChatCall> calls = build(simple(List.of(OutMessage.text("Вітаю!")), List.of()), FLOW);

    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).path()).isEqualTo(SEND_CONTENT);
    assertThat(calls.get(0).body().getValue("subscriber_id")).isEqualTo(1234567L);
    assertThat(calls.get(0).body().containsKey("message_tag")).isFalse();
    assertThat(calls.get(0).body().getJsonObject("data").getString("version")).isEqualTo("v2");
  }

  @Test
  void nonNumericSubscriberIdIsRefusedBecauseManyChatCannotAddressIt() {
    Reply r = reply("ig_5f3a", Channel.INSTAGRAM, List.of(OutMessage.text("Вітаю!")), List.of(), "S", null, Map.of(),
      List.of(), List.of());

    assertThatThrownBy(() -> builder.build(r, FLOW))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("ig_5f3a").hasMessageContaining("not a ManyChat contact id");
  }

  @Test
  void contentTypeIsTheChannelWireName() {
    for (Channel channel : Channel.values()) {
      Reply r = reply("42", channel, List.of(OutMessage.text("Привіт")), List.of(), "S", "i", Map.of(), List.of(),
        List.of());

      assertThat(content(build(r, FLOW).get(0)).getString("type")).isEqualTo(channel.wire());
    }
  }

  @Test
  void twentyFiveMessagesGoInThreeCallsInOrder() {
    List<ManyChatCall> calls = build(simple(texts(25), List.of()), FLOW);

    assertThat(calls).hasSize(3).allSatisfy(c -> assertThat(c.path()).isEqualTo(SEND_CONTENT));
    assertThat(calls).extracting(c -> content(c).getJsonArray("messages").size()).containsExactly(10, 10, 5);
    List<String> sent = calls.stream()
      .flatMap(c -> content(c).getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("text")))
      .toList();
    assertThat(sent).isEqualTo(texts(25).stream().map(OutMessage::value).toList());
  }

  @Test
  void longTextIsSplitIntoSeveralTextMessages() {
    String longText = "Це довге речення про нашу нову колекцію суконь. ".repeat(40);

    List<ManyChatCall> calls = build(simple(List.of(OutMessage.text(longText)), List.of()), FLOW);

    JsonArray messages = content(calls.get(0)).getJsonArray("messages");
    assertThat(messages.size()).isGreaterThan(1);
    assertThat(messages.stream().map(m -> ((JsonObject) m).getString("text")))
      .allSatisfy(t -> assertThat(TextSplitter.utf8Length(t)).isLessThanOrEqualTo(1000));
  }

  @Test
  void nineActionsAreSpreadOverTheCallsAtMostFiveEach() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("size", "M");
    fields.put("city", "Київ");
    Reply r = reply("42", Channel.INSTAGRAM, texts(15), List.of(), "STATE_2_OFFER", "buy", fields,
      List.of("lead", "hot"), List.of("cold", "new"));

    List<ManyChatCall> calls = build(r, FLOW);

    assertThat(calls).hasSize(2).allSatisfy(c -> assertThat(c.path()).isEqualTo(SEND_CONTENT));
    assertThat(actions(calls.get(0))).hasSize(5);
    assertThat(actions(calls.get(1))).hasSize(4);
    List<String> order = calls.stream().flatMap(c -> actions(c).stream())
      .map(a -> a.getString("action") + ":" + a.getString("tag_name", a.getString("field_name")))
      .toList();
    assertThat(order).containsExactly("add_tag:ai_responded", "set_field_value:ai_state",
      "set_field_value:ai_intent", "set_field_value:size", "set_field_value:city", "add_tag:lead", "add_tag:hot",
      "remove_tag:cold", "remove_tag:new");
  }

  @Test
  void actionsThatDoNotFitGoToTheSubscriberEndpointsAfterTheContent() {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 1; i <= 25; i++) {
      fields.put("f" + i, "v" + i);
    }
    Reply r = reply("42", Channel.INSTAGRAM, List.of(OutMessage.text("Дякуємо!")), List.of(), "S", "i", fields,
      List.of("lead", "hot"), List.of("cold"));

    List<ManyChatCall> calls = build(r, FLOW);

    assertThat(calls).extracting(ManyChatCall::path).containsExactly(SEND_CONTENT, SET_CUSTOM_FIELDS,
      SET_CUSTOM_FIELDS, ADD_TAG, ADD_TAG, REMOVE_TAG);
    assertThat(actions(calls.get(0))).hasSize(5);
    assertThat(calls.get(1).body().getJsonArray("fields").size()).isEqualTo(20);
    assertThat(calls.get(2).body().getJsonArray("fields").size()).isEqualTo(3);
    assertThat(calls.get(1).body().getJsonArray("fields").getJsonObject(0))
      .isEqualTo(new JsonObject().put("field_name", "f3").put("field_value", "v3"));
    assertThat(calls.get(3).body()).isEqualTo(new JsonObject().put("subscriber_id", 42L).put("tag_name", "lead"));
    assertThat(calls.get(5).body()).isEqualTo(new JsonObject().put("subscriber_id", 42L).put("tag_name", "cold"));
    assertThat(calls).noneSatisfy(c -> assertThat(c.path()).startsWith("/fb/page/"));
  }

  @Test
  void quickRepliesGoOnTheLastCallOnly() {
    List<ManyChatCall> calls = build(simple(texts(12), List.of("Так", "Ні")), FLOW);

    assertThat(calls).hasSize(2);
    assertThat(content(calls.get(0)).containsKey("quick_replies")).isFalse();
    assertThat(content(calls.get(1)).getJsonArray("quick_replies")).containsExactly(
      new JsonObject().put("type", "flow").put("caption", "Так").put("target", FLOW),
      new JsonObject().put("type", "flow").put("caption", "Ні").put("target", FLOW));
  }

  @Test
  void twelveQuickRepliesAreCutToEleven() {
    List<String> captions = IntStream.rangeClosed(1, 12).mapToObj(i -> "Варіант " + i).toList();

    List<ManyChatCall> calls = build(simple(texts(1), captions), FLOW);

    JsonArray qr = content(calls.get(0)).getJsonArray("quick_replies");
    assertThat(qr.size()).isEqualTo(11);
    assertThat(qr.getJsonObject(10).getString("caption")).isEqualTo("Варіант 11");
  }

  @Test
  void longCaptionIsCutToTwentyCharacters() {
    String caption = "Хочу поговорити з менеджером 👩‍💼";

    List<ManyChatCall> calls = build(simple(texts(1), List.of(caption, "😀".repeat(25))), FLOW);

    JsonArray qr = content(calls.get(0)).getJsonArray("quick_replies");
    assertThat(qr.getJsonObject(0).getString("caption")).isEqualTo("Хочу поговорити з ме");
    String emoji = qr.getJsonObject(1).getString("caption");
    assertThat(emoji.codePointCount(0, emoji.length())).isEqualTo(20);
    assertThat(emoji).isEqualTo("😀".repeat(20));
  }

  @Test
  void withoutQuickReplyFlowNoQuickRepliesAreSent() {
    List<ManyChatCall> blank = build(simple(texts(1), List.of("Так", "Ні")), " ");
    List<ManyChatCall> none = build(simple(texts(1), List.of("Так", "Ні")), null);

    assertThat(content(blank.get(0)).containsKey("quick_replies")).isFalse();
    assertThat(content(none.get(0)).containsKey("quick_replies")).isFalse();
  }

  @Test
  void imageHasUrlAndNoCaption() {
    List<ManyChatCall> calls = build(simple(List.of(OutMessage.text("Ось фото:"),
      OutMessage.image("https://shop.example/p/1.jpg")), List.of()), FLOW);

    JsonObject image = content(calls.get(0)).getJsonArray("messages").getJsonObject(1);
    assertThat(image).isEqualTo(new JsonObject().put("type", "image").put("url", "https://shop.example/p/1.jpg"));
    assertThat(image.containsKey("caption")).isFalse();
  }

  @Test
  void respondedTagStateAndIntentAreAlwaysSet() {
    List<ManyChatCall> calls = build(simple(texts(1), List.of()), FLOW);

    assertThat(actions(calls.get(0))).containsExactly(
      new JsonObject().put("action", "add_tag").put("tag_name", "ai_responded"),
      new JsonObject().put("action", "set_field_value").put("field_name", "ai_state").put("value", "STATE_1_DISCOVERY"),
      new JsonObject().put("action", "set_field_value").put("field_name", "ai_intent").put("value", "greeting"));
  }

  @Test
  void missingIntentIsLeftOut() {
    Reply r = reply("42", Channel.INSTAGRAM, texts(1), List.of(), "STATE_1_DISCOVERY", null, Map.of(), List.of(),
      List.of());

    List<ManyChatCall> calls = build(r, FLOW);

    assertThat(actions(calls.get(0))).extracting(a -> a.getString("tag_name", a.getString("field_name")))
      .containsExactly("ai_responded", "ai_state");
  }

  @Test
  void replyWithoutMessagesIsWrittenToTheContactWithoutCountingAsAnswered() {
    Reply r = reply("42", Channel.INSTAGRAM, List.of(), List.of("Так"), "STATE_9_CLOSED", null, Map.of(), List.of(),
      List.of());

    List<ManyChatCall> calls = build(r, FLOW);

    assertThat(calls).extracting(ManyChatCall::path).containsExactly(SET_CUSTOM_FIELDS);
    assertThat(calls.get(0).body().getJsonArray("fields")).containsExactly(
      new JsonObject().put("field_name", "ai_state").put("field_value", "STATE_9_CLOSED"));
  }

  @Test
  void theNoticeOfATurnGivenUpOnlyTagsTheContact() {
    Reply r = reply("42", Channel.INSTAGRAM, List.of(), List.of(), null, null, Map.of(), List.of("needs_human"),
      List.of());

    List<ManyChatCall> calls = build(r, FLOW);

    assertThat(calls).containsExactly(new ManyChatCall(ADD_TAG,
      new JsonObject().put("subscriber_id", 42L).put("tag_name", "needs_human")));
    assertThat(calls.get(0).group()).isEqualTo(ManyChatCall.Group.SUBSCRIBER);
  }

  @Test
  void aSendContentCallSplitsIntoItsMessagesAndItsActions() {
    Reply r = reply("42", Channel.INSTAGRAM, List.of(OutMessage.text("Вітаю")), List.of("Так"), "STATE_1_DISCOVERY",
      null, Map.of(), List.of("lead"), List.of("cold"));
    ManyChatCall call = build(r, FLOW).get(0);

    ManyChatCall bare = DynamicBlockBuilder.withoutActions(call);
    List<ManyChatCall> actions = DynamicBlockBuilder.actionCalls(call);

    assertThat(call.isSendContent()).isTrue();
    assertThat(call.group()).isEqualTo(ManyChatCall.Group.SEND_CONTENT);
    assertThat(actions(call)).hasSize(4);
    assertThat(bare.body().getJsonObject("data").getJsonObject("content").containsKey("actions")).isFalse();
    assertThat(bare.body().getJsonObject("data").getJsonObject("content").getJsonArray("messages"))
      .isEqualTo(call.body().getJsonObject("data").getJsonObject("content").getJsonArray("messages"));
    assertThat(actions(call)).as("the original is left as it was").hasSize(4);
    assertThat(actions).extracting(ManyChatCall::path)
      .containsExactly(SET_CUSTOM_FIELDS, ADD_TAG, ADD_TAG, REMOVE_TAG);
    assertThat(actions).extracting(c -> c.body().getValue("tag_name"))
      .containsExactly(null, "ai_responded", "lead", "cold");
    assertThat(DynamicBlockBuilder.actionCalls(bare)).isEmpty();
  }

  @Test
  void theShopsNamesReplaceTheDefaultFieldAndTagNamesEverywhere() {
    DynamicBlockBuilder renamed = new DynamicBlockBuilder(Map.of("ai_state", "bot_state", "needs_human", "manager",
      "ai_responded", "bot_answered", "last_product", "product"));
    Reply r = reply("42", Channel.INSTAGRAM, List.of(OutMessage.text("Передаю менеджеру")), List.of(),
      "STATE_8_COMPLAINT", "COMPLAINT", Map.of("last_product", "Сукня «Ромашка»"), List.of("needs_human"), List.of());

    List<ManyChatCall> calls = renamed.build(r, FLOW);

    calls.forEach(c -> validator.assertValid(c.path(), c.body()));
    assertThat(actions(calls.get(0))).containsExactly(
      new JsonObject().put("action", "add_tag").put("tag_name", "bot_answered"),
      new JsonObject().put("action", "set_field_value").put("field_name", "bot_state").put("value", "STATE_8_COMPLAINT"),
      new JsonObject().put("action", "set_field_value").put("field_name", "ai_intent").put("value", "COMPLAINT"),
      new JsonObject().put("action", "set_field_value").put("field_name", "product").put("value", "Сукня «Ромашка»"),
      new JsonObject().put("action", "add_tag").put("tag_name", "manager"));
  }

  @Test
  void theOrderSumGoesOutAsANumberForANumberField() {
    Reply r = reply("42", Channel.INSTAGRAM, List.of(OutMessage.text("Разом 2840 грн")), List.of(), null, null,
      Map.of("order_sum", "2840", "client_phone", "380671234567"), List.of(), List.of());

    List<ManyChatCall> calls = build(r, FLOW);

    assertThat(actions(calls.get(0))).contains(
      new JsonObject().put("action", "set_field_value").put("field_name", "order_sum").put("value", 2840L),
      new JsonObject().put("action", "set_field_value").put("field_name", "client_phone")
        .put("value", "380671234567"));
    assertThat(actions(calls.get(0))).filteredOn(a -> "order_sum".equals(a.getString("field_name")))
      .singleElement().satisfies(a -> assertThat(a.getValue("value")).isInstanceOf(Long.class));
  }

  @Test
  void aSumThatIsNotANumberIsSentAsItIs() {
    Reply r = reply("42", Channel.INSTAGRAM, List.of(OutMessage.text("Разом")), List.of(), null, null,
      Map.of("order_sum", "12.5"), List.of(), List.of());

    assertThat(actions(builder.build(r, FLOW).get(0)).get(1).getValue("value")).isEqualTo(12.5);
    Reply odd = reply("42", Channel.INSTAGRAM, List.of(OutMessage.text("Разом")), List.of(), null, null,
      Map.of("order_sum", "n/a"), List.of(), List.of());
    assertThat(actions(builder.build(odd, FLOW).get(0)).get(1).getValue("value")).isEqualTo("n/a");
  }

  // ---- response mode: one block for the held request, and the rest ----

  /** The block a held request is answered with, checked as a response body, and every further call as an API call. */
  private DynamicBlockBuilder.Response respond(DynamicBlockBuilder b, Reply reply, String flow) {
    DynamicBlockBuilder.Response r = b.forResponse(reply, flow);
    assertThat(validator.dynamicBlockViolations(r.block())).as("response block %s", r.block()).isEmpty();
    r.calls().forEach(c -> validator.assertValid(c.path(), c.body()));
    return r;
  }

  private static JsonObject content(JsonObject block) {
    return block.getJsonObject("content");
  }

  private static List<JsonObject> actions(JsonObject block) {
    List<JsonObject> out = new ArrayList<>();
    JsonArray a = content(block).getJsonArray("actions");
    if (a != null) {
      a.forEach(o -> out.add((JsonObject) o));
    }
    return out;
  }

  @Test
  void aShortReplyIsOneBlockThatIsAlsoItsOnlyApiCall() {
    Reply r = simple(List.of(OutMessage.text("Вітаю! Чим допомогти?"), OutMessage.image("https://shop.example/p/1.jpg")),
      List.of("Сукні", "Менеджер"));

    DynamicBlockBuilder.Response res = respond(builder, r, FLOW);

    assertThat(res.block().getString("version")).isEqualTo("v2");
    assertThat(content(res.block()).getString("type")).isEqualTo("instagram");
    assertThat(content(res.block()).getJsonArray("messages")).hasSize(2);
    assertThat(content(res.block()).getJsonArray("quick_replies")).hasSize(2);
    assertThat(actions(res.block())).extracting(a -> a.getString("tag_name", a.getString("field_name")))
      .containsExactly("ai_responded", "ai_state", "ai_intent");
    assertThat(res.rest()).isEmpty();
    assertThat(res.blockCalls()).singleElement().satisfies(c -> {
      assertThat(c.path()).isEqualTo(SEND_CONTENT);
      assertThat(c.body().getJsonObject("data")).isEqualTo(res.block());
    });
    assertThat(res.calls()).as("the same calls as push mode").isEqualTo(builder.build(r, FLOW));
  }

  @Test
  void twentyFiveMessagesAnswerWithTheFirstTenAndTheQuickRepliesAndSendTheRest() {
    DynamicBlockBuilder.Response res = respond(builder, simple(texts(25), List.of("Так", "Ні")), FLOW);

    assertThat(content(res.block()).getJsonArray("messages")).hasSize(10);
    assertThat(content(res.block()).getJsonArray("messages").getJsonObject(0).getString("text"))
      .isEqualTo("Повідомлення 1");
    assertThat(content(res.block()).getJsonArray("quick_replies")).as("on the block the customer surely sees")
      .hasSize(2);
    assertThat(res.rest()).hasSize(2).allSatisfy(c -> {
      assertThat(c.path()).isEqualTo(SEND_CONTENT);
      assertThat(content(c).containsKey("quick_replies")).isFalse();
    });
    assertThat(res.rest()).extracting(c -> content(c).getJsonArray("messages").size()).containsExactly(10, 5);
    assertThat(content(res.rest().get(0)).getJsonArray("messages").getJsonObject(0).getString("text"))
      .isEqualTo("Повідомлення 11");
    assertThat(res.calls()).hasSize(3).extracting(c -> content(c).getJsonArray("messages").size())
      .containsExactly(10, 10, 5);
  }

  @Test
  void fiveActionsGoInTheBlockAndTheOthersThroughTheSubscriberEndpointsWithTheShopsNames() {
    DynamicBlockBuilder renamed = new DynamicBlockBuilder(Map.of("ai_state", "bot_state", "needs_human", "manager"));
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("client_city", "Київ");
    fields.put("order_sum", "2840");
    fields.put("client_phone", "380671234567");
    Reply r = reply("42", Channel.FACEBOOK, texts(2), List.of("Так"), "STATE_5_ORDER", "ORDER", fields,
      List.of("needs_human", "order_started"), List.of("cold"));

    DynamicBlockBuilder.Response res = respond(renamed, r, FLOW);

    assertThat(content(res.block()).getString("type")).isEqualTo("facebook");
    assertThat(actions(res.block())).containsExactly(
      new JsonObject().put("action", "add_tag").put("tag_name", "ai_responded"),
      new JsonObject().put("action", "set_field_value").put("field_name", "bot_state").put("value", "STATE_5_ORDER"),
      new JsonObject().put("action", "set_field_value").put("field_name", "ai_intent").put("value", "ORDER"),
      new JsonObject().put("action", "set_field_value").put("field_name", "client_city").put("value", "Київ"),
      new JsonObject().put("action", "set_field_value").put("field_name", "order_sum").put("value", 2840L));
    assertThat(res.rest()).extracting(ManyChatCall::path).containsExactly(SET_CUSTOM_FIELDS, ADD_TAG, ADD_TAG,
      REMOVE_TAG);
    assertThat(res.rest().get(0).body().getJsonArray("fields")).containsExactly(
      new JsonObject().put("field_name", "client_phone").put("field_value", "380671234567"));
    assertThat(res.rest()).extracting(c -> c.body().getValue("tag_name"))
      .containsExactly(null, "manager", "order_started", "cold");
    assertThat(res.calls()).isEqualTo(renamed.build(r, FLOW));
  }

  @Test
  void aReplyWithoutMessagesIsStillOneEmptyBlockWithItsActions() {
    Reply r = reply("42", Channel.INSTAGRAM, List.of(), List.of(), null, null, Map.of(), List.of("needs_human"),
      List.of());

    DynamicBlockBuilder.Response res = respond(builder, r, FLOW);

    assertThat(content(res.block()).getJsonArray("messages")).isEmpty();
    assertThat(actions(res.block())).as("no ai_responded: nothing was said").containsExactly(
      new JsonObject().put("action", "add_tag").put("tag_name", "needs_human"));
    assertThat(res.blockCalls()).as("without a request the tag goes through its endpoint")
      .isEqualTo(builder.build(r, FLOW));
    assertThat(res.rest()).isEmpty();
  }

  @Test
  void aReplyWithoutMessagesAndWithMoreThanFiveActionsSplitsThemBetweenBlockAndEndpoints() {
    Reply r = reply("42", Channel.INSTAGRAM, List.of(), List.of("Так"), "STATE_9_CLOSED", "BYE",
      Map.of("client_name", "Оля"), List.of("a", "b", "c"), List.of("d"));

    DynamicBlockBuilder.Response res = respond(builder, r, FLOW);

    assertThat(actions(res.block())).hasSize(5);
    assertThat(content(res.block()).getJsonArray("quick_replies")).hasSize(1);
    assertThat(res.blockCalls()).extracting(ManyChatCall::path).containsExactly(SET_CUSTOM_FIELDS, ADD_TAG, ADD_TAG);
    assertThat(res.rest()).extracting(ManyChatCall::path).containsExactly(ADD_TAG, REMOVE_TAG);
    assertThat(res.calls()).noneSatisfy(c -> assertThat(c.path()).isEqualTo(SEND_CONTENT));
  }

  @Test
  void aReplyWithNothingAtAllIsAnEmptyBlockAndNoCall() {
    Reply r = reply("42", Channel.INSTAGRAM, List.of(), List.of(), null, null, Map.of(), List.of(), List.of());

    DynamicBlockBuilder.Response res = respond(builder, r, "");

    assertThat(res.block()).isEqualTo(new JsonObject().put("version", "v2").put("content",
      new JsonObject().put("type", "instagram").put("messages", new JsonArray())));
    assertThat(res.calls()).isEmpty();
  }

  @Test
  void theResponseHasQuickRepliesOnlyWithAFlowAndAtMostEleven() {
    List<String> captions = IntStream.rangeClosed(1, 12).mapToObj(i -> "Варіант " + i).toList();

    DynamicBlockBuilder.Response many = respond(builder, simple(texts(1), captions), FLOW);
    DynamicBlockBuilder.Response none = respond(builder, simple(texts(1), captions), " ");

    assertThat(content(many.block()).getJsonArray("quick_replies")).hasSize(11);
    assertThat(content(none.block()).containsKey("quick_replies")).isFalse();
  }

  @Test
  void theBlockIsACopyThatTheApiCallsDoNotShare() {
    DynamicBlockBuilder.Response res = builder.forResponse(simple(texts(1), List.of()), FLOW);

    content(res.block()).getJsonArray("messages").clear();

    assertThat(content(res.blockCalls().get(0)).getJsonArray("messages")).hasSize(1);
  }

  @Test
  void aSubscriberIdThatIsNotANumberIsRefusedForAResponseToo() {
    Reply r = reply("ig_5f3a", Channel.INSTAGRAM, texts(1), List.of(), "S", null, Map.of(), List.of(), List.of());

    assertThatThrownBy(() -> builder.forResponse(r, FLOW)).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("ig_5f3a");
  }
}
