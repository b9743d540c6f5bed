package ai.mirt.agent;

import ai.mirt.common.Addresses;
import ai.mirt.common.Metrics;
import ai.mirt.common.Presence;
import ai.mirt.common.Commands;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.HandoffDecision;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.ReplyReady;
import ai.mirt.common.Turn;
import ai.mirt.state.ConversationStore;
import ai.mirt.state.TurnStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a due {@link Turn} into a {@link Reply}: loads the conversation, runs the {@link SalesGraph} while renewing the
 * turn's lease, and hands reply and conversation to the {@link TurnStore} in one step that also decides whether the
 * turn is still current. Only a stored reply is announced to push, so a crash after the handoff never runs the model
 * again. A failure is reported to the store, which retries the turn or dead-letters it. Deployed with
 * {@code ThreadingModel.WORKER}.
 */
public class AgentVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AgentVerticle.class);

  private static final JsonObject TAKEN = new JsonObject().put("taken", true);

  /** How long to wait between tries of a handoff the store did not answer. */
  private static final long HANDOFF_RETRY_MS = 500;

  /** A reply ready to go and the conversation to store with it (empty: cleared). */
  private record Prepared(Reply reply, String conversation) {
  }

  private final TurnStore turns;
  private final ConversationStore conversations;
  private final String owner;
  private final MeterRegistry givenRegistry;
  // Completion callbacks of concurrent graph runs may land on different worker threads.
  private final AtomicLong answered = new AtomicLong();
  private final AtomicInteger active = new AtomicInteger();
  private SalesGraph graph;
  private String model;
  private long leaseMs;
  private Counter deadLetters;
  private Counter superseded;

  /**
   * @param turns         where the turn's lease is renewed and its reply handed over
   * @param conversations where conversations are read
   * @param instance      this instance's name, the owner of the leases it renews
   * @param registry      where metrics go; {@code null}: the Vert.x Micrometer registry, or a private one without it
   */
  public AgentVerticle(TurnStore turns, ConversationStore conversations, String instance, MeterRegistry registry) {
    this.turns = turns;
    this.conversations = conversations;
    this.owner = instance;
    this.givenRegistry = registry;
  }

  @Override
  public Future<?> start() {
    Responder responder;
    try {
      MirtConfig cfg = MirtConfig.fromJson(config());
      MirtConfig.Agent config = cfg.agent();
      leaseMs = cfg.debounce().leaseMs();
      Catalog catalog = Catalog.load(config.catalog());
      responder = config.llm() ? new LlmResponder(catalog, config) : new OfflineResponder(catalog);
      graph = new SalesGraph(catalog, responder, config.historyMessages());
      LOG.info("agent answers with {} from a catalog of {} products", responder.model(), catalog.products().size());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    model = responder.model();
    MeterRegistry registry = Metrics.registry(givenRegistry);
    deadLetters = Counter.builder("mirt.debounce.dead.letters").description("turns given up after all attempts")
      .register(registry);
    superseded = Counter.builder("mirt.debounce.superseded")
      .description("turn replies discarded: newer messages arrived, or the turn was taken over").register(registry);
    EventBus bus = vertx.eventBus();
    return Future.all(
      bus.consumer(Addresses.AGENT_TURN, this::onTurn).completion(),
      bus.localConsumer(Addresses.HEALTH_AGENT, this::onHealth).completion(),
      Presence.announce(vertx, "agent", owner));
  }

  private void onTurn(Message<Object> message) {
    // Taken: from here on the turn is this instance's, or its lease's when this instance goes away.
    message.reply(TAKEN);
    Turn turn;
    try {
      turn = Turn.fromJson((JsonObject) message.body());
    } catch (RuntimeException e) {
      // Without a readable turn there is nothing to report; its lease ends and debounce takes it back.
      LOG.error("ignoring malformed {} message: {}", Addresses.AGENT_TURN, e.getMessage());
      return;
    }
    active.incrementAndGet();
    // The lease ran from the claim, and the turn may have waited in this verticle's queue: renew it before any
    // work, and leave a turn that was taken back meanwhile to the instance that now holds it.
    turns.renew(turn.subscriberId(), turn.turnId(), owner).onComplete(held -> {
      if (held.succeeded() && !held.result()) {
        LOG.info("turn {} for subscriber {} is no longer in flight; not answering it [trace {}]", turn.turnId(),
          turn.subscriberId(), turn.traceId());
        active.decrementAndGet();
      } else {
        work(turn);
      }
    });
  }

  private void work(Turn turn) {
    // Renewed until the handoff starts: a handed-over turn needs no lease, and a renewal that races the handoff
    // must not report the turn as lost.
    AtomicBoolean renewing = new AtomicBoolean(true);
    long renewal = vertx.setPeriodic(Math.max(100, leaseMs / 3), id -> {
      if (renewing.get()) {
        renew(turn, renewing);
      }
    });
    // Composed from a completed future so that even an exception thrown while starting the work fails the turn.
    Future.succeededFuture(turn).compose(t -> answer(t, () -> {
        renewing.set(false);
        vertx.cancelTimer(renewal);
      }))
      .onComplete(ar -> {
        vertx.cancelTimer(renewal);
        active.decrementAndGet();
      })
      .onFailure(e -> fail(turn, AgentFailure.describe(e)));
  }

  private void renew(Turn turn, AtomicBoolean renewing) {
    turns.renew(turn.subscriberId(), turn.turnId(), owner)
      .onSuccess(held -> {
        if (!held && renewing.get()) {
          LOG.warn("turn {} for subscriber {} is no longer leased to this instance; its reply will be discarded",
            turn.turnId(), turn.subscriberId());
        }
      })
      .onFailure(e -> LOG.warn("renewing the lease of turn {} for subscriber {} failed: {}", turn.turnId(),
        turn.subscriberId(), e.getMessage()));
  }

  /** @param handingOver called once the reply is ready, before it is handed over */
  private Future<Void> answer(Turn turn, Runnable handingOver) {
    String sub = turn.subscriberId();
    Future<Prepared> prepared;
    if (Commands.isRestart(turn.text())) {
      String rest = Commands.afterRestart(turn.text());
      if (rest.isEmpty()) {
        prepared = Future.succeededFuture(new Prepared(restartReply(turn), ""));
      } else {
        // "/restart" and a question in one burst: a fresh conversation answers the question after the notice.
        Turn question = new Turn(sub, turn.turnId(), turn.channel(), rest, turn.images(), turn.contact(),
          turn.messageCount(), turn.firstAt(), turn.attempt(), turn.reruns(), turn.traceId());
        prepared = context.executeBlocking(() -> graph.run(question, Conversation.empty()), false)
          .map(result -> new Prepared(afterRestart(reply(question, result)), encode(result.conversation())));
      }
    } else {
      prepared = conversations.load(sub)
        .map(json -> conversation(sub, json))
        // Unordered, so one subscriber's slow model call does not hold up the other subscribers' turns.
        .compose(conversation -> context.executeBlocking(() -> graph.run(turn, conversation), false))
        .map(result -> new Prepared(reply(turn, result), encode(result.conversation())));
    }
    return prepared.compose(p -> {
      handingOver.run();
      return handoff(turn, p, System.currentTimeMillis() + leaseMs).map(decision -> {
        if (!decision.deliver()) {
          superseded.increment();
          LOG.info("reply of turn {} for subscriber {} discarded: {} [trace {}]", turn.turnId(), sub,
            decision.reason(), turn.traceId());
          return null;
        }
        answered.incrementAndGet();
        vertx.eventBus().send(Addresses.PUSH_REPLY, new ReplyReady(sub, turn.turnId(), turn.traceId()).toJson());
        LOG.info("reply for subscriber {} turn {} stored: intent {}, state {}, {} messages [trace {}]", sub,
          turn.turnId(), p.reply().intent(), p.reply().state(), p.reply().messages().size(), turn.traceId());
        return null;
      });
    });
  }

  /** Hands the reply over, trying again while the store does not answer, for at most one lease. */
  private Future<HandoffDecision> handoff(Turn turn, Prepared p, long deadline) {
    return turns.handoff(turn, p.reply(), p.conversation()).recover(e -> {
      if (System.currentTimeMillis() + HANDOFF_RETRY_MS > deadline) {
        return Future.failedFuture(new AgentFailure("handoff failed: " + e.getMessage()));
      }
      LOG.warn("handoff of turn {} for subscriber {} failed, trying again: {}", turn.turnId(), turn.subscriberId(),
        e.getMessage());
      Promise<HandoffDecision> again = Promise.promise();
      vertx.setTimer(HANDOFF_RETRY_MS, id -> handoff(turn, p, deadline).onComplete(again));
      return again.future();
    });
  }

  private static Conversation conversation(String subscriberId, String json) {
    if (json == null || json.isEmpty()) {
      return Conversation.empty();
    }
    try {
      return Conversation.fromJson(new JsonObject(json));
    } catch (RuntimeException e) {
      LOG.warn("unreadable conversation of subscriber {} starts over: {}", subscriberId, e.getMessage());
      return Conversation.empty();
    }
  }

  private static String encode(Conversation conversation) {
    return conversation.toJson().encode();
  }

  private void fail(Turn turn, String reason) {
    LOG.warn("agent failed for subscriber {} turn {} (attempt {}): {} [trace {}]", turn.subscriberId(),
      turn.turnId(), turn.attempt(), reason, turn.traceId());
    turns.fail(turn, reason)
      .onSuccess(outcome -> {
        if (outcome == TurnStore.FailOutcome.DEAD_LETTERED) {
          deadLetters.increment();
          LOG.error("turn {} for subscriber {} dead-lettered after {} attempts; the contact gets the needs_human tag: "
            + "{} [trace {}]", turn.turnId(), turn.subscriberId(), turn.attempt(), reason, turn.traceId());
        }
      })
      // The turn stays in flight; when its lease ends debounce takes it back.
      .onFailure(e -> LOG.error("recording the failure of turn {} for subscriber {} failed: {}", turn.turnId(),
        turn.subscriberId(), e.getMessage()));
  }

  private static Reply restartReply(Turn turn) {
    return new Reply(turn.subscriberId(), turn.turnId(), turn.channel(),
      List.of(OutMessage.text(Commands.RESTART_REPLY)), List.of(), Stages.NEW, Intent.RESTART.wire(), Map.of(),
      List.of(), List.of(), turn.traceId());
  }

  private static Reply afterRestart(Reply answer) {
    List<OutMessage> messages = new ArrayList<>();
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

  private void onHealth(Message<Object> message) {
    message.reply(new ComponentHealth(true, new JsonObject()
      .put("model", model)
      .put("turns", answered.get())
      .put("active", active.get())).toJson());
  }
}
