package ai.mirt.agent;

import ai.mirt.common.OutMessage;
import org.bsc.langgraph4j.action.NodeAction;

import java.util.List;
import java.util.Map;

/**
 * Writes the answer (the polite fixed one for abuse, else the {@link Responder}'s) and the conversation as it
 * stands after this turn.
 */
final class RespondNode implements NodeAction<SalesState> {

  static final String HIDDEN = "[повідомлення приховано модерацією]";

  private final Responder responder;
  private final int historyMessages;

  RespondNode(Responder responder, int historyMessages) {
    this.responder = responder;
    this.historyMessages = historyMessages;
  }

  @Override
  public Map<String, Object> apply(SalesState state) {
    Conversation before = state.conversation();
    String name = state.customerName().orElse(before.customerName());
    Responder.Question question = new Responder.Question(state.text(), state.images(), name, state.intent());
    Answer answer;
    if (state.abusive()) {
      answer = new Answer(List.of(OutMessage.text(Moderator.POLITE_ANSWER)), List.of(),
        Stages.after(Intent.ABUSE, before.stage()), Map.of(), List.of(), List.of(), before.shownProductIds(),
        before.focusProductId());
    } else {
      try {
        answer = responder.respond(question, before);
      } catch (Exception e) {
        // Recorded instead of thrown: the graph library would log every model timeout as an error with a stack
        // trace, while a failed turn is routine (debounce retries it) and the verticle logs it once.
        return Map.of(SalesState.ERROR, AgentFailure.describe(e));
      }
    }
    // The model reads the history later: abuse stays out of it.
    String said = state.abusive() ? HIDDEN : question.textWithPhotos();
    Conversation after = before.after(said, answer.text(), answer.state(),
      answer.shownProductIds(), answer.focusProductId(), name, historyMessages);
    return Map.of(SalesState.ANSWER, answer.toJson().encode(), SalesState.CONVERSATION, after.toJson().encode());
  }
}
