package ai.mirt.debounce;

import ai.mirt.common.Addresses;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.Handoff;
import ai.mirt.common.InboundAck;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Turn;
import ai.mirt.common.TurnCompleted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Buffers each subscriber's messages until the customer stops typing, then hands the burst to the agent as
 * one turn, keeping one turn per subscriber in flight. One periodic sweep finds due turns and expired leases.
 */
public class DebounceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DebounceVerticle.class);
  private static final int CLAIM_BATCH = 200;
  private static final int DEAD_LETTERS_KEPT = 100;

  private final TurnStore injectedStore;
  private TurnStore store;
  private MirtConfig cfg;
  private boolean sweeping;
  private boolean draining;
  private final Deque<JsonObject> deadLetters = new ArrayDeque<>();
  private Counter turnsStarted;
  private Counter turnsSuperseded;
  private MeterRegistry registry;
  private volatile TurnStore.Stats lastStats = new TurnStore.Stats(0, 0, 0);

  public DebounceVerticle() {
    this(null);
  }

  /** With a given store (tests, or the app choosing a shared store); {@code null} = in memory. */
  public DebounceVerticle(TurnStore store) {
    this.injectedStore = store;
  }

  @Override
  public Future<?> start() {
    cfg = MirtConfig.fromJson(config());
    store = injectedStore != null ? injectedStore : new MemoryTurnStore(cfg.debounce());
    registry = Optional.ofNullable(BackendRegistries.getDefaultNow()).orElseGet(SimpleMeterRegistry::new);
    turnsStarted = Counter.builder("mirt.debounce.turns").description("turns handed to the agent").register(registry);
    turnsSuperseded = Counter.builder("mirt.debounce.superseded")
      .description("turn replies discarded because newer messages arrived").register(registry);
    Gauge.builder("mirt.debounce.pending.messages", this, v -> v.lastStats.pendingMessages())
      .description("accepted messages waiting for their turn").register(registry);
    Gauge.builder("mirt.debounce.in.flight", this, v -> v.lastStats.inFlight())
      .description("turns being answered or delivered").register(registry);

    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.INBOUND_MESSAGE, this::onInbound);
    bus.<JsonObject>consumer(Addresses.TURN_HANDOFF, this::onHandoff);
    bus.<JsonObject>consumer(Addresses.TURN_COMPLETED, this::onCompleted);
    bus.<JsonObject>consumer(Addresses.DEBOUNCE_DRAIN, this::onDrain);
    bus.<JsonObject>consumer(Addresses.HEALTH_DEBOUNCE, this::onHealth);
    vertx.setPeriodic(cfg.debounce().sweepMs(), id -> sweep());
    return Future.succeededFuture();
  }

  private void onInbound(Message<JsonObject> msg) {
    InboundMessage m;
    try {
      m = InboundMessage.fromJson(msg.body());
    } catch (RuntimeException e) {
      msg.fail(400, "bad inbound message: " + e.getMessage());
      return;
    }
    store.append(m, System.currentTimeMillis())
      .onSuccess(r -> {
        if (r == TurnStore.AppendResult.DUPLICATE) {
          LOG.info("duplicate message {} for subscriber {} ignored", m.messageId(), m.subscriberId());
        }
        msg.reply(new InboundAck(r == TurnStore.AppendResult.DUPLICATE).toJson());
      })
      .onFailure(e -> {
        LOG.error("storing message for subscriber {} failed: {}", m.subscriberId(), e.getMessage());
        msg.fail(503, "message store unavailable: " + e.getMessage());
      });
  }

  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    long now = System.currentTimeMillis();
    store.expireLeases(now)
      .onSuccess(dropped -> dropped.forEach(t -> deadLetter(t, "lease expired after " + t.attempt() + " attempts")))
      .compose(v -> store.stats())
      .compose(stats -> {
        lastStats = stats;
        // Back-pressure: due turns beyond the in-flight limit wait in their buffers, not in event-bus queues.
        int room = Math.min(CLAIM_BATCH, cfg.debounce().maxInFlight() - stats.inFlight());
        return room <= 0 ? Future.succeededFuture(List.<Turn>of()) : store.claimDue(now, room, draining);
      })
      .onSuccess(this::dispatch)
      .onFailure(e -> LOG.error("debounce sweep failed: {}", e.getMessage()))
      .onComplete(ar -> sweeping = false);
  }

  private void dispatch(List<Turn> turns) {
    for (Turn t : turns) {
      turnsStarted.increment();
      LOG.info("turn {} for subscriber {}: {} messages, attempt {}, rerun {} [trace {}]", t.turnId(),
        t.subscriberId(), t.messageCount(), t.attempt(), t.reruns(), t.traceId());
      vertx.eventBus().send(Addresses.AGENT_TURN, t.toJson());
    }
  }

  private void onHandoff(Message<JsonObject> msg) {
    Handoff h;
    try {
      h = Handoff.fromJson(msg.body());
    } catch (RuntimeException e) {
      msg.fail(400, "bad handoff: " + e.getMessage());
      return;
    }
    store.handoff(h.subscriberId(), h.turnId(), System.currentTimeMillis())
      .onSuccess(d -> {
        if (!d.deliver()) {
          turnsSuperseded.increment();
          LOG.info("reply of turn {} for subscriber {} discarded: {}", h.turnId(), h.subscriberId(), d.reason());
        }
        msg.reply(d.toJson());
      })
      .onFailure(e -> msg.fail(503, "handoff failed: " + e.getMessage()));
  }

  private void onCompleted(Message<JsonObject> msg) {
    TurnCompleted c;
    try {
      c = TurnCompleted.fromJson(msg.body());
    } catch (RuntimeException e) {
      LOG.error("ignoring malformed turn completion: {}", e.getMessage());
      return;
    }
    if (c.outcome() == TurnCompleted.Outcome.FAILED) {
      LOG.warn("turn {} for subscriber {} failed: {}", c.turnId(), c.subscriberId(), c.reason());
      store.fail(c.subscriberId(), c.turnId(), System.currentTimeMillis())
        .onSuccess(dropped -> {
          if (dropped != null) {
            deadLetter(dropped, c.reason());
          }
        })
        .onFailure(e -> LOG.error("recording failure of turn {} failed: {}", c.turnId(), e.getMessage()));
    } else {
      store.complete(c.subscriberId(), c.turnId())
        .onFailure(e -> LOG.error("completing turn {} failed: {}", c.turnId(), e.getMessage()));
    }
  }

  private void deadLetter(Turn t, String reason) {
    LOG.error("turn {} for subscriber {} dead-lettered after {} attempts: {}", t.turnId(), t.subscriberId(),
      t.attempt(), reason);
    Counter.builder("mirt.debounce.dead.letters").description("turns given up after all attempts")
      .register(registry).increment();
    deadLetters.addLast(new JsonObject().put("turn", t.toJson()).put("reason", reason)
      .put("at", java.time.Instant.now().toString()));
    while (deadLetters.size() > DEAD_LETTERS_KEPT) {
      deadLetters.removeFirst();
    }
  }

  private void onDrain(Message<JsonObject> msg) {
    long deadline = msg.body() == null ? System.currentTimeMillis()
      : msg.body().getLong("deadlineMs", System.currentTimeMillis());
    draining = true;
    Promise<TurnStore.Stats> idle = Promise.promise();
    waitIdle(deadline, idle);
    idle.future().onComplete(ar -> {
      TurnStore.Stats s = ar.succeeded() ? ar.result() : null;
      msg.reply(new JsonObject().put("idle", s != null && s.idle())
        .put("pendingMessages", s == null ? -1 : s.pendingMessages()).put("inFlight", s == null ? -1 : s.inFlight()));
    });
  }

  private void waitIdle(long deadline, Promise<TurnStore.Stats> done) {
    store.stats().onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
      } else if (ar.result().idle() || System.currentTimeMillis() >= deadline) {
        done.complete(ar.result());
      } else {
        vertx.setTimer(Math.max(10, cfg.debounce().sweepMs() / 2), id -> waitIdle(deadline, done));
      }
    });
  }

  private void onHealth(Message<JsonObject> msg) {
    store.stats()
      .onSuccess(s -> msg.reply(new ComponentHealth(true, new JsonObject()
        .put("store", injectedStore == null ? "memory" : injectedStore.getClass().getSimpleName())
        .put("pendingSubscribers", s.pendingSubscribers())
        .put("pendingMessages", s.pendingMessages())
        .put("inFlight", s.inFlight())
        .put("deadLetters", deadLetters.size())).toJson()))
      .onFailure(e -> msg.reply(new ComponentHealth(false, new JsonObject().put("error", e.getMessage())).toJson()));
  }
}
