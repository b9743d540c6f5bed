package ai.mirt.agent;

import ai.mirt.common.Contact;
import ai.mirt.common.Turn;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.action.EdgeAction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.bsc.langgraph4j.StateGraph.END;
import static org.bsc.langgraph4j.StateGraph.START;
import static org.bsc.langgraph4j.action.AsyncEdgeAction.edge_async;
import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

/**
 * The sales graph: {@code moderation} → {@code intent} → one answering node ({@code vision}, {@code discovery},
 * {@code offer}, {@code payment}, {@code upsell}, {@code escalation}, {@code out_of_domain}) → {@code validation} →
 * end. Validation sends a refused draft back to its node at most twice, then to {@code escalation}; a node whose
 * writer failed goes to {@code escalation} too. Built and compiled once; {@link #run} is thread-safe and blocks (a
 * model call), so it runs on worker threads only.
 */
public final class SalesGraph {

  public static final String MODERATION = "moderation";
  public static final String INTENT = "intent";
  public static final String VALIDATION = "validation";
  /** The escalation reason of a turn that ran out of its time budget. */
  public static final String TIMEOUT = "timeout";

  private final CompiledGraph<SalesState> graph;
  private final Supplier<Catalog> catalog;
  private final Shop shop;
  private final Writer writer;
  private final Writer escalation;
  private final Finisher finisher;

  /**
   * @param writer     writes the answering nodes' drafts (the offline assistant or a model)
   * @param escalation writes escalations and fallbacks: never a model, so an honest answer is always possible
   */
  public SalesGraph(Supplier<Catalog> catalog, Shop shop, Writer writer, Writer escalation, int historyMessages,
                    boolean escalateOnFailure) throws GraphStateException {
    this.catalog = catalog;
    this.shop = shop;
    this.writer = writer;
    this.escalation = escalation;
    this.finisher = new Finisher(shop, historyMessages, escalateOnFailure);
    StateGraph<SalesState> g = new StateGraph<>(SalesState.SCHEMA, new SalesStateSerializer())
      .addNode(MODERATION, node_async(new ModerationNode(new Moderator())))
      .addNode(INTENT, node_async(new IntentNode(new IntentDetector(), catalog)))
      .addNode(VALIDATION, node_async(new ValidationNode(new ReplyValidator(), catalog)))
      .addEdge(START, MODERATION)
      .addEdge(MODERATION, INTENT);
    Map<String, String> steps = new LinkedHashMap<>();
    for (Step step : Step.values()) {
      Writer w = step == Step.ESCALATION ? escalation : writer;
      g.addNode(step.node(), node_async(new StepNode(step, w, catalog, shop)));
      steps.put(step.node(), step.node());
    }
    g.addConditionalEdges(INTENT, edge_async(route()), steps);
    Map<String, String> afterStep = Map.of(VALIDATION, VALIDATION, Step.ESCALATION.node(), Step.ESCALATION.node());
    for (Step step : Step.values()) {
      g.addConditionalEdges(step.node(), edge_async(afterStep(step)), afterStep);
    }
    Map<String, String> afterValidation = new LinkedHashMap<>(steps);
    afterValidation.put(END, END);
    g.addConditionalEdges(VALIDATION, edge_async(afterValidation()), afterValidation);
    graph = g.compile();
  }

  private static EdgeAction<SalesState> route() {
    return s -> Router.route(s.moderation(), s.intent(), !s.images().isEmpty(), s.conversation()).node();
  }

  /** A node whose writer failed hands the turn to escalation; every draft goes through validation. */
  private static EdgeAction<SalesState> afterStep(Step step) {
    return s -> step != Step.ESCALATION && s.failure().isPresent() ? Step.ESCALATION.node() : VALIDATION;
  }

  private static EdgeAction<SalesState> afterValidation() {
    return s -> {
      if (s.violations().isEmpty()) {
        return END;
      }
      if (s.escalation().isPresent()) {
        return Step.ESCALATION.node();
      }
      return s.step().orElseThrow().node();
    };
  }

  /**
   * Runs the graph for one turn from the conversation as it was before the turn.
   *
   * @throws AgentFailure when not even an escalation could be written
   */
  public Answer run(Turn turn, Conversation conversation) {
    Map<String, Object> input = new HashMap<>();
    input.put(SalesState.TEXT, turn.text());
    input.put(SalesState.IMAGES, new ArrayList<>(turn.images()));
    input.put(SalesState.CONVERSATION, conversation.toJson().encode());
    String name = firstName(turn.contact());
    if (name != null) {
      input.put(SalesState.CUSTOMER_NAME, name);
    }
    SalesState state = graph.invoke(input).orElseThrow(() -> new IllegalStateException("the graph produced no state"));
    Draft draft = state.draft().orElseThrow(() -> new AgentFailure("the graph wrote no answer"));
    Step step = state.step().orElseThrow();
    // A node may escalate on its own (a complaint, a model that asked for a person) besides the graph's reasons.
    String escalated = state.escalation().orElseGet(() -> blankToNull(draft.escalation()));
    return finisher.finish(turn.subscriberId(), said(turn), state.moderation(), state.intent(), step, draft,
      conversation, escalated, state.failure().orElse(null), catalog.get());
  }

  /**
   * The answer when the graph could not finish in time ({@code reason} {@link #TIMEOUT}): the escalation node's honest
   * text, written without any model, from the conversation as it was.
   */
  public Answer fallback(Turn turn, Conversation conversation, String reason) throws Exception {
    TurnContext context = new TurnContext(turn.text(), turn.images(), firstName(turn.contact()),
      Intent.UNKNOWN_OR_EMPTY, Moderation.OK, conversation, catalog.get(), shop, List.of(), reason);
    Draft draft = escalation.write(Step.ESCALATION, context);
    return finisher.finish(turn.subscriberId(), said(turn), Moderation.OK, Intent.UNKNOWN_OR_EMPTY, Step.ESCALATION,
      draft, conversation, reason, null, catalog.get());
  }

  /** What answers: {@code offline} or the model name. */
  public String model() {
    return writer.model();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String said(Turn turn) {
    return new TurnContext(turn.text(), turn.images(), null, null, Moderation.OK, Conversation.empty(), null, null,
      null, null).textWithPhotos();
  }

  static String firstName(Contact contact) {
    if (contact == null) {
      return null;
    }
    if (contact.firstName() != null && !contact.firstName().isBlank()) {
      return contact.firstName().trim();
    }
    if (contact.name() != null && !contact.name().isBlank()) {
      return contact.name().trim().split("\\s+")[0];
    }
    return null;
  }
}
