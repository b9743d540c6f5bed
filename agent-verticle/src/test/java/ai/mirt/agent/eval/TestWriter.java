package ai.mirt.agent.eval;

import ai.mirt.agent.Conversation;
import ai.mirt.agent.Draft;
import ai.mirt.agent.Intent;
import ai.mirt.agent.Stage;
import ai.mirt.agent.Step;
import ai.mirt.agent.TurnContext;
import ai.mirt.agent.Writer;
import ai.mirt.common.OutMessage;

import java.util.List;

/** A writer whose answers the tests know in advance. */
final class TestWriter implements Writer {

  static final String PHOTO = "https://shop.example.com/img/dress-01-1.jpg";

  /** Writes one draft; may throw, as a model does. */
  interface Answering {
    Draft write(Step step, TurnContext context) throws Exception;
  }

  private final Answering answering;

  TestWriter(Answering answering) {
    this.answering = answering;
  }

  /**
   * Every answering node: a greeting by name, the «Ромашка» dress at its catalog price and one of its photos, in
   * {@code STATE_1_DISCOVERY}; a text with "впала" (fell over) makes it fail as a model does. Escalation: the shop's
   * text for the reason, as the offline assistant writes it.
   */
  static TestWriter shop() {
    return new TestWriter((step, c) -> {
      if (step == Step.ESCALATION) {
        return escalation(c);
      }
      if (c.text().contains("впала")) {
        throw new IllegalStateException("the model is down");
      }
      return romashka(c);
    });
  }

  static Draft romashka(TurnContext c) {
    String hello = c.name() == null ? "Вітаю!" : "Вітаю, " + c.name() + "!";
    Conversation after = c.conversation().toBuilder().shown(List.of("dress-01"), "dress-01").build();
    return new Draft(List.of(OutMessage.text(hello + " Сукня «Ромашка» коштує 1250 грн."), OutMessage.image(PHOTO)),
      null, Stage.STATE_1_DISCOVERY, null, after, null, List.of("dress-01"), null);
  }

  static Draft escalation(TurnContext c) {
    String reason = c.escalation() == null ? "complaint" : c.escalation();
    Stage stage = c.intent() == Intent.COMPLAINT ? Stage.STATE_8_COMPLAINT : c.conversation().stage();
    return new Draft(List.of(OutMessage.text(c.shop().text(c.shop().hasText(reason) ? reason : "complaint"))),
      List.of(), stage, null, c.conversation(), reason, List.of(), null);
  }

  @Override
  public Draft write(Step step, TurnContext context) throws Exception {
    return answering.write(step, context);
  }

  @Override
  public String model() {
    return "test";
  }
}
