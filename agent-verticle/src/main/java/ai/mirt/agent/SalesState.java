package ai.mirt.agent;

import io.vertx.core.json.JsonObject;
import org.bsc.langgraph4j.state.AgentState;
import org.bsc.langgraph4j.state.Channel;
import org.bsc.langgraph4j.state.Channels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sales graph's state for one turn. Every value is a plain serializable type (strings, numbers, lists of
 * strings); the conversation and the draft travel as JSON text so a checkpoint saver can store the state as it is.
 */
public final class SalesState extends AgentState {

  public static final String TEXT = "text";
  public static final String IMAGES = "images";
  public static final String CUSTOMER_NAME = "customer_name";
  public static final String CONVERSATION = "conversation";
  public static final String MODERATION = "moderation";
  public static final String INTENT = "intent";
  /** The answering node that wrote the current draft. */
  public static final String STEP = "step";
  public static final String DRAFT = "draft";
  /** How many drafts validation refused this turn. */
  public static final String REJECTIONS = "rejections";
  /** What validation refused in the latest draft. */
  public static final String VIOLATIONS = "violations";
  /** Why the turn escalates to a person; set by moderation, the router, a failed node or validation. */
  public static final String ESCALATION = "escalation";
  /** Why the writer failed, when it did (logged, never shown to the customer). */
  public static final String FAILURE = "failure";

  public static final Map<String, Channel<?>> SCHEMA = Map.of(
    TEXT, Channels.base(() -> ""),
    IMAGES, Channels.base(ArrayList<String>::new),
    CONVERSATION, Channels.base(() -> Conversation.empty().toJson().encode()),
    MODERATION, Channels.base(Moderation.OK::name),
    INTENT, Channels.base(Intent.UNKNOWN_OR_EMPTY::name),
    REJECTIONS, Channels.base(() -> 0),
    VIOLATIONS, Channels.base(ArrayList<String>::new));

  public SalesState(Map<String, Object> data) {
    super(data);
  }

  public String text() {
    return this.<String>value(TEXT).orElse("");
  }

  public List<String> images() {
    return this.<List<String>>value(IMAGES).orElse(List.of());
  }

  public Optional<String> customerName() {
    return this.<String>value(CUSTOMER_NAME).filter(s -> !s.isBlank());
  }

  public Conversation conversation() {
    return this.<String>value(CONVERSATION).map(s -> Conversation.fromJson(new JsonObject(s)))
      .orElseGet(Conversation::empty);
  }

  public Moderation moderation() {
    return this.<String>value(MODERATION).map(Moderation::valueOf).orElse(Moderation.OK);
  }

  public Intent intent() {
    return this.<String>value(INTENT).flatMap(Intent::fromWire).orElse(Intent.UNKNOWN_OR_EMPTY);
  }

  public Optional<Step> step() {
    return this.<String>value(STEP).map(Step::fromNode);
  }

  public Optional<Draft> draft() {
    return this.<String>value(DRAFT).map(s -> Draft.fromJson(new JsonObject(s)));
  }

  public int rejections() {
    return this.<Integer>value(REJECTIONS).orElse(0);
  }

  public List<String> violations() {
    return this.<List<String>>value(VIOLATIONS).orElse(List.of());
  }

  public Optional<String> escalation() {
    return this.<String>value(ESCALATION).filter(s -> !s.isBlank());
  }

  public Optional<String> failure() {
    return this.<String>value(FAILURE).filter(s -> !s.isBlank());
  }
}
