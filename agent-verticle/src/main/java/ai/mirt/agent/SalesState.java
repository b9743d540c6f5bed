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
 * The sales graph's state for one turn. Every value is a plain serializable type (strings, lists, booleans); the
 * conversation and the answer travel as JSON strings so a checkpoint saver can store the state as it is.
 */
public final class SalesState extends AgentState {

  public static final String TEXT = "text";
  public static final String IMAGES = "images";
  public static final String CUSTOMER_NAME = "customer_name";
  public static final String CONVERSATION = "conversation";
  public static final String ABUSIVE = "abusive";
  public static final String INTENT = "intent";
  public static final String ANSWER = "answer";
  /** Why the responder could not answer; set instead of {@link #ANSWER}. */
  public static final String ERROR = "error";

  public static final Map<String, Channel<?>> SCHEMA = Map.of(
    TEXT, Channels.base(() -> ""),
    IMAGES, Channels.base(ArrayList<String>::new),
    CONVERSATION, Channels.base(() -> Conversation.empty().toJson().encode()),
    ABUSIVE, Channels.base(() -> Boolean.FALSE),
    INTENT, Channels.base(Intent.OTHER::wire));

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

  public boolean abusive() {
    return this.<Boolean>value(ABUSIVE).orElse(false);
  }

  public Intent intent() {
    return Intent.fromWire(this.<String>value(INTENT).orElse(null));
  }

  public Optional<String> error() {
    return this.<String>value(ERROR);
  }

  public Optional<Answer> answer() {
    return this.<String>value(ANSWER).map(s -> Answer.fromJson(new JsonObject(s)));
  }
}
