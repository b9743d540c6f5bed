package ai.mirt.agent;

import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.Turn;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SalesGraphTest {

  private static Turn turn(String id, String text) {
    return new Turn("42", id, Channel.INSTAGRAM, text, List.of(),
      new Contact("Олена Коваль", "Олена", "olena", Map.of()), 1, 0L, 1, 0, "trace-" + id);
  }

  private final SalesGraph graph = newGraph(20);

  private static SalesGraph newGraph(int history) {
    try {
      return new SalesGraph(TestCatalog.CATALOG, new OfflineResponder(TestCatalog.CATALOG), history);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void conversationCarriesOverBetweenTwoTurns() {
    SalesGraph.Result first = graph.run(turn("t1", "Покажіть сукню Ромашка"), Conversation.empty());
    SalesGraph.Result second = graph.run(turn("t2", "а в рожевому є?"), first.conversation());

    assertThat(first.intent()).isEqualTo(Intent.PRODUCT);
    assertThat(first.conversation().focusProductId()).isEqualTo("dress-01");
    assertThat(second.intent()).isEqualTo(Intent.COLOR);
    assertThat(second.answer().text()).startsWith("Так").contains("Ромашка");
    assertThat(second.conversation().history()).extracting(Conversation.Entry::role)
      .containsExactly("user", "assistant", "user", "assistant");
    assertThat(second.conversation().history().get(2).text()).isEqualTo("а в рожевому є?");
    assertThat(second.conversation().customerName()).isEqualTo("Олена");
    assertThat(second.conversation().stage()).isEqualTo(Stages.SIZE);
  }

  @Test
  void historyIsCappedAtConfiguredLength() {
    SalesGraph small = newGraph(4);
    Conversation c = Conversation.empty();
    for (int i = 0; i < 5; i++) {
      c = small.run(turn("t" + i, "Привіт " + i), c).conversation();
    }

    assertThat(c.history()).hasSize(4);
    assertThat(c.history().get(0).text()).isEqualTo("Привіт 3");
  }

  @Test
  void abusiveTextIsAnsweredPolitelyWithoutIntentDetection() {
    SalesGraph.Result r = graph.run(turn("t1", "ви всі ідіоти"), Conversation.empty());

    assertThat(r.intent()).isEqualTo(Intent.ABUSE);
    assertThat(r.answer().text()).isEqualTo(Moderator.POLITE_ANSWER);
    assertThat(r.conversation().history().get(0).text()).doesNotContain("ідіоти");
  }

  @Test
  void conversationSurvivesJsonRoundTrip() {
    Conversation c = graph.run(turn("t1", "Покажіть сукню Ромашка"), Conversation.empty()).conversation();

    assertThat(Conversation.fromJson(c.toJson())).isEqualTo(c);
  }

  @Test
  void failingResponderFailsTheRun() throws Exception {
    Responder broken = new Responder() {
      @Override
      public Answer respond(Question question, Conversation conversation) {
        throw new IllegalStateException("model down");
      }

      @Override
      public String model() {
        return "broken";
      }
    };
    SalesGraph g = new SalesGraph(TestCatalog.CATALOG, broken, 20);

    assertThatThrownBy(() -> g.run(turn("t1", "Привіт"), Conversation.empty()))
      .isInstanceOf(AgentFailure.class)
      .hasMessage("IllegalStateException: model down");
  }
}
