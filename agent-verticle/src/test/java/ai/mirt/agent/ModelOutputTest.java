package ai.mirt.agent;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the model's JSON becomes, value by value, and what it must not be. */
class ModelOutputTest {

  private static JsonObject answer() {
    return new JsonObject().put("messages", new JsonArray().add(" Вітаю! ").add("  ").add("Що підказати?"))
      .put("product_ids", new JsonArray().add("dress-01").add(" dress-01 ").add(7).add(" ").add("suit-01"))
      .put("state", " STATE_1_DISCOVERY ").put("intent", "GREETING_ONLY").put("escalation", " ")
      .put("client", new JsonObject().put("name", " Олена ").put("phone", "").put("city", 5).put("branch", "12"))
      .put("size", 116).put("color", " рожевий ");
  }

  @Test
  void everyValueIsReadStrippedAndBlanksAreLeftOut() {
    ModelOutput out = ModelOutput.parse(answer().encode());

    assertThat(out.messages()).containsExactly("Вітаю!", "Що підказати?");
    assertThat(out.productIds()).containsExactly("dress-01", "suit-01");
    assertThat(out.state()).isEqualTo("STATE_1_DISCOVERY");
    assertThat(out.intent()).isEqualTo("GREETING_ONLY");
    assertThat(out.escalation()).isNull();
    assertThat(out.client()).isEqualTo(new Conversation.Client("Олена", null, null, "12"));
    assertThat(out.size()).isEqualTo(116);
    assertThat(out.color()).isEqualTo("рожевий");
  }

  @Test
  void aSizeIsAPositiveWholeNumberOrTwoToThreeDigits() {
    assertThat(ModelOutput.parse(answer().put("size", "104").encode()).size()).isEqualTo(104);
    assertThat(ModelOutput.parse(answer().put("size", " 98 ").encode()).size()).isEqualTo(98);
    assertThat(ModelOutput.parse(answer().put("size", 1).encode()).size()).isEqualTo(1);
    assertThat(ModelOutput.parse(answer().put("size", 0).encode()).size()).isNull();
    assertThat(ModelOutput.parse(answer().put("size", -4).encode()).size()).isNull();
    assertThat(ModelOutput.parse(answer().put("size", "1040").encode()).size()).isNull();
    assertThat(ModelOutput.parse(answer().put("size", "сто").encode()).size()).isNull();
    assertThat(ModelOutput.parse(answer().putNull("size").encode()).size()).isNull();
  }

  @Test
  void clientDataThatIsNotAnObjectIsNoClientData() {
    assertThat(ModelOutput.parse(answer().put("client", "Олена, Київ").encode()).client())
      .isEqualTo(Conversation.Client.EMPTY);
    assertThat(ModelOutput.parse(answer().put("client", new JsonArray()).encode()).client())
      .isEqualTo(Conversation.Client.EMPTY);
    JsonObject without = answer();
    without.remove("client");
    assertThat(ModelOutput.parse(without.encode()).client()).isEqualTo(Conversation.Client.EMPTY);
  }

  @Test
  void aFencedAnswerIsReadAndAnythingElseIsRefusedWithoutQuotingIt() {
    assertThat(ModelOutput.parse("```json\n" + answer().encode() + "\n```").messages()).hasSize(2);
    assertThatThrownBy(() -> ModelOutput.parse("Олена, +380671234567")).isInstanceOf(IllegalStateException.class)
      .hasMessageStartingWith("the model's answer is not a JSON object").hasMessageNotContaining("380671234567");
    assertThatThrownBy(() -> ModelOutput.parse(" ")).hasMessage("the model's answer is empty");
    assertThatThrownBy(() -> ModelOutput.parse(null)).hasMessage("the model's answer is empty");
    assertThatThrownBy(() -> ModelOutput.parse(new JsonObject().put("messages", "Привіт").encode()))
      .hasMessageStartingWith("the model's answer has no 'messages' array");
    assertThatThrownBy(() -> ModelOutput.parse(new JsonObject().put("messages", new JsonArray().add(1)).encode()))
      .hasMessageStartingWith("the model's 'messages' must hold strings");
    assertThatThrownBy(() -> ModelOutput.parse(new JsonObject().put("messages", new JsonArray().add(" ")).encode()))
      .hasMessage("the model's answer has no text to send: (18 characters, not logged)");
    assertThat(List.of(ModelOutput.RESPONSE_FORMAT.jsonSchema().name())).containsExactly("mirt_answer");
  }
}
