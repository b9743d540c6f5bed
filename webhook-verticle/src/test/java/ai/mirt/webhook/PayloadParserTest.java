package ai.mirt.webhook;

import ai.mirt.common.Channel;
import ai.mirt.common.InboundMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadParserTest {

  private static InboundMessage parse(JsonObject body) {
    return PayloadParser.parse(body, 1_000L, "t1");
  }

  private static JsonObject sub(Object id) {
    return new JsonObject().put("id", id);
  }

  @Test
  void documentedBodyWithNumericIdAndText() {
    InboundMessage m = parse(new JsonObject()
      .put("subscriber", sub(123456789012L).put("first_name", "Оля").put("ig_username", "olya"))
      .put("message", new JsonObject().put("text", "Привіт! Є сукні?"))
      .put("type", "instagram"));
    assertThat(m.subscriberId()).isEqualTo("123456789012");
    assertThat(m.text()).isEqualTo("Привіт! Є сукні?");
    assertThat(m.channel()).isEqualTo(Channel.INSTAGRAM);
    assertThat(m.contact().firstName()).isEqualTo("Оля");
    assertThat(m.contact().igUsername()).isEqualTo("olya");
    assertThat(m.receivedAt()).isEqualTo(1_000L);
    assertThat(m.traceId()).isEqualTo("t1");
  }

  @Test
  void userAndUserIdAndContentAndDataMessageAreAccepted() {
    InboundMessage m = parse(new JsonObject()
      .put("user", new JsonObject().put("user_id", "abc-1"))
      .put("data", new JsonObject().put("message", new JsonObject().put("content", "костюм на 116"))));
    assertThat(m.subscriberId()).isEqualTo("abc-1");
    assertThat(m.text()).isEqualTo("костюм на 116");
    assertThat(m.channel()).isEqualTo(Channel.INSTAGRAM);
  }

  @Test
  void stringIdAndEveryChannelType() {
    for (Channel c : Channel.values()) {
      InboundMessage m = parse(new JsonObject().put("subscriber", sub("42")).put("type", c.wire())
        .put("message", new JsonObject().put("text", "hi")));
      assertThat(m.channel()).isEqualTo(c);
      assertThat(m.subscriberId()).isEqualTo("42");
    }
  }

  @Test
  void imagesFromEverySourceAreKeptInOrder() {
    JsonObject body = new JsonObject()
      .put("subscriber", sub(7))
      .put("message", new JsonObject()
        .put("text", "ось така")
        .put("attachments", new JsonArray()
          .add(new JsonObject().put("type", "image").put("payload", new JsonObject().put("url", "https://a.example/1.jpg")))
          .add(new JsonObject().put("type", "video").put("payload", new JsonObject().put("url", "https://a.example/v.mp4")))
          .add(new JsonObject().put("type", "image").put("payload", new JsonObject().put("url", "https://a.example/2.jpg"))))
        .put("image", "https://a.example/3.jpg")
        .put("image_url", "https://a.example/4.jpg"))
      .put("data", new JsonObject().put("image_url", "https://a.example/5.jpg").put("photo_url", "https://a.example/6.jpg"));
    InboundMessage m = parse(body);
    assertThat(m.images()).containsExactly("https://a.example/1.jpg", "https://a.example/2.jpg",
      "https://a.example/3.jpg", "https://a.example/4.jpg", "https://a.example/5.jpg", "https://a.example/6.jpg");
    assertThat(m.text()).isEqualTo("ось така");
  }

  @Test
  void imageOnlyMessageIsAccepted() {
    InboundMessage m = parse(new JsonObject().put("subscriber", sub(7))
      .put("message", new JsonObject().put("image_url", "https://a.example/1.jpg")));
    assertThat(m.text()).isEmpty();
    assertThat(m.images()).containsExactly("https://a.example/1.jpg");
  }

  @Test
  void fullContactDataBody() {
    InboundMessage m = parse(new JsonObject()
      .put("id", 987654321)
      .put("name", "Olena Petrenko")
      .put("first_name", "Olena")
      .put("ig_username", "olena.p")
      .put("last_input_text", "скільки коштує тренч?")
      .put("custom_fields", new JsonObject().put("child_height", 116).put("city", "Львів").putNull("empty")));
    assertThat(m.subscriberId()).isEqualTo("987654321");
    assertThat(m.text()).isEqualTo("скільки коштує тренч?");
    assertThat(m.contact().name()).isEqualTo("Olena Petrenko");
    assertThat(m.contact().customFields()).containsEntry("child_height", "116").containsEntry("city", "Львів")
      .doesNotContainKey("empty");
  }

  @Test
  void flatClientIdAndSessionIdBodies() {
    InboundMessage a = parse(new JsonObject().put("clientId", 555).put("message", "добрий день")
      .put("image_url", "https://a.example/x.png").put("type", "facebook"));
    assertThat(a.subscriberId()).isEqualTo("555");
    assertThat(a.text()).isEqualTo("добрий день");
    assertThat(a.images()).containsExactly("https://a.example/x.png");
    assertThat(a.channel()).isEqualTo(Channel.FACEBOOK);
    InboundMessage b = parse(new JsonObject().put("sessionId", "s-9").put("message", "hello"));
    assertThat(b.subscriberId()).isEqualTo("s-9");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "https://scontent-waw1-1.cdninstagram.com/v/t51.2885-15/1.jpg?x=1",
    ".;https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=x",
    " https://scontent.xx.fbcdn.net/v/t1.15752-9/2.jpg "})
  void instagramCdnUrlAsTextIsAnImage(String text) {
    InboundMessage m = parse(new JsonObject().put("subscriber", sub(1)).put("message", new JsonObject().put("text", text)));
    assertThat(m.text()).isEmpty();
    assertThat(m.images()).hasSize(1);
    assertThat(m.images().get(0)).startsWith("https://").doesNotContain(".;");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://shop.example.com/p/1.jpg", "дивись https://scontent.cdninstagram.com/1.jpg",
    "https://cdninstagram.com.evil.example/1.jpg"})
  void otherUrlsInTextStayText(String text) {
    InboundMessage m = parse(new JsonObject().put("subscriber", sub(1)).put("message", new JsonObject().put("text", text)));
    assertThat(m.text()).isEqualTo(text);
    assertThat(m.images()).isEmpty();
  }

  @Test
  void messageIdsAreTakenForDedupe() {
    assertThat(parse(new JsonObject().put("subscriber", sub(1))
      .put("message", new JsonObject().put("text", "a").put("id", "m-1"))).messageId()).isEqualTo("m-1");
    assertThat(parse(new JsonObject().put("subscriber", sub(1)).put("message_id", "m-2")
      .put("message", new JsonObject().put("text", "a"))).messageId()).isEqualTo("m-2");
    assertThat(parse(new JsonObject().put("clientId", 1).put("event_id", 77).put("message", "a")).messageId())
      .isEqualTo("77");
    assertThat(parse(new JsonObject().put("subscriber", sub(1))
      .put("message", new JsonObject().put("text", "a"))).messageId()).isNull();
  }

  private static void refused(JsonObject body, String fragment) {
    assertThatThrownBy(() -> parse(body))
      .isInstanceOf(BadRequestException.class)
      .hasMessageContaining(fragment)
      .satisfies(e -> assertThat(((BadRequestException) e).status()).isEqualTo(400));
  }

  @Test
  void missingSubscriberIdIsRefused() {
    refused(new JsonObject().put("message", new JsonObject().put("text", "hi")), "missing subscriber id");
    refused(new JsonObject().put("subscriber", new JsonObject()).put("message", new JsonObject().put("text", "hi")),
      "missing subscriber id");
    refused(new JsonObject().put("clientId", " ").put("message", "hi"), "missing subscriber id");
  }

  @Test
  void nonFiniteAndHugeNumericIdsAreRefusedOrKeptExactly() {
    refused(new JsonObject().put("subscriber", sub(Double.POSITIVE_INFINITY)).put("message", new JsonObject().put("text", "hi")),
      "whole number");
    refused(new JsonObject().put("id", Double.NaN).put("last_input_text", "hi"), "whole number");
    InboundMessage big = parse(new io.vertx.core.json.JsonObject("{\"subscriber\":{\"id\":123456789012345678901234567890},"
      + "\"message\":{\"text\":\"hi\"}}"));
    assertThat(big.subscriberId()).isEqualTo("123456789012345678901234567890");
  }

  @Test
  void unknownChannelValueIsShortenedInTheError() {
    refused(new JsonObject().put("clientId", 1).put("message", "hi").put("type", "x".repeat(500) + "\nINJECTED"),
      "…");
    assertThatThrownBy(() -> parse(new JsonObject().put("clientId", 1).put("message", "hi").put("type", "a\nb")))
      .hasMessageNotContaining("\n");
  }

  @Test
  void malformedIdsAreRefused() {
    refused(new JsonObject().put("subscriber", sub(1.5)).put("message", new JsonObject().put("text", "hi")),
      "whole number");
    refused(new JsonObject().put("subscriber", sub(new JsonObject())).put("message", new JsonObject().put("text", "hi")),
      "number or a text");
    refused(new JsonObject().put("subscriber", "1").put("message", new JsonObject().put("text", "hi")),
      "must be an object");
  }

  @Test
  void noTextAndNoImageIsRefused() {
    refused(new JsonObject().put("subscriber", sub(1)).put("message", new JsonObject().put("text", "  ")),
      "no text and no image");
    refused(new JsonObject().put("id", 1), "no text and no image");
  }

  @Test
  void textOverTenThousandCharactersIsRefused() {
    String ok = "я".repeat(PayloadParser.MAX_TEXT_CHARS);
    assertThat(parse(new JsonObject().put("clientId", 1).put("message", ok)).text()).hasSize(10_000);
    refused(new JsonObject().put("clientId", 1).put("message", ok + "!"), "longer than 10000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://a.example/1.jpg", "ftp://a.example/1.jpg", "https://localhost/1.jpg",
    "https://127.0.0.1/1.jpg", "https://10.1.2.3/1.jpg", "https://192.168.0.10/a.png", "https://172.16.5.4/a.png",
    "https://169.254.169.254/latest", "https://[::1]/a.png", "https://[fe80::1]/a.png", "https://[fd00::1]/a.png",
    "https://0.0.0.0/a.png", "not a url at all", "https://localhost./a.png", "https://2130706433/a.png",
    "https://0x7f.1/a.png", "https://127.1/a.png"})
  void unsafeImageUrlsAreRefused(String url) {
    refused(new JsonObject().put("clientId", 1).put("message", "фото").put("image_url", url), "image URL");
  }

  @Test
  void unknownChannelIsRefused() {
    refused(new JsonObject().put("clientId", 1).put("message", "hi").put("type", "sms"), "unknown channel type 'sms'");
  }

  @Test
  void wrongFieldTypesAreRefused() {
    refused(new JsonObject().put("subscriber", sub(1)).put("message", new JsonObject().put("text", 5)),
      "'message.text' must be a text");
    refused(new JsonObject().put("clientId", 1).put("message", new JsonArray()), "'message' must be a text");
    refused(new JsonObject().put("subscriber", sub(1)).put("message", new JsonObject().put("text", "a")
      .put("attachments", "x")), "attachments");
    refused(new JsonObject().put("clientId", 1).put("message", "a").put("image_url", 5), "image URL");
  }
}
