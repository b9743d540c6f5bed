package ai.mirt.agent;

import ai.mirt.common.Addresses;
import ai.mirt.common.Commands;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.Handoff;
import ai.mirt.common.HandoffDecision;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.Turn;
import ai.mirt.common.TurnCompleted;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Turns a due {@link Turn} into a {@link Reply}: loads the conversation, runs the {@link SalesGraph}, asks debounce
 * whether the reply may still go out, and only then saves the conversation and hands the reply to push. Any failure
 * completes the turn as {@code FAILED} so debounce retries it. Deployed with {@code ThreadingModel.WORKER}.
 */
public class AgentVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AgentVerticle.class);

  private static final long HANDOFF_TIMEOUT_MS = 10_000;

  /** A reply ready to go and what to store once debounce lets it go. */
  private record Prepared(Reply reply, Supplier<Future<Void>> commit) {
  }

  private final ConversationStore store;
  // Completion callbacks of concurrent graph runs may land on different worker threads.
  private final AtomicLong answered = new AtomicLong();
  private SalesGraph graph;
  private String model;

  public AgentVerticle() {
    this(new MemoryConversationStore());
  }

  public AgentVerticle(ConversationStore store) {
    this.store = store;
  }

  @Override
  public Future<?> start() {
    Responder responder;
    try {
      MirtConfig.Agent config = MirtConfig.fromJson(config()).agent();
      Catalog catalog = Catalog.load(config.catalog());
      responder = config.llm() ? new LlmResponder(catalog, config) : new OfflineResponder(catalog);
      graph = new SalesGraph(catalog, responder, config.historyMessages());
      LOG.info("agent answers with {} from a catalog of {} products", responder.model(), catalog.products().size());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    model = responder.model();
    EventBus bus = vertx.eventBus();
    return Future.all(
      bus.consumer(Addresses.AGENT_TURN, this::onTurn).completion(),
      bus.consumer(Addresses.HEALTH_AGENT, this::onHealth).completion());
  }

  private void onTurn(Message<Object> message) {
    Object body = message.body();
    Turn turn;
    try {
      turn = Turn.fromJson((JsonObject) body);
    } catch (RuntimeException e) {
      JsonObject raw = body instanceof JsonObject json ? json : new JsonObject();
      String subscriberId = text(raw.getValue("subscriberId"));
      String turnId = text(raw.getValue("turnId"));
      LOG.warn("bad turn for subscriber {} turn {}: {}", subscriberId, turnId, e.getMessage());
      fail(subscriberId, turnId, "bad turn: " + e.getMessage());
      return;
    }
    // Composed from a completed future so that even an exception thrown while starting the work fails the turn.
    Future.succeededFuture(turn).compose(this::answer).onFailure(e -> {
      String reason = AgentFailure.describe(e);
      LOG.warn("agent failed for subscriber {} turn {} (attempt {}): {}", turn.subscriberId(), turn.turnId(),
        turn.attempt(), reason);
      fail(turn.subscriberId(), turn.turnId(), reason);
    });
  }

  private Future<Void> answer(Turn turn) {
    String sub = turn.subscriberId();
    Future<Prepared> prepared;
    if (Commands.isRestart(turn.text())) {
      String rest = Commands.afterRestart(turn.text());
      if (rest.isEmpty()) {
        prepared = Future.succeededFuture(new Prepared(restartReply(turn), () -> store.clear(sub)));
      } else {
        // "/restart" and a question in one burst: a fresh conversation answers the question after the notice.
        Turn question = new Turn(sub, turn.turnId(), turn.channel(), rest, turn.images(), turn.contact(),
          turn.messageCount(), turn.firstAt(), turn.attempt(), turn.reruns(), turn.traceId());
        prepared = context.executeBlocking(() -> graph.run(question, Conversation.empty()), false)
          .map(result -> new Prepared(afterRestart(reply(question, result)),
            () -> store.save(sub, result.conversation())));
      }
    } else {
      prepared = store.load(sub)
        // Unordered, so one subscriber's slow model call does not hold up the other subscribers' turns.
        .compose(conversation -> context.executeBlocking(() -> graph.run(turn, conversation), false))
        .map(result -> new Prepared(reply(turn, result), () -> store.save(sub, result.conversation())));
    }
    return prepared.compose(p -> handoff(turn).compose(decision -> {
      if (!decision.deliver()) {
        LOG.debug("reply for subscriber {} turn {} discarded: {}", sub, turn.turnId(), decision.reason());
        return Future.succeededFuture();
      }
      return p.commit().get().onSuccess(v -> {
        answered.incrementAndGet();
        vertx.eventBus().send(Addresses.PUSH_REPLY, p.reply().toJson());
        LOG.info("reply for subscriber {} turn {}: intent {}, state {}, {} messages", sub, turn.turnId(),
          p.reply().intent(), p.reply().state(), p.reply().messages().size());
      });
    }));
  }

  private Future<HandoffDecision> handoff(Turn turn) {
    return vertx.eventBus()
      .<JsonObject>request(Addresses.TURN_HANDOFF, new Handoff(turn.subscriberId(), turn.turnId()).toJson(),
        new DeliveryOptions().setSendTimeout(HANDOFF_TIMEOUT_MS))
      .map(m -> HandoffDecision.fromJson(m.body()))
      .recover(e -> Future.failedFuture(new IllegalStateException("handoff failed: " + e.getMessage(), e)));
  }

  private static Reply restartReply(Turn turn) {
    return new Reply(turn.subscriberId(), turn.turnId(), turn.channel(),
      List.of(OutMessage.text(Commands.RESTART_REPLY)), List.of(), Stages.NEW, Intent.RESTART.wire(), Map.of(),
      List.of(), List.of(), turn.traceId());
  }

  private static Reply afterRestart(Reply answer) {
    List<OutMessage> messages = new java.util.ArrayList<>();
    messages.add(OutMessage.text(Commands.RESTART_REPLY));
    messages.addAll(answer.messages());
    return new Reply(answer.subscriberId(), answer.turnId(), answer.channel(), messages, answer.quickReplies(),
      answer.state(), answer.intent(), answer.fields(), answer.addTags(), answer.removeTags(), answer.traceId());
  }

  private static Reply reply(Turn turn, SalesGraph.Result result) {
    Answer a = result.answer();
    return new Reply(turn.subscriberId(), turn.turnId(), turn.channel(), a.messages(), a.quickReplies(), a.state(),
      result.intent().wire(), a.fields(), a.addTags(), a.removeTags(), turn.traceId());
  }

  private void fail(String subscriberId, String turnId, String reason) {
    if (subscriberId == null || turnId == null) {
      // Debounce cannot match a completion without both ids; its lease expiry retries such a turn.
      return;
    }
    vertx.eventBus().send(Addresses.TURN_COMPLETED,
      new TurnCompleted(subscriberId, turnId, TurnCompleted.Outcome.FAILED, reason).toJson());
  }

  private void onHealth(Message<Object> message) {
    message.reply(new ComponentHealth(true, new JsonObject()
      .put("model", model)
      .put("turns", answered.get())).toJson());
  }

  private static String text(Object value) {
    return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value);
  }
}
