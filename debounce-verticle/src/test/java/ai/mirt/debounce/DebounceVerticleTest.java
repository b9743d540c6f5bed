package ai.mirt.debounce;

import ai.mirt.common.Addresses;
import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.HandoffDecision;
import ai.mirt.common.InboundAck;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.Turn;
import ai.mirt.state.DeadLetter;
import ai.mirt.state.Stores;
import ai.mirt.state.TurnStore;
import ai.mirt.testkit.Poll;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The debounce verticle on a real event bus over the in-memory store, with the agent replaced by a recording
 * consumer. Time is the store's clock, moved by the test: no test depends on how fast the machine is. The rules
 * themselves (quiet window, max wait, supersede, attempts) are the store contract's, tested in the state module.
 */
@ExtendWith(VertxExtension.class)
class DebounceVerticleTest {

  private static final long QUIET_MS = 3_000;
  private static final long LEASE_MS = 30_000;

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final List<Turn> turns = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Stores stores;
  /** The stand-in agent also answers and delivers each turn, as the pipeline would. */
  private volatile boolean autoAnswer;

  /** Whether a stand-in agent runs from the start; without it, no node runs an agent. */
  private boolean withAgent = true;

  private Future<Void> deploy(Vertx vertx, JsonObject settings, TurnStore store) {
    if (withAgent) {
      startAgent(vertx);
    }
    JsonObject cfg = MirtConfig.fromJson(new JsonObject()
      .put("debounce.quiet-seconds", QUIET_MS / 1000.0)
      .put("debounce.max-wait-seconds", 10.0)
      .put("debounce.sweep-ms", 10)
      .put("debounce.lease-seconds", LEASE_MS / 1000.0)
      .put("debounce.max-attempts", 2)
      .mergeIn(settings)).toJson();
    stores = Stores.memory(MirtConfig.fromJson(cfg), now::get);
    TurnStore used = store != null ? store : stores.turns();
    return vertx.deployVerticle(new DebounceVerticle(used, "node-a", registry), new DeploymentOptions().setConfig(cfg))
      .mapEmpty();
  }

  /** The stand-in agent: takes each turn (acknowledging it as the agent verticle does) and records it. */
  private void startAgent(Vertx vertx) {
    vertx.eventBus().<JsonObject>consumer(Addresses.AGENT_TURN, m -> {
      m.reply(new JsonObject().put("taken", true));
      Turn t = Turn.fromJson(m.body());
      turns.add(t);
      if (autoAnswer) {
        answerAndDeliver(t);
      }
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.role("agent"), m -> m.reply(new JsonObject().put("instance", "a")));
  }

  private Future<Void> deploy(Vertx vertx) {
    return deploy(vertx, new JsonObject(), null);
  }

  private static Future<InboundAck> send(Vertx vertx, String sub, String text) {
    InboundMessage m = new InboundMessage(sub, Channel.INSTAGRAM, text, List.of(), null, Contact.EMPTY,
      System.currentTimeMillis(), "trace-" + sub);
    return vertx.eventBus().<JsonObject>request(Addresses.INBOUND_MESSAGE, m.toJson())
      .map(r -> InboundAck.fromJson(r.body()));
  }

  private Future<List<Turn>> awaitTurns(Vertx vertx, int n) {
    return Poll.until(vertx, () -> turns.size() >= n ? List.copyOf(turns) : null, Duration.ofSeconds(5),
      "expected " + n + " turns, got " + turns.size());
  }

  private Future<JsonObject> health(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.HEALTH_DEBOUNCE, new JsonObject()).map(m -> m.body());
  }

  /** What the agent and push do with a turn: store its reply, deliver it, finish it. */
  private Future<Void> answerAndDeliver(Turn t) {
    Reply r = new Reply(t.subscriberId(), t.turnId(), t.channel(), List.of(OutMessage.text("ok")), List.of(),
      "S", "other", Map.of(), List.of(), List.of(), t.traceId());
    return stores.turns().handoff(t, r, "{}")
      .compose(d -> stores.outbox().claim(t.subscriberId(), "node-a"))
      .compose(e -> stores.outbox().finish(e.orElseThrow(), null))
      .mapEmpty();
  }

  @Test
  void burstOfThreeMessagesBecomesOneTurnAfterTheQuietWindow(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx)
      .compose(v -> send(vertx, "1", "Привіт"))
      .compose(a -> send(vertx, "1", "є сукні"))
      .compose(a -> send(vertx, "1", "на зріст 116?"))
      .compose(a -> health(vertx))
      .compose(h -> {
        assertThat(h.getInteger("pendingMessages")).as("all three stored, none claimed yet").isEqualTo(3);
        assertThat(turns).isEmpty();
        now.addAndGet(QUIET_MS);
        return awaitTurns(vertx, 1);
      })
      .onComplete(ctx.succeeding(ts -> ctx.verify(() -> {
        assertThat(ts.get(0).text()).isEqualTo("Привіт\nє сукні\nна зріст 116?");
        assertThat(ts.get(0).messageCount()).isEqualTo(3);
        assertThat(registry.get("mirt.debounce.turns").counter().count()).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void interleavedSubscribersGetSeparateTurns(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx)
      .compose(v -> send(vertx, "a", "a1")).compose(x -> send(vertx, "b", "b1")).compose(x -> send(vertx, "a", "a2"))
      .compose(x -> send(vertx, "b", "b2"))
      .compose(x -> {
        now.addAndGet(QUIET_MS);
        return awaitTurns(vertx, 2);
      })
      .onComplete(ctx.succeeding(ts -> ctx.verify(() -> {
        assertThat(ts).extracting(Turn::subscriberId).containsExactlyInAnyOrder("a", "b");
        Turn a = ts.stream().filter(t -> t.subscriberId().equals("a")).findFirst().orElseThrow();
        Turn b = ts.stream().filter(t -> t.subscriberId().equals("b")).findFirst().orElseThrow();
        assertThat(a.text()).isEqualTo("a1\na2");
        assertThat(b.text()).isEqualTo("b1\nb2");
        ctx.completeNow();
      })));
  }

  @Test
  void theNextTurnStartsOnceTheReplyIsFinished(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx)
      .compose(v -> send(vertx, "1", "перше"))
      .compose(a -> {
        now.addAndGet(QUIET_MS);
        return awaitTurns(vertx, 1);
      })
      .compose(ts -> {
        Reply r = new Reply("1", ts.get(0).turnId(), Channel.INSTAGRAM, List.of(OutMessage.text("ok")), List.of(),
          "S", "other", Map.of(), List.of(), List.of(), null);
        return stores.turns().handoff(ts.get(0), r, "{}").map(d -> {
          assertThat(d.deliver()).isTrue();
          return ts.get(0);
        });
      })
      .compose(first -> send(vertx, "1", "друге").compose(a -> {
        now.addAndGet(QUIET_MS);
        return stores.outbox().claim("1", "node-a");
      }))
      .compose(e -> stores.outbox().finish(e.orElseThrow(), null))
      .compose(ok -> awaitTurns(vertx, 2))
      .onComplete(ctx.succeeding(ts -> ctx.verify(() -> {
        assertThat(ts.get(1).text()).isEqualTo("друге");
        assertThat(ts.get(1).reruns()).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void aTurnWhoseLeaseEndsIsRetriedThenDeadLettered(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx)
      .compose(v -> send(vertx, "1", "допоможіть"))
      .compose(a -> {
        now.addAndGet(QUIET_MS);
        return awaitTurns(vertx, 1);
      })
      .compose(ts -> {
        now.addAndGet(LEASE_MS + 1);
        return awaitTurns(vertx, 2);
      })
      .compose(ts -> {
        assertThat(ts.get(1).text()).isEqualTo("допоможіть");
        assertThat(ts.get(1).attempt()).isEqualTo(2);
        now.addAndGet(LEASE_MS + 1);
        return Poll.until(vertx, () -> stores.deadLetters().recent(10).result().isEmpty() ? null : Boolean.TRUE,
          Duration.ofSeconds(5), "a dead letter");
      })
      .compose(v -> stores.deadLetters().recent(10))
      .compose(dead -> stores.outbox().claim("1", "test").map(notice -> {
        // In the turn's place the outbox holds the notice that tags the contact for a manager, and nothing to say.
        assertThat(notice).hasValueSatisfying(e -> {
          assertThat(e.reply().messages()).isEmpty();
          assertThat(e.reply().addTags()).containsExactly("needs_human");
        });
        return dead;
      }))
      .onComplete(ctx.succeeding(dead -> ctx.verify(() -> {
        assertThat(dead).extracting(DeadLetter::code).containsExactly("lease_expired");
        assertThat(registry.get("mirt.debounce.dead.letters").counter().count()).isEqualTo(1);
        assertThat(registry.get("mirt.debounce.turns").counter().count()).isEqualTo(2);
        assertThat(dead.get(0).reason()).contains("attempt 2");
        assertThat(turns).as("no third attempt").hasSize(2);
        assertThat(stores.turns().stats().result().inFlight()).as("held until the notice is delivered").isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void drainWithMemoryStateDispatchesBufferedTurnsAndAnswersWhenAllAreDone(Vertx vertx, VertxTestContext ctx) {
    autoAnswer = true;
    deploy(vertx)
      .compose(id -> send(vertx, "x", "hello"))
      .compose(a -> send(vertx, "y", "hi"))
      // Without "claim" a drain claims everything: the in-memory behaviour.
      .compose(a -> vertx.eventBus().<JsonObject>request(Addresses.DEBOUNCE_DRAIN,
        new JsonObject().put("deadlineMs", System.currentTimeMillis() + 5_000),
        new DeliveryOptions().setSendTimeout(10_000)))
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.body().getBoolean("idle")).isTrue();
        assertThat(turns).extracting(Turn::subscriberId).containsExactlyInAnyOrder("x", "y");
        ctx.completeNow();
      })));
  }

  @Test
  void drainAnswersAtItsDeadlineWithWhatIsLeft(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx)
      .compose(id -> send(vertx, "x", "hello"))
      // Nobody answers the turn: at the deadline the drain reports it still in flight.
      .compose(a -> vertx.eventBus().<JsonObject>request(Addresses.DEBOUNCE_DRAIN,
        new JsonObject().put("deadlineMs", System.currentTimeMillis() + 300).put("claim", true)))
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.body().getBoolean("idle")).isFalse();
        assertThat(r.body().getInteger("inFlight")).isEqualTo(1);
        assertThat(r.body().getInteger("pendingMessages")).isZero();
        assertThat(turns).extracting(Turn::subscriberId).containsExactly("x");
        ctx.completeNow();
      })));
  }

  @Test
  void aStoreThatStopsAnsweringIsLoggedOnceAndItsReturnToo(Vertx vertx, VertxTestContext ctx) {
    java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
    AtomicInteger sweeps = new AtomicInteger();
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
      new ch.qos.logback.core.read.ListAppender<>();
    log.start();
    ch.qos.logback.classic.Logger logger =
      (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DebounceVerticle.class);
    logger.addAppender(log);
    deploy(vertx, new JsonObject(), new CountingStore(() -> {
      if (down.get()) {
        throw new IllegalStateException("connection refused");
      }
      return stores.turns();
    }, sweeps, new AtomicInteger()))
      .compose(v -> Poll.until(vertx, () -> sweeps.get() >= 5 ? Boolean.TRUE : null, Duration.ofSeconds(5), "sweeps"))
      .compose(v -> {
        down.set(false);
        int target = sweeps.get() + 5;
        return Poll.until(vertx, () -> sweeps.get() >= target ? Boolean.TRUE : null, Duration.ofSeconds(5), "sweeps");
      })
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        logger.detachAppender(log);
        List<String> lines = log.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        assertThat(lines.stream().filter(l -> l.startsWith("ERROR debounce sweep failed"))).hasSize(1);
        assertThat(lines.stream().filter(l -> l.equals("INFO debounce sweep works again"))).hasSize(1);
        ctx.completeNow();
      })));
  }

  @Test
  void drainWithSharedStateStopsClaiming(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger sweeps = new AtomicInteger();
    AtomicInteger claims = new AtomicInteger();
    deploy(vertx, new JsonObject(), new CountingStore(() -> stores.turns(), sweeps, claims))
      .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.DEBOUNCE_DRAIN,
        new JsonObject().put("deadlineMs", System.currentTimeMillis() + 5_000).put("claim", false)))
      .compose(r -> {
        assertThat(r.body().getBoolean("idle")).isTrue();
        return send(vertx, "x", "hello");
      })
      .compose(a -> {
        now.addAndGet(QUIET_MS);
        int claimsBefore = claims.get();
        int target = sweeps.get() + 5;
        return Poll.until(vertx, () -> sweeps.get() >= target ? claimsBefore : null, Duration.ofSeconds(5), "sweeps");
      })
      .onComplete(ctx.succeeding(claimsBefore -> ctx.verify(() -> {
        assertThat(claims.get()).as("no claim after the drain").isEqualTo(claimsBefore);
        assertThat(turns).isEmpty();
        assertThat(stores.turns().stats().result().pendingMessages()).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void withoutAnAgentTurnsWaitInTheirBuffersWithoutUsingAttemptsUntilOneJoins(Vertx vertx, VertxTestContext ctx) {
    withAgent = false;
    AtomicInteger sweeps = new AtomicInteger();
    AtomicInteger claims = new AtomicInteger();
    deploy(vertx, new JsonObject(), new CountingStore(() -> stores.turns(), sweeps, claims))
      .compose(v -> send(vertx, "na", "Привіт"))
      .compose(a -> {
        now.addAndGet(QUIET_MS);
        return Poll.until(vertx, () -> registry.get("mirt.debounce.turns.released").counter().count() >= 1
          ? Boolean.TRUE : null, Duration.ofSeconds(5), "the turn to go back to its buffer");
      })
      .compose(v -> {
        // Long past any lease and any attempt limit (2 here): waiting for an agent must cost nothing.
        now.addAndGet(10 * LEASE_MS);
        int target = sweeps.get() + 10;
        return Poll.until(vertx, () -> sweeps.get() >= target ? Boolean.TRUE : null, Duration.ofSeconds(5), "sweeps");
      })
      .compose(v -> health(vertx))
      .compose(h -> {
        assertThat(h.getBoolean("agentMissing")).isTrue();
        assertThat(h.getInteger("pendingMessages")).isEqualTo(1);
        assertThat(h.getInteger("inFlight")).isZero();
        assertThat(registry.get("mirt.debounce.agent.missing").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("mirt.debounce.turns.released").counter().count())
          .as("claiming pauses while no agent runs").isEqualTo(1.0);
        assertThat(claims.get()).as("no claim with room while no agent runs").isEqualTo(1);
        assertThat(registry.get("mirt.debounce.dead.letters").counter().count()).isZero();
        return stores.deadLetters().recent(10);
      })
      .compose(dead -> {
        assertThat(dead).isEmpty();
        startAgent(vertx);
        return awaitTurns(vertx, 1);
      })
      .compose(ts -> health(vertx).map(h -> {
        assertThat(h.getBoolean("agentMissing")).isFalse();
        return ts;
      }))
      .onComplete(ctx.succeeding(ts -> ctx.verify(() -> {
        assertThat(ts).hasSize(1);
        assertThat(ts.get(0).text()).isEqualTo("Привіт");
        assertThat(ts.get(0).attempt()).as("the waiting used no attempt").isEqualTo(1);
        assertThat(registry.get("mirt.debounce.agent.missing").gauge().value()).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void aTurnNoAgentAcknowledgesInTimeGoesBackWithoutUsingAnAttempt(Vertx vertx, VertxTestContext ctx) {
    withAgent = false;
    List<Turn> received = new CopyOnWriteArrayList<>();
    // An agent the cluster still lists but that no longer answers (its node just died).
    vertx.eventBus().<JsonObject>consumer(Addresses.AGENT_TURN, m -> received.add(Turn.fromJson(m.body())));
    deploy(vertx, new JsonObject().put("debounce.lease-seconds", 1.0), null)
      .compose(v -> send(vertx, "silent", "Привіт"))
      .compose(a -> {
        now.addAndGet(QUIET_MS);
        return Poll.until(vertx, () -> received.size() >= 2 ? List.copyOf(received) : null, Duration.ofSeconds(10),
          "the turn to be sent again after no acknowledgement");
      })
      .compose(ts -> health(vertx).map(h -> {
        assertThat(h.getBoolean("agentMissing")).as("an agent is registered, just silent").isFalse();
        return ts;
      }))
      .onComplete(ctx.succeeding(ts -> ctx.verify(() -> {
        assertThat(ts).extracting(Turn::attempt).as("a turn nobody took used no attempt").containsOnly(1);
        assertThat(ts.get(1).turnId()).isNotEqualTo(ts.get(0).turnId());
        assertThat(registry.get("mirt.debounce.turns.released").counter().count()).isGreaterThanOrEqualTo(1.0);
        assertThat(registry.get("mirt.debounce.dead.letters").counter().count()).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void anAgentHasLessThanALeaseAndAtMostFiveSecondsToAcknowledge() {
    assertThat(DebounceVerticle.ackTimeoutMs(30_000)).isEqualTo(5_000);
    assertThat(DebounceVerticle.ackTimeoutMs(8_000)).isEqualTo(4_000);
    assertThat(DebounceVerticle.ackTimeoutMs(1_000)).isEqualTo(500);
    assertThat(DebounceVerticle.ackTimeoutMs(10_000)).isEqualTo(5_000);
  }

  @Test
  void aTurnTheAgentReceivedAndRefusedStaysWithItsLease(Vertx vertx, VertxTestContext ctx) {
    withAgent = false;
    AtomicInteger sweeps = new AtomicInteger();
    AtomicInteger received = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(Addresses.AGENT_TURN, m -> {
      received.incrementAndGet();
      m.fail(500, "agent broke while taking the turn");
    });
    deploy(vertx, new JsonObject(), new CountingStore(() -> stores.turns(), sweeps, new AtomicInteger()))
      .compose(v -> send(vertx, "nack", "Привіт"))
      .compose(a -> {
        now.addAndGet(QUIET_MS);
        return Poll.until(vertx, () -> received.get() == 1 ? sweeps.get() + 10 : null, Duration.ofSeconds(5),
          "the agent to receive the turn");
      })
      .compose(target -> Poll.until(vertx, () -> sweeps.get() >= target ? Boolean.TRUE : null, Duration.ofSeconds(5),
        "sweeps"))
      .compose(v -> health(vertx))
      .onComplete(ctx.succeeding(h -> ctx.verify(() -> {
        assertThat(h.getInteger("inFlight")).as("it reached an agent: its lease decides").isEqualTo(1);
        assertThat(h.getBoolean("agentMissing")).isFalse();
        assertThat(registry.get("mirt.debounce.turns.released").counter().count()).isZero();
        assertThat(received.get()).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void aMessageSeenBeforeIsAcknowledgedAsADuplicate(Vertx vertx, VertxTestContext ctx) {
    InboundMessage m = new InboundMessage("d", Channel.INSTAGRAM, "Привіт", List.of(), "mid-7", Contact.EMPTY, 0, "tr");
    deploy(vertx)
      .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.INBOUND_MESSAGE, m.toJson()))
      .compose(first -> {
        assertThat(InboundAck.fromJson(first.body()).duplicate()).isFalse();
        return vertx.eventBus().<JsonObject>request(Addresses.INBOUND_MESSAGE, m.toJson());
      })
      .compose(second -> {
        assertThat(InboundAck.fromJson(second.body()).duplicate()).isTrue();
        return health(vertx);
      })
      .onComplete(ctx.succeeding(h -> ctx.verify(() -> {
        assertThat(h.getInteger("pendingMessages")).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void aGaugeShowsTheBacklog(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx)
      .compose(v -> send(vertx, "g1", "a"))
      .compose(v -> send(vertx, "g2", "b"))
      .compose(v -> Poll.until(vertx, () -> registry.get("mirt.debounce.pending.messages").gauge().value() == 2.0
        ? Boolean.TRUE : null, Duration.ofSeconds(5), "the gauge to show two messages"))
      .compose(v -> {
        now.addAndGet(QUIET_MS);
        return Poll.until(vertx, () -> registry.get("mirt.debounce.in.flight").gauge().value() == 2.0
          ? Boolean.TRUE : null, Duration.ofSeconds(5), "the gauge to show two turns in flight");
      })
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(registry.get("mirt.debounce.pending.messages").gauge().value()).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void malformedInboundMessageIsRefusedWithoutHarm(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx)
      .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.INBOUND_MESSAGE, new JsonObject().put("text", "x")))
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(((ReplyException) e).failureCode()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("bad inbound message: missing field");
        send(vertx, "ok", "still works").compose(a -> {
          now.addAndGet(QUIET_MS);
          return awaitTurns(vertx, 1);
        }).onComplete(ctx.succeeding(ts -> ctx.verify(() -> {
          assertThat(ts.get(0).subscriberId()).isEqualTo("ok");
          ctx.completeNow();
        })));
      })));
  }

  @Test
  void healthReportsCounts(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx)
      .compose(v -> send(vertx, "h", "x"))
      .compose(a -> vertx.eventBus().<JsonObject>request(Addresses.role("debounce"), new JsonObject()))
      .compose(presence -> {
        assertThat(presence.body().getString("instance")).isEqualTo("node-a");
        return health(vertx);
      })
      .onComplete(ctx.succeeding(h -> ctx.verify(() -> {
        assertThat(h.getString("status")).isEqualTo("UP");
        assertThat(h.getString("store")).isEqualTo("memory");
        assertThat(h.getBoolean("agentMissing")).isFalse();
        assertThat(h.getInteger("pendingMessages")).isEqualTo(1);
        assertThat(h.getInteger("pendingSubscribers")).isEqualTo(1);
        assertThat(h.getInteger("inFlight")).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void aStoreThatDoesNotAnswerMeans503AndHealthDown(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, new JsonObject(), new CountingStore(() -> {
      throw new IllegalStateException("connection refused");
    }, new AtomicInteger(), new AtomicInteger()))
      .compose(v -> health(vertx))
      .compose(h -> {
        assertThat(h.getString("status")).isEqualTo("DOWN");
        assertThat(h.getString("error")).isEqualTo("storage unavailable: connection refused");
        return send(vertx, "1", "hi");
      })
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(((ReplyException) e).failureCode()).isEqualTo(503);
        assertThat(e.getMessage()).isEqualTo("storage unavailable: connection refused");
        ctx.completeNow();
      })));
  }

  @Test
  void turnsBeyondTheInFlightLimitWaitInTheirBuffers(Vertx vertx, VertxTestContext ctx) {
    Future<Void> sent = deploy(vertx, new JsonObject().put("debounce.max-in-flight", 2), null);
    for (int i = 0; i < 5; i++) {
      String sub = "c" + i;
      sent = sent.compose(v -> send(vertx, sub, "hi").mapEmpty());
    }
    sent.compose(v -> {
        now.addAndGet(QUIET_MS);
        return awaitTurns(vertx, 2);
      })
      .compose(v -> health(vertx))
      .compose(h -> {
        assertThat(turns).as("only two turns in flight").hasSize(2);
        assertThat(h.getInteger("inFlight")).isEqualTo(2);
        assertThat(h.getInteger("pendingMessages")).isEqualTo(3);
        return answerAndDeliver(turns.get(0));
      })
      .compose(v -> awaitTurns(vertx, 3))
      .onComplete(ctx.succeeding(ts -> ctx.verify(() -> {
        assertThat(ts).extracting(Turn::subscriberId).doesNotHaveDuplicates();
        ctx.completeNow();
      })));
  }

  @Test
  void aTurnStartsWhenItIsDueNotAtTheNextPeriodicSweep(Vertx vertx, VertxTestContext ctx) {
    // The periodic sweep would come after a minute: only the wake-up set for the due time can start these turns.
    JsonObject settings = new JsonObject().put("debounce.sweep-ms", 60_000).put("debounce.quiet-seconds", 0.2);
    // The store's clock at the wall clock, so that the lag it measures is a real one: at most the test's own time.
    now.set(System.currentTimeMillis());
    long started = System.currentTimeMillis();
    deploy(vertx, settings, null)
      .compose(v -> send(vertx, "1", "Привіт"))
      .compose(a -> {
        now.addAndGet(100);
        // Written by another instance: this one learns its due time from the store after its next sweep.
        return stores.turns().append(new InboundMessage("2", Channel.INSTAGRAM, "є сукні", List.of(), null,
          Contact.EMPTY, now.get(), "trace-2"));
      })
      .compose(r -> {
        now.addAndGet(100);
        return awaitTurns(vertx, 1);
      })
      .compose(first -> {
        ctx.verify(() -> assertThat(first).extracting(Turn::subscriberId).containsExactly("1"));
        now.addAndGet(100);
        return awaitTurns(vertx, 2);
      })
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(all).extracting(Turn::subscriberId).containsExactly("1", "2");
        Timer lag = registry.get("mirt.debounce.lag").timer();
        assertThat(lag.count()).as("each turn's lag behind its due time is measured").isEqualTo(2);
        assertThat(lag.max(TimeUnit.MILLISECONDS)).isBetween(0.0,
          (double) (System.currentTimeMillis() - started));
        ctx.completeNow();
      })));
  }

  @Test
  void aTurnHeldBackByTheInFlightLimitStartsAsSoonAsRoomIsFree(Vertx vertx, VertxTestContext ctx) {
    // One turn in flight at a time, and no periodic sweep within the test: the second turn can only start because
    // debounce keeps looking while the limit holds turns back.
    autoAnswer = true;
    JsonObject settings = new JsonObject().put("debounce.sweep-ms", 60_000).put("debounce.quiet-seconds", 0.2)
      .put("debounce.max-in-flight", 1);
    deploy(vertx, settings, null)
      .compose(v -> send(vertx, "1", "Привіт"))
      .compose(a -> send(vertx, "2", "Добрий день"))
      .compose(a -> {
        now.addAndGet(200);
        return awaitTurns(vertx, 2);
      })
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(all).extracting(Turn::subscriberId).containsExactlyInAnyOrder("1", "2");
        ctx.completeNow();
      })));
  }

  @Test
  void theRecordItselfTravelsToTheLocalDebounce(Vertx vertx, VertxTestContext ctx) {
    InboundMessage m = new InboundMessage("5", Channel.INSTAGRAM, "Привіт", List.of(), "mid-5", Contact.EMPTY,
      System.currentTimeMillis(), "trace-5");
    deploy(vertx)
      .compose(v -> vertx.eventBus().<Object>request(Addresses.INBOUND_MESSAGE_LOCAL, m))
      .compose(first -> {
        ctx.verify(() -> assertThat(first.body()).isEqualTo(new InboundAck(false)));
        return vertx.eventBus().<Object>request(Addresses.INBOUND_MESSAGE_LOCAL, m);
      })
      .compose(again -> {
        ctx.verify(() -> assertThat(again.body()).as("same message id").isEqualTo(new InboundAck(true)));
        return vertx.eventBus().<Object>request(Addresses.INBOUND_MESSAGE, m.toJson());
      })
      .onComplete(ctx.succeeding(json -> ctx.verify(() -> {
        assertThat(json.body()).as("the cluster address still speaks JSON")
          .isEqualTo(new InboundAck(true).toJson());
        ctx.completeNow();
      })));
  }

  /** A turn store that counts sweeps and claims, over a store that may throw instead of answering. */
  private static final class CountingStore implements TurnStore {
    private final java.util.function.Supplier<TurnStore> inner;
    private final AtomicInteger sweeps;
    private final AtomicInteger claims;

    CountingStore(java.util.function.Supplier<TurnStore> inner, AtomicInteger sweeps, AtomicInteger claims) {
      this.inner = inner;
      this.sweeps = sweeps;
      this.claims = claims;
    }

    private <T> Future<T> call(java.util.function.Function<TurnStore, Future<T>> op) {
      try {
        return op.apply(inner.get());
      } catch (RuntimeException e) {
        return Future.failedFuture(e.getMessage());
      }
    }

    @Override
    public Future<AppendResult> append(InboundMessage message) {
      return call(s -> s.append(message));
    }

    @Override
    public Future<List<Turn>> claimDue(int limit, String owner, boolean drainAll) {
      if (limit > 0) {
        claims.incrementAndGet();
      }
      return call(s -> s.claimDue(limit, owner, drainAll));
    }

    @Override
    public Future<Boolean> renew(String subscriberId, String turnId, String owner) {
      return call(s -> s.renew(subscriberId, turnId, owner));
    }

    @Override
    public Future<HandoffDecision> handoff(Turn turn, Reply reply, String conversation) {
      return call(s -> s.handoff(turn, reply, conversation));
    }

    @Override
    public Future<FailOutcome> fail(Turn turn, String reason) {
      return call(s -> s.fail(turn, reason));
    }

    @Override
    public Future<FailOutcome> expire(Turn turn, String reason) {
      return call(s -> s.expire(turn, reason));
    }

    @Override
    public Future<Boolean> release(Turn turn) {
      return call(s -> s.release(turn));
    }

    @Override
    public Future<OwnReplyResult> storeOwnReply(Reply reply, String conversation,
                                                ai.mirt.state.FollowUpStore.FollowUp followUp) {
      return call(s -> s.storeOwnReply(reply, conversation, followUp));
    }

    @Override
    public Future<List<InboundMessage>> pending(String subscriberId) {
      return call(s -> s.pending(subscriberId));
    }

    @Override
    public Future<List<Turn>> expiredLeases(int limit) {
      sweeps.incrementAndGet();
      return call(s -> s.expiredLeases(limit));
    }

    @Override
    public Future<Stats> stats() {
      return call(TurnStore::stats);
    }

    @Override
    public Future<Long> nextDueIn() {
      return call(TurnStore::nextDueIn);
    }
  }
}
