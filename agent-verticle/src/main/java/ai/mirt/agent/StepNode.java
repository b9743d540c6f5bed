package ai.mirt.agent;

import org.bsc.langgraph4j.action.NodeAction;

import java.util.Map;
import java.util.function.Supplier;

/**
 * One answering node ({@code discovery}, {@code offer}, …): asks the {@link Writer} for a draft. A writer that fails
 * (the model is down, slow or its breaker open) is recorded, not thrown, and the turn goes to {@code escalation},
 * which answers with an honest text.
 */
final class StepNode implements NodeAction<SalesState> {

  /** The escalation reason when the writer could not answer. */
  static final String WRITER_FAILED = "model_failure";

  private final Step step;
  private final Writer writer;
  private final Supplier<Catalog> catalog;
  private final Shop shop;

  StepNode(Step step, Writer writer, Supplier<Catalog> catalog, Shop shop) {
    this.step = step;
    this.writer = writer;
    this.catalog = catalog;
    this.shop = shop;
  }

  @Override
  public Map<String, Object> apply(SalesState state) {
    TurnContext context = new TurnContext(state.text(), state.images(), state.customerName().orElse(null),
      state.intent(), state.moderation(), state.conversation(), catalog.get(), shop, state.violations(),
      state.escalation().orElse(null));
    try {
      Draft draft = writer.write(step, context);
      return Map.of(SalesState.STEP, step.node(), SalesState.DRAFT, draft.toJson().encode());
    } catch (Exception e) {
      if (step == Step.ESCALATION) {
        // Nothing honest is left to say: the run fails and debounce retries the turn, then dead-letters it.
        throw new AgentFailure("the escalation text could not be written: " + AgentFailure.describe(e));
      }
      // Recorded instead of thrown: the graph library would log a routine model timeout as an error with a stack
      // trace, and the customer must get an honest answer rather than silence.
      return Map.of(SalesState.STEP, step.node(), SalesState.FAILURE, AgentFailure.describe(e),
        SalesState.ESCALATION, WRITER_FAILED);
    }
  }
}
