package ai.mirt.agent;

import ai.mirt.common.Contact;
import ai.mirt.common.Turn;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.StateGraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

import static org.bsc.langgraph4j.StateGraph.END;
import static org.bsc.langgraph4j.StateGraph.START;
import static org.bsc.langgraph4j.action.AsyncEdgeAction.edge_async;
import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

/**
 * The sales graph: {@code moderation} → ({@code intent} →) {@code respond}. Built and compiled once; {@link #run}
 * is thread-safe and blocks (a model call), so it runs on worker threads only.
 */
public final class SalesGraph {

  public static final String MODERATION = "moderation";
  public static final String INTENT = "intent";
  public static final String RESPOND = "respond";

  /** What one run produced: the answer, the detected intent and the conversation to keep. */
  public record Result(Answer answer, Intent intent, Conversation conversation) {
  }

  private final CompiledGraph<SalesState> graph;

  public SalesGraph(Catalog catalog, Responder responder, int historyMessages) throws GraphStateException {
    graph = new StateGraph<>(SalesState.SCHEMA, SalesState::new)
      .addNode(MODERATION, node_async(new ModerationNode(new Moderator())))
      .addNode(INTENT, node_async(new IntentNode(new IntentDetector(catalog))))
      .addNode(RESPOND, node_async(new RespondNode(responder, historyMessages)))
      .addEdge(START, MODERATION)
      .addConditionalEdges(MODERATION, edge_async(new ModerationRoute()), Map.of(INTENT, INTENT, RESPOND, RESPOND))
      .addEdge(INTENT, RESPOND)
      .addEdge(RESPOND, END)
      .compile();
  }

  /**
   * Runs the graph for one turn from the conversation as it was before the turn.
   *
   * @throws AgentFailure when the responder (the model) could not answer
   */
  public Result run(Turn turn, Conversation conversation) {
    Map<String, Object> input = new HashMap<>();
    input.put(SalesState.TEXT, turn.text());
    input.put(SalesState.IMAGES, new ArrayList<>(turn.images()));
    input.put(SalesState.CONVERSATION, conversation.toJson().encode());
    String name = firstName(turn.contact());
    if (name != null) {
      input.put(SalesState.CUSTOMER_NAME, name);
    }
    SalesState state = graph.invoke(input).orElseThrow(() -> new IllegalStateException("the graph produced no state"));
    if (state.error().isPresent()) {
      throw new AgentFailure(state.error().get());
    }
    Answer answer = state.answer().orElseThrow(() -> new IllegalStateException("the graph produced no answer"));
    return new Result(answer, state.intent(), state.conversation());
  }

  private static String firstName(Contact contact) {
    if (contact.firstName() != null && !contact.firstName().isBlank()) {
      return contact.firstName().trim();
    }
    if (contact.name() != null && !contact.name().isBlank()) {
      return contact.name().trim().split("\\s+")[0];
    }
    return null;
  }
}
