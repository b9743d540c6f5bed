package ai.mirt.agent.eval;

import ai.mirt.agent.Assistant;
import ai.mirt.agent.Conversation;
import ai.mirt.agent.Draft;
import ai.mirt.agent.Stage;
import ai.mirt.agent.Step;
import ai.mirt.common.Channel;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Turn;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner against the real graph, shop and catalog, with a writer whose answers are known ({@link TestWriter}):
 * greetings get the «Ромашка» dress at 1250 грн with one photo, and a text with "впала" makes the model fail, which
 * escalates with {@code model_failure} and the {@code needs_human} tag.
 */
class EvalRunnerTest {

  static final String GREETING = """
    name: Привітання
    customer: {first_name: Олена}
    turns:
      - say: Привіт
    """;

  @Test
  void aScriptTheAnswersMeetPasses() throws Exception {
    Script script = ScriptLoader.parse("01-ok.yaml", """
      name: Привітання, збій моделі, покупки
      customer: {first_name: Олена}
      turns:
        - say: Привіт
          state: STATE_1_DISCOVERY
          intent: GREETING_ONLY
          fields: {last_product: "Сукня «Ромашка»", order_sum: ~}
          says: ["олена", "1250 грн"]
          photos: 1
          escalation: false
          no_tags: needs_human
          order: false
        - say: Модель впала
          escalation: model_failure
          tags: [needs_human]
          says: "повідомлення вже у менеджера"
          not_says: "1250 грн"
          fields: {last_product: ~}
          photos: 0
        - say: Покажіть сукні
          escalation: false
          removed_tags: [needs_human]
          no_tags: [needs_human]
      """);

    EvalResult result = runner().run(script, 1);

    assertThat(result).isEqualTo(new EvalResult("01-ok.yaml", "Привітання, збій моделі, покупки", 3, 3,
      List.of()));
    assertThat(result.passed()).isTrue();
  }

  @Test
  void aWrongExpectationIsReportedAsExactlyThatDifference() throws Exception {
    Script script = ScriptLoader.parse("02-wrong.yaml", GREETING + "    state: STATE_4_OFFER\n    photos: 1\n");

    EvalResult result = runner().run(script, 1);

    assertThat(result.differences())
      .containsExactly("turn 1 (\"Привіт\"): state expected STATE_4_OFFER, got STATE_1_DISCOVERY");
    assertThat(result.turnsPassed()).isZero();
    assertThat(result.passed()).isFalse();
  }

  @Test
  void aPhraseTheReplyLacksIsReportedWithTheReply() throws Exception {
    Script script = ScriptLoader.parse("03-phrase.yaml", GREETING + "    says: [\"1250 ГРН\", \"1390 грн\"]\n");

    EvalResult result = runner().run(script, 1);

    assertThat(result.differences()).containsExactly("turn 1 (\"Привіт\"): says expected \"1390 грн\", the reply: "
      + "\"Вітаю, Олена! Сукня «Ромашка» коштує 1250 грн.\"");
  }

  @Test
  void everyExpectationReportsItsOwnDifference() throws Exception {
    Script script = ScriptLoader.parse("04-all-wrong.yaml", """
      customer: {first_name: Олена}
      turns:
        - say: Привіт
          state: STATE_4_OFFER
          intent: COMPLAINT
          fields: {last_product: ~, order_sum: 1250, client_phone: ~}
          tags: [order_started]
          removed_tags: [needs_human]
          no_tags: [order_started]
          says: "1390 грн"
          not_says: ["ромашка", "1390"]
          photos: 0
          escalation: complaint
          order: true
        - say: Модель впала
          fields: {last_product: "Сукня «Ромашка»"}
          escalation: false
          no_tags: [needs_human]
          order_status: paid
        - say: Покажіть сукні
          fields: {last_product: "Сукня «Веселка»"}
          escalation: true
      """);

    EvalResult result = runner().run(script, 1);

    String reply = "the reply: \"Вітаю, Олена! Сукня «Ромашка» коштує 1250 грн.\"";
    assertThat(result.differences()).containsExactly(
      "turn 1 (\"Привіт\"): state expected STATE_4_OFFER, got STATE_1_DISCOVERY",
      "turn 1 (\"Привіт\"): intent expected COMPLAINT, got GREETING_ONLY",
      "turn 1 (\"Привіт\"): field last_product expected not written, got \"Сукня «Ромашка»\"",
      "turn 1 (\"Привіт\"): field order_sum expected \"1250\", not written",
      "turn 1 (\"Привіт\"): tags expected order_started, added []",
      "turn 1 (\"Привіт\"): removed_tags expected needs_human, removed []",
      "turn 1 (\"Привіт\"): says expected \"1390 грн\", " + reply,
      "turn 1 (\"Привіт\"): not_says \"ромашка\" in " + reply,
      "turn 1 (\"Привіт\"): photos expected 0, got 1",
      "turn 1 (\"Привіт\"): escalation expected complaint, got none",
      "turn 1 (\"Привіт\"): order expected, got none",
      "turn 2 (\"Модель впала\"): field last_product expected \"Сукня «Ромашка»\", not written",
      "turn 2 (\"Модель впала\"): no_tags needs_human added",
      "turn 2 (\"Модель впала\"): escalation expected none, got model_failure",
      "turn 2 (\"Модель впала\"): order expected (paid), got none",
      "turn 2 (\"Модель впала\"): the model failed: IllegalStateException: the model is down",
      "turn 3 (\"Покажіть сукні\"): field last_product expected \"Сукня «Веселка»\", not written",
      "turn 3 (\"Покажіть сукні\"): escalation expected (any reason), got none");
    assertThat(result.turnsPassed()).isZero();
  }

  @Test
  void ordersAreComparedByTheirStatus() throws Exception {
    Assistant assistant = Assistants.writing(new TestWriter((step, c) -> {
      boolean paid = c.text().contains("Оплатила") || Conversation.PAID.equals(c.conversation().orderStatus());
      String status = paid ? Conversation.PAID : Conversation.CONFIRMED;
      Conversation after = c.conversation().toBuilder()
        .cart(List.of(new Conversation.Line("dress-01", "Сукня «Ромашка»", 116, "білий", 1250)))
        .order("ORD-1", status).build();
      return new Draft(List.of(OutMessage.text("Замовлення ORD-1 на 1250 грн, передоплата 200 грн.")), null,
        Stage.STATE_1_DISCOVERY, null, after, null, List.of("dress-01"), null);
    }));
    Script script = ScriptLoader.parse("05-order.yaml", """
      turns:
        - say: Оформлюю
          fields: {order_sum: 1250}
          order: false
        - say: Оплатила
          tags: [order_paid]
          order_status: confirmed
        - say: Дякую
          order_status: paid
      """);

    EvalResult result = new EvalRunner(assistant).run(script, 1);

    assertThat(result.differences()).containsExactly(
      "turn 1 (\"Оформлюю\"): order expected none, got ORD-1 (confirmed)",
      "turn 2 (\"Оплатила\"): order_status expected confirmed, got paid",
      "turn 3 (\"Дякую\"): order expected (paid), got none");
  }

  @Test
  void aPhotoOutsideTheCatalogFailsTheTurnThoughTheScriptDidNotAsk() throws Exception {
    String fake = "https://elsewhere.example.com/fake.jpg";
    Assistant assistant = Assistants.writing(new TestWriter((step, c) -> new Draft(
      List.of(OutMessage.text("Ось схожа сукня"), OutMessage.image(fake)), null, c.conversation().stage(), null,
      c.conversation(), step == Step.ESCALATION ? c.escalation() : null, List.of(), null)));

    EvalResult result = new EvalRunner(assistant).run(ScriptLoader.parse("06-photo.yaml", GREETING), 1);

    assertThat(result.passed()).isFalse();
    assertThat(result.differences()).singleElement().asString()
      .startsWith("turn 1 (\"Привіт\"): catalog: ").contains(fake);
  }

  @Test
  void anAnswerWithoutMessagesFails() throws Exception {
    Assistant assistant = Assistants.writing(new TestWriter((step, c) -> new Draft(List.of(), null,
      c.conversation().stage(), null, c.conversation(), null, List.of(), null)));

    EvalResult result = new EvalRunner(assistant).run(ScriptLoader.parse("07-silent.yaml", GREETING), 1);

    assertThat(result.differences()).containsExactly("turn 1 (\"Привіт\"): no reply: the answer has no messages");
  }

  @Test
  void aTurnTheAssistantCannotAnswerStopsTheConversation() throws Exception {
    Assistant assistant = Assistants.writing(new TestWriter((step, c) -> {
      throw new IllegalStateException("model down");
    }));
    Script script = ScriptLoader.parse("08-down.yaml", GREETING + "  - say: a\n  - say: b\n");

    EvalResult result = new EvalRunner(assistant).run(script, 1);

    assertThat(result.turnsPassed()).isZero();
    assertThat(result.turns()).isEqualTo(3);
    assertThat(result.differences()).hasSize(2);
    assertThat(result.differences().get(0)).startsWith("turn 1 (\"Привіт\"): the assistant failed: ")
      .contains("model down");
    assertThat(result.differences().get(1)).isEqualTo("turns 2–3 not run");
  }

  @Test
  void jsonScriptsRunLikeYaml() throws Exception {
    Script script = ScriptLoader.parse("09-greeting.json", """
      {"name": "Привітання", "customer": {"first_name": "Олена"},
       "turns": [{"say": "Привіт", "state": "STATE_1_DISCOVERY", "says": ["Олена", "1250 грн"], "photos": 1}]}
      """);

    EvalResult result = runner().run(script, 1);

    assertThat(result).isEqualTo(new EvalResult("09-greeting.json", "Привітання", 1, 1, List.of()));
  }

  @Test
  void eachConversationIsItsOwnInstagramSubscriber() {
    Script script = ScriptLoader.parse("a.yaml", """
      customer: {first_name: Олена}
      turns:
        - say: Привіт
        - say: Ось фото
          images: ["https://example.com/a.jpg"]
      """);

    Turn turn = EvalRunner.turn(script, 2, 2);

    assertThat(turn.subscriberId()).isEqualTo("eval-2");
    assertThat(turn.turnId()).isEqualTo("eval-2-2");
    assertThat(turn.channel()).isEqualTo(Channel.INSTAGRAM);
    assertThat(turn.contact().firstName()).isEqualTo("Олена");
    assertThat(turn.text()).isEqualTo("Ось фото");
    assertThat(turn.images()).containsExactly("https://example.com/a.jpg");
    assertThat(turn.messageCount()).isEqualTo(1);
    assertThat(turn.attempt()).isEqualTo(1);
  }

  @Test
  void aRunPlaysEveryScriptInOrderAsItsOwnCustomer() throws Exception {
    List<String> customers = new ArrayList<>();
    Assistant assistant = Assistants.writing(new TestWriter((step, c) -> {
      customers.add(c.name());
      return TestWriter.romashka(c);
    }));
    Script olena = ScriptLoader.parse("01.yaml", "customer: {first_name: Олена}\nturns: [{say: Привіт}]");
    Script marta = ScriptLoader.parse("02.yaml", "customer: {first_name: Марта}\nturns: [{say: Привіт}]");

    List<EvalResult> results = new EvalRunner(assistant).run(List.of(olena, marta));

    assertThat(results).extracting(EvalResult::file).containsExactly("01.yaml", "02.yaml");
    assertThat(customers).containsExactly("Олена", "Марта");
  }

  private static EvalRunner runner() throws Exception {
    return new EvalRunner(Assistants.writing(TestWriter.shop()));
  }
}
