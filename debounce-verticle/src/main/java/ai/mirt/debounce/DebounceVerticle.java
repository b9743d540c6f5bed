package ai.mirt.debounce;

import ai.mirt.common.Addresses;
import ai.mirt.common.Metrics;
import ai.mirt.common.Presence;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.InboundAck;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.LocalCodec;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Turn;
import ai.mirt.state.TurnStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stores each accepted message, and hands each subscriber's burst to the agent as one turn once the customer stopped
 * typing, one turn per subscriber in flight. One periodic sweep takes back turns whose lease ended and claims due
 * buffers; claims are atomic in the {@link TurnStore}, so any number of instances may sweep one shared store.
 *
 * <p>Between periodic sweeps, a sweep also runs when the next buffer becomes due: each sweep asks the store when that
 * is ({@link TurnStore#nextDueIn}) and sets a timer for it if it comes before the next periodic sweep. A turn so
 * starts within a few milliseconds of its due time, not up to a sweep period later; the periodic sweep remains for
 * leases, counts and due times other instances wrote in between.
 *
 * <p>When no node runs an agent (a turn sent finds no handler), the turn is given back without using an attempt
 * and claiming pauses until an agent answers on its presence address again: the work waits in the buffers, it is
 * never dead-lettered for want of an agent.
 */
public class DebounceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DebounceVerticle.class);
  private static final int CLAIM_BATCH = 200;
  /** How soon to sweep again while the in-flight limit holds due turns back. */
  static final long SATURATED_SWEEP_MS = 10;

  private final TurnStore store;
  private final String owner;
  private final MeterRegistry givenRegistry;
  private MirtConfig cfg;
  private boolean sweeping;
  /** Shutdown with in-memory state: every buffer counts as due. */
  private boolean drainAll;
  /** Shutdown with shared state: claim nothing more, another instance (or the next start) takes the buffers. */
  private boolean stopClaiming;
  private boolean storeUp = true;
  /** No agent answered the last turn sent: claim nothing until one answers on its presence address. */
  private volatile boolean agentMissing;
  private boolean probing;
  private Counter turnsStarted;
  private Counter deadLetters;
  private Counter released;
  private Timer lag;
  /** The timer of the next early sweep, {@code -1} when none is set, and when it fires. */
  private long wakeTimer = -1;
  private long wakeAt = Long.MAX_VALUE;
  /** An early sweep came while a sweep ran: run one more right after it. */
  private boolean sweepAgain;
  private volatile TurnStore.Stats lastStats = new TurnStore.Stats(0, 0, 0);

  /**
   * @param store    where buffers and turns live (chosen by the app)
   * @param instance this instance's name, the owner of the turns it claims
   * @param registry where metrics go; {@code null}: the Vert.x Micrometer registry, or a private one without it
   */
  public DebounceVerticle(TurnStore store, String instance, MeterRegistry registry) {
    this.store = store;
    this.owner = instance;
    this.givenRegistry = registry;
  }

  @Override
  public Future<?> start() {
    cfg = MirtConfig.fromJson(config());
    MeterRegistry registry = Metrics.registry(givenRegistry);
    turnsStarted = Counter.builder("mirt.debounce.turns").description("turns handed to the agent").register(registry);
    deadLetters = Counter.builder("mirt.debounce.dead.letters").description("turns given up after all attempts")
      .register(registry);
    released = Counter.builder("mirt.debounce.turns.released")
      .description("turns given back to their buffers because no agent took them").register(registry);
    lag = Timer.builder("mirt.debounce.lag")
      .description("time from a buffer's due time to the sweep that handed it to the agent (debounce precision)")
      .publishPercentileHistogram()
      .minimumExpectedValue(Duration.ofMillis(1))
      .maximumExpectedValue(Duration.ofSeconds(10))
      .register(registry);
    Gauge.builder("mirt.debounce.agent.missing", this, v -> v.agentMissing ? 1 : 0)
      .description("1 while no node of the cluster runs an agent: due turns wait in their buffers").register(registry);
    Gauge.builder("mirt.debounce.pending.messages", this, v -> v.lastStats.pendingMessages())
      .description("accepted messages waiting for their turn").register(registry);
    Gauge.builder("mirt.debounce.in.flight", this, v -> v.lastStats.inFlight())
      .description("turns being answered or delivered").register(registry);

    var bus = vertx.eventBus();
    LocalCodec.register(bus, InboundMessage.class);
    LocalCodec.register(bus, InboundAck.class);
    vertx.setPeriodic(cfg.debounce().sweepMs(), id -> sweep());
    return Future.all(List.of(
      bus.<Object>consumer(Addresses.INBOUND_MESSAGE, this::onInbound).completion(),
      bus.<Object>localConsumer(Addresses.INBOUND_MESSAGE_LOCAL, this::onInbound).completion(),
      bus.<JsonObject>localConsumer(Addresses.DEBOUNCE_DRAIN, this::onDrain).completion(),
      bus.<JsonObject>localConsumer(Addresses.HEALTH_DEBOUNCE, this::onHealth).completion(),
      Presence.announce(vertx, "debounce", owner)));
  }

  /** A message of this node's webhook comes as the record itself and is answered likewise; others as JSON. */
  private void onInbound(Message<Object> msg) {
    boolean local = msg.body() instanceof InboundMessage;
    InboundMessage m;
    try {
      m = local ? (InboundMessage) msg.body() : InboundMessage.fromJson((JsonObject) msg.body());
    } catch (RuntimeException e) {
      msg.fail(400, "bad inbound message: " + e.getMessage());
      return;
    }
    store.append(m)
      .onSuccess(r -> {
        if (r == TurnStore.AppendResult.DUPLICATE) {
          LOG.info("duplicate message {} for subscriber {} ignored [trace {}]", m.messageId(), m.subscriberId(),
            m.traceId());
        }
        InboundAck ack = new InboundAck(r == TurnStore.AppendResult.DUPLICATE);
        msg.reply(local ? ack : ack.toJson());
        if (r == TurnStore.AppendResult.STORED) {
          // A new buffer is due after the quiet window at the earliest; with a window shorter than the sweep period,
          // wake up for it.
          wakeIn(Math.min(cfg.debounce().quietMs(), cfg.debounce().maxWaitMs()));
        }
      })
      .onFailure(e -> {
        LOG.error("storing message for subscriber {} failed [trace {}]: {}", m.subscriberId(), m.traceId(),
          e.getMessage());
        msg.fail(503, "storage unavailable: " + e.getMessage());
      });
  }

  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    int[] room = new int[1];
    store.expiredLeases(CLAIM_BATCH)
      .compose(this::takeBack)
      .compose(v -> store.stats())
      .compose(stats -> {
        lastStats = stats;
        // Back-pressure: due turns beyond the in-flight limit wait in their buffers, not in event-bus queues.
        room[0] = stopClaiming || agentMissing ? 0
          : Math.min(CLAIM_BATCH, cfg.debounce().maxInFlight() - stats.inFlight());
        return store.claimDue(room[0], owner, drainAll);
      })
      .onSuccess(turns -> {
        dispatch(turns);
        if (!stopClaiming && !agentMissing && lastStats.pendingMessages() > 0 && turns.size() >= room[0]) {
          // The limit held turns back (or a batch was full): look again as soon as turns in flight may have ended.
          wakeIn(Math.min(SATURATED_SWEEP_MS, cfg.debounce().sweepMs() - 1));
        }
      })
      .compose(v -> stopClaiming || agentMissing ? Future.succeededFuture(-1L) : store.nextDueIn())
      .onSuccess(this::wakeIn)
      .onComplete(ar -> {
        sweeping = false;
        if (sweepAgain) {
          sweepAgain = false;
          vertx.runOnContext(v -> sweep());
        }
        if (ar.failed() && storeUp) {
          LOG.error("debounce sweep failed, turns wait until the store answers: {}", ar.cause().getMessage());
        } else if (ar.succeeded() && !storeUp) {
          LOG.info("debounce sweep works again");
        }
        storeUp = ar.succeeded();
      });
  }

  /**
   * Sets the early sweep for a buffer due {@code inMs} from now, unless the periodic sweep or an early one set before
   * comes first anyway. {@code -1}: nothing is due ahead.
   */
  private void wakeIn(long inMs) {
    if (inMs < 0 || inMs >= cfg.debounce().sweepMs()) {
      return;
    }
    long delay = Math.max(1, inMs);
    long at = System.currentTimeMillis() + delay;
    if (wakeTimer >= 0) {
      if (wakeAt <= at) {
        return;
      }
      vertx.cancelTimer(wakeTimer);
    }
    wakeAt = at;
    wakeTimer = vertx.setTimer(delay, id -> {
      wakeTimer = -1;
      wakeAt = Long.MAX_VALUE;
      if (sweeping) {
        sweepAgain = true;
      } else {
        sweep();
      }
    });
  }

  /** Turns whose lease ended go back to their buffers for another attempt, or are dead-lettered. */
  private Future<Void> takeBack(List<Turn> expired) {
    List<Future<TurnStore.FailOutcome>> done = expired.stream().map(t -> store.expire(t,
        "lease ended without a reply (attempt " + t.attempt() + ")")
      .onSuccess(outcome -> {
        switch (outcome) {
          case RETRY -> LOG.warn("turn {} for subscriber {} lost its lease; retrying [trace {}]", t.turnId(),
            t.subscriberId(), t.traceId());
          case DEAD_LETTERED -> {
            deadLetters.increment();
            LOG.error("turn {} for subscriber {} dead-lettered after {} attempts, its lease ended; the contact gets "
              + "the needs_human tag [trace {}]", t.turnId(), t.subscriberId(), t.attempt(), t.traceId());
          }
          case UNCHANGED -> LOG.debug("turn {} for subscriber {} was renewed or completed meanwhile", t.turnId(),
            t.subscriberId());
        }
      })).toList();
    return Future.all(done).mapEmpty();
  }

  private void dispatch(List<Turn> turns) {
    if (agentMissing) {
      probeAgent();
    }
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(ackTimeoutMs(cfg.debounce().leaseMs()));
    long sweptAt = System.currentTimeMillis();
    for (Turn t : turns) {
      turnsStarted.increment();
      if (t.dueAt() > 0) {
        // By the store's clock against this node's: across machines a skew shows here, never a negative time.
        lag.record(Math.max(0, sweptAt - t.dueAt()), TimeUnit.MILLISECONDS);
      }
      LOG.info("turn {} for subscriber {}: {} messages, attempt {}, rerun {} [trace {}]", t.turnId(),
        t.subscriberId(), t.messageCount(), t.attempt(), t.reruns(), t.traceId());
      vertx.eventBus().request(Addresses.AGENT_TURN, t.toJson(), opts)
        .onFailure(e -> undelivered(t, e));
    }
  }

  /**
   * How long an agent has to acknowledge a turn. It does so on receipt, before any work, so a few seconds are plenty;
   * and shorter than the lease, so that a turn sent to a node that just died (the cluster still lists it, and the
   * send fails as a timeout, not as an error) goes back before its lease ends and costs no attempt.
   */
  static long ackTimeoutMs(long leaseMs) {
    return Math.max(500, Math.min(5_000, leaseMs / 2));
  }

  /**
   * A turn the agent did not take: no handler, a message that could not be sent, or no acknowledgement in time (a
   * node that died, not yet dropped from the cluster). The turn goes back to its buffer without using an attempt; if
   * it did reach an agent after all, that agent's handoff is refused, because the turn it holds is no longer in
   * flight. An agent that received the turn and failed it explicitly keeps it: its lease decides.
   */
  private void undelivered(Turn t, Throwable e) {
    ReplyFailure kind = e instanceof ReplyException re ? re.failureType() : ReplyFailure.ERROR;
    if (kind == ReplyFailure.RECIPIENT_FAILURE) {
      LOG.warn("turn {} for subscriber {} refused by the agent: {}", t.turnId(), t.subscriberId(), e.getMessage());
      return;
    }
    if (kind == ReplyFailure.NO_HANDLERS && !agentMissing) {
      agentMissing = true;
      LOG.warn("no node runs an agent: due turns wait in their buffers until one joins (see /health)");
    }
    store.release(t)
      .onSuccess(back -> {
        if (back) {
          released.increment();
          LOG.info("turn {} for subscriber {} went back to its buffer: {} [trace {}]", t.turnId(), t.subscriberId(),
            kind == ReplyFailure.NO_HANDLERS ? "no agent runs" : "not acknowledged: " + e.getMessage(), t.traceId());
        }
      })
      .onFailure(err -> LOG.warn("giving back turn {} for subscriber {} failed, its lease will: {}", t.turnId(),
        t.subscriberId(), err.getMessage()));
  }

  /** While no agent runs: asks the agents' presence address whether one has joined, and resumes claiming if so. */
  private void probeAgent() {
    if (probing) {
      return;
    }
    probing = true;
    vertx.eventBus().request(Addresses.role("agent"), new JsonObject(), new DeliveryOptions().setSendTimeout(2_000))
      .onComplete(ar -> {
        probing = false;
        if (ar.succeeded() && agentMissing) {
          agentMissing = false;
          LOG.info("an agent runs again (on {}): claiming due turns", ((JsonObject) ar.result().body())
            .getString("instance"));
        }
      });
  }

  private void onDrain(Message<JsonObject> msg) {
    JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
    long deadline = body.getLong("deadlineMs", System.currentTimeMillis());
    if (!body.getBoolean("claim", true)) {
      stopClaiming = true;
      msg.reply(new JsonObject().put("idle", true));
      return;
    }
    drainAll = true;
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
        .put("store", cfg.state().redis() ? "redis" : "memory")
        .put("pendingSubscribers", s.pendingSubscribers())
        .put("pendingMessages", s.pendingMessages())
        .put("inFlight", s.inFlight())
        .put("agentMissing", agentMissing)).toJson()))
      .onFailure(e -> msg.reply(new ComponentHealth(false, new JsonObject()
        .put("store", cfg.state().redis() ? "redis" : "memory")
        .put("error", "storage unavailable: " + e.getMessage())).toJson()));
  }
}
