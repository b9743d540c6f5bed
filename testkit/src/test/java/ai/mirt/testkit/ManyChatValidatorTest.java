package ai.mirt.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

class ManyChatValidatorTest {

  private static final String SEND_CONTENT = FakeManyChat.SEND_CONTENT;
  private static final String SET_CUSTOM_FIELDS = "/fb/subscriber/setCustomFields";
  private static final String SET_CUSTOM_FIELD_BY_NAME = "/fb/subscriber/setCustomFieldByName";
  private static final String ADD_TAG = "/fb/subscriber/addTagByName";
  private static final String REMOVE_TAG = "/fb/subscriber/removeTagByName";
  private static final String GET_INFO = "/fb/subscriber/getInfo";

  /** What Mirt sends after a customer asks about a dress: Ukrainian text, two photos, a price with a link. */
  private static final String REALISTIC_REPLY = """
    {
      "subscriber_id": 1234567890,
      "data": {
        "version": "v2",
        "content": {
          "type": "instagram",
          "messages": [
            {"type": "text", "text": "Вітаю! Сукня «Мрія» є в розмірах S, M і L. Ось як вона виглядає 👇"},
            {"type": "image", "url": "https://shop.example/p/mriya-front.jpg"},
            {"type": "image", "url": "https://shop.example/p/mriya-back.jpg"},
            {"type": "text", "text": "Ціна 1 850 грн, доставка Новою поштою 1–2 дні. Підказати, який розмір обрати?",
             "buttons": [{"type": "url", "caption": "Переглянути на сайті", "url": "https://shop.example/p/mriya"}]}
          ],
          "actions": [
            {"action": "add_tag", "tag_name": "ai_responded"},
            {"action": "set_field_value", "field_name": "ai_state", "value": "STATE_2_OFFER"},
            {"action": "set_field_value", "field_name": "ai_turns", "value": 3}
          ],
          "quick_replies": [
            {"type": "flow", "caption": "Розмір S", "target": "content20240101000000_000001"},
            {"type": "flow", "caption": "Розмір M", "target": "content20240101000000_000002"},
            {"type": "flow", "caption": "Розмір L", "target": "content20240101000000_000003"},
            {"type": "flow", "caption": "Покликати менеджера", "target": "content20240101000000_000004"}
          ]
        }
      }
    }
    """;

  private final ManyChatValidator validator = ManyChatValidator.load();

  @Test
  void realisticInstagramReplyPasses() {
    assertThat(validator.violations(SEND_CONTENT, reply())).isEmpty();
    assertThatCode(() -> validator.assertValid(SEND_CONTENT, reply())).doesNotThrowAnyException();
  }

  @Test
  void subscriberCallsMirtMakesPass() {
    JsonObject fields = new JsonObject().put("subscriber_id", 1234567890L).put("fields", new JsonArray()
      .add(new JsonObject().put("field_name", "ai_state").put("field_value", "STATE_3_CHECKOUT"))
      .add(new JsonObject().put("field_id", 77777777).put("field_value", 2))
      .add(new JsonObject().put("field_name", "ai_paused").put("field_value", false)));
    JsonObject oneField = new JsonObject().put("subscriber_id", 1234567890L)
      .put("field_name", "ai_last_reply_at").put("field_value", "2025-11-26T10:15:00+02:00");
    JsonObject tag = new JsonObject().put("subscriber_id", 1234567890L).put("tag_name", "needs_human");

    assertThat(validator.violations(SET_CUSTOM_FIELDS, fields)).isEmpty();
    assertThat(validator.violations(SET_CUSTOM_FIELD_BY_NAME, oneField)).isEmpty();
    assertThat(validator.violations(ADD_TAG, tag)).isEmpty();
    assertThat(validator.violations(REMOVE_TAG, tag)).isEmpty();
    assertThat(validator.violations(GET_INFO + "?subscriber_id=1234567890", null)).isEmpty();
  }

  @Test
  void subscriberIdAsStringIsRejected() {
    JsonObject body = reply().put("subscriber_id", "1234567890");

    assertSingleViolation(SEND_CONTENT, body, "/subscriber_id", "must be an integer", "a string");
  }

  @Test
  void subscriberIdAsDecimalIsRejected() {
    JsonObject body = reply().put("subscriber_id", 1234567890.5);

    assertSingleViolation(SEND_CONTENT, body, "/subscriber_id", "must be an integer", "a decimal number");
  }

  @Test
  void subscriberIdOnTagCallsMustBeAnIntegerToo() {
    JsonObject body = new JsonObject().put("subscriber_id", "1234567890").put("tag_name", "needs_human");

    assertSingleViolation(ADD_TAG, body, "/subscriber_id", "must be an integer");
  }

  @Test
  void sendContentWithoutDataIsRejected() {
    JsonObject body = reply();
    body.remove("data");

    assertSingleViolation(SEND_CONTENT, body, "/data", "required", "missing");
  }

  @Test
  void messageTagAndNotificationTopicAreRejected() {
    assertSingleViolation(SEND_CONTENT, reply().put("message_tag", "HUMAN_AGENT"), "/message_tag", "must be absent");
    assertSingleViolation(SEND_CONTENT, reply().put("otn_topic_name", "Новинки"), "/otn_topic_name", "must be absent");
  }

  @Test
  void unknownTopLevelKeyIsRejected() {
    JsonObject body = reply().put("recipient_id", 1234567890);

    assertSingleViolation(SEND_CONTENT, body, "/recipient_id", "not a property");
  }

  @Test
  void blockVersionOtherThanV2IsRejected() {
    JsonObject body = reply();
    body.getJsonObject("data").put("version", "v1");

    assertSingleViolation(SEND_CONTENT, body, "/data/version", "must be \"v2\"", "\"v1\"");
  }

  @Test
  void unknownChannelIsRejected() {
    JsonObject body = reply();
    content(body).put("type", "tiktok");

    assertSingleViolation(SEND_CONTENT, body, "/data/content/type", "instagram, facebook, whatsapp, telegram",
      "\"tiktok\"");
  }

  @Test
  void blockWithoutMessagesIsRejected() {
    JsonObject body = reply();
    content(body).put("messages", new JsonArray());

    assertSingleViolation(SEND_CONTENT, body, "/data/content/messages", "has 0 messages", "1 to 10");
  }

  @Test
  void blockWithElevenMessagesIsRejected() {
    JsonObject body = reply();
    JsonArray messages = new JsonArray();
    for (int i = 1; i <= 11; i++) {
      messages.add(new JsonObject().put("type", "text").put("text", "Частина " + i));
    }
    content(body).put("messages", messages);

    assertSingleViolation(SEND_CONTENT, body, "/data/content/messages", "has 11 messages", "1 to 10");
  }

  @Test
  void sixActionsAreRejected() {
    JsonObject body = reply();
    content(body).getJsonArray("actions")
      .add(new JsonObject().put("action", "remove_tag").put("tag_name", "new_lead"))
      .add(new JsonObject().put("action", "unset_field_value").put("field_name", "ai_error"))
      .add(new JsonObject().put("action", "add_tag").put("tag_name", "hot_lead"));

    assertSingleViolation(SEND_CONTENT, body, "/data/content/actions", "has 6 actions", "at most 5");
  }

  @Test
  void twelveQuickRepliesAreRejected() {
    JsonObject body = reply();
    JsonArray quickReplies = new JsonArray();
    for (int i = 1; i <= 12; i++) {
      quickReplies.add(new JsonObject().put("type", "flow").put("caption", "Варіант " + i)
        .put("target", "content20240101000000_0000" + i));
    }
    content(body).put("quick_replies", quickReplies);

    assertSingleViolation(SEND_CONTENT, body, "/data/content/quick_replies", "has 12 quick replies", "at most 11");
  }

  @Test
  void captionOfTwentyOneCharactersIsRejected() {
    JsonObject body = reply();
    String caption = "Покликати менеджера!!";
    quickReply(body, 3).put("caption", caption);

    assertThat(caption.codePointCount(0, caption.length())).isEqualTo(21);
    assertSingleViolation(SEND_CONTENT, body, "/data/content/quick_replies/3/caption", "21 characters", "1 to 20");
  }

  @Test
  void captionLimitCountsCharactersNotBytes() {
    String caption = content(reply()).getJsonArray("messages").getJsonObject(3).getJsonArray("buttons")
      .getJsonObject(0).getString("caption");

    assertThat(caption.codePointCount(0, caption.length())).isEqualTo(20);
    assertThat(caption.getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThan(20);
    assertThat(validator.violations(SEND_CONTENT, reply())).isEmpty();
  }

  @Test
  void cyrillicTextOverThousandBytesIsRejectedThoughUnderThousandCharacters() {
    String atLimit = "ї".repeat(500);
    String overLimit = atLimit + "!";
    JsonObject fits = reply();
    message(fits, 0).put("text", atLimit);
    JsonObject tooLong = reply();
    message(tooLong, 0).put("text", overLimit);

    assertThat(overLimit.length()).isLessThan(1000);
    assertThat(overLimit.getBytes(StandardCharsets.UTF_8)).hasSize(1001);
    assertThat(validator.violations(SEND_CONTENT, fits)).isEmpty();
    assertSingleViolation(SEND_CONTENT, tooLong, "/data/content/messages/0/text", "1001 UTF-8 bytes",
      "at most 1000 bytes");
  }

  @Test
  void imageWithCaptionIsRejected() {
    JsonObject body = reply();
    message(body, 1).put("caption", "Сукня «Мрія», вигляд спереду");

    assertSingleViolation(SEND_CONTENT, body, "/data/content/messages/1/caption", "no caption key");
  }

  @Test
  void plainHttpImageUrlIsRejected() {
    JsonObject body = reply();
    message(body, 2).put("url", "http://shop.example/p/mriya-back.jpg");

    assertSingleViolation(SEND_CONTENT, body, "/data/content/messages/2/url", "must be an https URL",
      "http://shop.example/p/mriya-back.jpg");
  }

  @Test
  void nodeQuickReplyIsRejected() {
    JsonObject body = reply();
    quickReply(body, 3).put("type", "node").put("target", "Менеджер");

    assertSingleViolation(SEND_CONTENT, body, "/data/content/quick_replies/3/type", "\"node\"",
      "does not work through ManyChat's Public API");
  }

  @Test
  void unknownActionIsRejected() {
    JsonObject body = reply();
    content(body).getJsonArray("actions").set(0, new JsonObject().put("action", "notify_admin"));

    assertSingleViolation(SEND_CONTENT, body, "/data/content/actions/0/action", "\"notify_admin\"",
      "not a Dynamic Block action");
  }

  @Test
  void unknownKeyInActionIsRejected() {
    JsonObject body = reply();
    content(body).getJsonArray("actions").getJsonObject(0).put("tag_id", 42);

    assertSingleViolation(SEND_CONTENT, body, "/data/content/actions/0/tag_id", "not a key of the add_tag action");
  }

  @Test
  void setFieldValueWithObjectValueIsRejected() {
    JsonObject body = reply();
    content(body).getJsonArray("actions").getJsonObject(1).put("value", new JsonObject().put("state", "offer"));

    assertSingleViolation(SEND_CONTENT, body, "/data/content/actions/1/value", "string, number or boolean",
      "an object");
  }

  @Test
  void videoIsRejectedOnInstagramOnly() {
    JsonObject instagram = reply();
    content(instagram).getJsonArray("messages")
      .set(1, new JsonObject().put("type", "video").put("url", "https://shop.example/v/mriya.mp4"));
    JsonObject messenger = instagram.copy();
    content(messenger).put("type", "facebook");

    assertSingleViolation(SEND_CONTENT, instagram, "/data/content/messages/1/type", "\"video\"",
      "not supported on Instagram");
    assertThat(validator.violations(SEND_CONTENT, messenger)).isEmpty();
  }

  @Test
  void unknownKeyInMessageIsRejected() {
    JsonObject body = reply();
    message(body, 0).put("delay", 2);

    assertSingleViolation(SEND_CONTENT, body, "/data/content/messages/0/delay", "not a key of a text message");
  }

  @Test
  void accountWideTagRemovalIsRejected() {
    JsonObject body = new JsonObject().put("tag_name", "ai_responded");

    assertThat(validator.violations("/fb/page/removeTagByName", body)).singleElement(STRING)
      .contains("/fb/page/removeTagByName", "deletes the tag from the whole ManyChat account");
    assertThat(validator.violations("/fb/page/removeTag", new JsonObject().put("tag_id", 42)))
      .singleElement(STRING).contains("whole ManyChat account");
  }

  @Test
  void pathOutsideTheSpecIsRejected() {
    assertThat(validator.violations("/fb/sending/sendMessage", reply())).singleElement(STRING)
      .contains("/fb/sending/sendMessage", "not a path");
  }

  @Test
  void setCustomFieldsWithTwentyOneFieldsIsRejected() {
    JsonObject twenty = customFields(20);
    JsonObject twentyOne = customFields(21);

    assertThat(validator.violations(SET_CUSTOM_FIELDS, twenty)).isEmpty();
    assertSingleViolation(SET_CUSTOM_FIELDS, twentyOne, "/fields", "has 21 items", "1 to 20");
  }

  @Test
  void customFieldMustBeNamedExactlyOneWay() {
    JsonObject both = new JsonObject().put("subscriber_id", 1234567890).put("fields", new JsonArray()
      .add(new JsonObject().put("field_id", 7).put("field_name", "ai_state").put("field_value", "x")));
    JsonObject neither = new JsonObject().put("subscriber_id", 1234567890).put("fields", new JsonArray()
      .add(new JsonObject().put("field_value", "x")));

    assertSingleViolation(SET_CUSTOM_FIELDS, both, "/fields/0", "exactly one of field_name or field_id", "both");
    assertSingleViolation(SET_CUSTOM_FIELDS, neither, "/fields/0", "exactly one of field_name or field_id", "neither");
  }

  @Test
  void customFieldValueMustBeScalar() {
    JsonObject body = new JsonObject().put("subscriber_id", 1234567890).put("field_name", "ai_state")
      .put("field_value", new JsonArray().add("a"));

    assertSingleViolation(SET_CUSTOM_FIELD_BY_NAME, body, "/field_value", "string, number or boolean", "an array");
  }

  @Test
  void emptyTagNameIsRejected() {
    JsonObject body = new JsonObject().put("subscriber_id", 1234567890).put("tag_name", "");

    assertSingleViolation(ADD_TAG, body, "/tag_name", "must not be empty");
  }

  @Test
  void getInfoQueryIsCheckedAgainstTheSpec() {
    assertThat(validator.violations(GET_INFO + "?subscriber_id=abc", null)).singleElement(STRING)
      .contains("subscriber_id", "must be an integer");
    assertThat(validator.violations(GET_INFO, null)).singleElement(STRING)
      .contains("subscriber_id", "required");
  }

  @Test
  void requiredListInTheYamlDrivesTheRequiredCheck() throws IOException {
    String sending = resource(ManyChatValidator.SENDING_RESOURCE);
    String requiredWithData = "- subscriber_id\n              - data\n";
    assertThat(sending.split(requiredWithData, -1)).as("sendContent's required list appears once").hasSize(2);
    String sendingWithoutData = sending.replace(requiredWithData, "- subscriber_id\n");
    ManyChatValidator relaxed =
      ManyChatValidator.fromYaml(sendingWithoutData, resource(ManyChatValidator.SUBSCRIBER_RESOURCE));
    JsonObject withoutData = reply();
    withoutData.remove("data");

    assertThat(relaxed.violations(SEND_CONTENT, withoutData)).isEmpty();
    assertThat(validator.violations(SEND_CONTENT, withoutData)).singleElement(STRING).contains("/data", "missing");
  }

  @Test
  void assertValidListsEveryViolation() {
    JsonObject body = reply().put("subscriber_id", "1234567890");
    body.getJsonObject("data").put("version", "v1");

    assertThatThrownBy(() -> validator.assertValid(SEND_CONTENT, body))
      .isInstanceOf(AssertionError.class)
      .hasMessageContaining("2 rule(s)")
      .hasMessageContaining("/subscriber_id must be an integer")
      .hasMessageContaining("/data/version must be \"v2\"");
  }

  @Test
  void bareDynamicBlockIsCheckedFromItsOwnRoot() {
    JsonObject block = reply().getJsonObject("data");
    JsonObject broken = block.copy();
    broken.getJsonObject("content").getJsonArray("quick_replies").getJsonObject(0).put("type", "node");

    assertThat(validator.dynamicBlockViolations(block)).isEmpty();
    assertThat(validator.dynamicBlockViolations(broken)).singleElement(STRING)
      .startsWith("/content/quick_replies/0/type");
  }

  @Test
  void aResponseBlockMayHoldNoMessagesButASendContentMayNot() {
    JsonObject silent = reply();
    content(silent).put("messages", new JsonArray());
    JsonObject tooMany = reply();
    JsonArray eleven = new JsonArray();
    for (int i = 1; i <= 11; i++) {
      eleven.add(new JsonObject().put("type", "text").put("text", "Частина " + i));
    }
    content(tooMany).put("messages", eleven);
    JsonObject missing = reply();
    content(missing).remove("messages");

    assertThat(validator.dynamicBlockViolations(silent.getJsonObject("data"))).isEmpty();
    assertSingleViolation(SEND_CONTENT, silent, "/data/content/messages", "has 0 messages", "1 to 10");
    assertThat(validator.dynamicBlockViolations(tooMany.getJsonObject("data"))).singleElement(STRING)
      .contains("/content/messages", "has 11 messages", "at most 10");
    assertThat(validator.dynamicBlockViolations(missing.getJsonObject("data"))).singleElement(STRING)
      .contains("/content/messages", "required");
  }

  private void assertSingleViolation(String path, JsonObject body, String... fragments) {
    List<String> violations = validator.violations(path, body);
    assertThat(violations).singleElement(STRING).contains(fragments);
  }

  private static JsonObject reply() {
    return new JsonObject(REALISTIC_REPLY);
  }

  private static JsonObject content(JsonObject body) {
    return body.getJsonObject("data").getJsonObject("content");
  }

  private static JsonObject message(JsonObject body, int index) {
    return content(body).getJsonArray("messages").getJsonObject(index);
  }

  private static JsonObject quickReply(JsonObject body, int index) {
    return content(body).getJsonArray("quick_replies").getJsonObject(index);
  }

  private static JsonObject customFields(int count) {
    JsonArray fields = new JsonArray();
    for (int i = 1; i <= count; i++) {
      fields.add(new JsonObject().put("field_name", "product_" + i).put("field_value", i));
    }
    return new JsonObject().put("subscriber_id", 1234567890).put("fields", fields);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ManyChatValidatorTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
