package ai.mirt.agent;

import ai.mirt.common.Channel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SavedConversationTest {

  @Test
  void whatIsKnownGoesBesideTheConversationAndComesBack() {
    Conversation c = Conversation.empty().withMessage(Conversation.USER, "Привіт", 10);
    String json = new SavedConversation(c, Channel.WHATSAPP, 1_234L, "GREETING_ONLY").encode();
    SavedConversation back = SavedConversation.decode("1", json);
    assertThat(back).isEqualTo(new SavedConversation(c, Channel.WHATSAPP, 1_234L, "GREETING_ONLY"));
    assertThat(Conversation.fromJson(new JsonObject(json))).as("the conversation reads as before").isEqualTo(c);
  }

  @Test
  void whatIsNotKnownIsLeftOut() {
    JsonObject json = new JsonObject(SavedConversation.empty().encode());
    assertThat(json.containsKey("channel")).isFalse();
    assertThat(json.containsKey("lastCustomerAt")).isFalse();
    assertThat(json.containsKey("intent")).isFalse();
    assertThat(SavedConversation.decode("1", json.encode())).isEqualTo(SavedConversation.empty());
  }

  @Test
  void anEmptyOrUnreadableTextStartsOver() {
    assertThat(SavedConversation.decode("1", null)).isEqualTo(SavedConversation.empty());
    assertThat(SavedConversation.decode("1", "")).isEqualTo(SavedConversation.empty());
    assertThat(SavedConversation.decode("1", "{not json")).isEqualTo(SavedConversation.empty());
    assertThat(SavedConversation.decode("1", "{\"history\":[1]}")).isEqualTo(SavedConversation.empty());
    assertThat(SavedConversation.decode("1", "{\"channel\":\"fax\"}").channel()).isNull();
  }

  @Test
  void withKeepsTheRest() {
    SavedConversation s = new SavedConversation(Conversation.empty(), Channel.INSTAGRAM, 7L, "COMPLAINT");
    Conversation next = Conversation.empty().withMessage(Conversation.ASSISTANT, "Добрий день", 5);
    assertThat(s.with(next)).isEqualTo(new SavedConversation(next, Channel.INSTAGRAM, 7L, "COMPLAINT"));
  }
}
