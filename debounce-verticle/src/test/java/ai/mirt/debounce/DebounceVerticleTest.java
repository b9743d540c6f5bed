package ai.mirt.debounce;

import ai.mirt.common.Addresses;
import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.Handoff;
import ai.mirt.common.HandoffDecision;
import ai.mirt.common.InboundAck;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Turn;
import ai.mirt.common.TurnCompleted;
import ai.mirt.testkit.Poll;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The debounce verticle on a real event bus, with the agent replaced by a recording consumer. */
@ExtendWith(VertxExtension.class)
class DebounceVerticleTest {

  private static final long QUIET_MS = 300;
  private static final long MAX_WAIT_MS = 1_000;

  private final List<Turn> turns = new CopyOnWriteArrayList<>();
  private final List<Long> turnTimes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().<JsonObject>consumer(Addresses.AGENT_TURN, m -> {
      turns.add(Turn.fromJson(m.body()));
      turnTimes.add(System.currentTimeMillis());
    });
    JsonObject cfg = MirtConfig.fromJson(new JsonObject()
      .put("debounce.quiet-seconds", QUIET_MS / 1000.0)
      .put("debounce.max-wait-seconds", MAX_WAIT_MS / 1000.0)
      .put("debounce.sweep-ms", 20)
      .put("debounce.lease-seconds", 10.0)).toJson();
    vertx.deployVerticle(new DebounceVerticle(), new DeploymentOptions().setConfig(cfg))
      .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<InboundAck> send(Vertx vertx, String sub, String text) {
    InboundMessage m = new InboundMessage(sub, Channel.INSTAGRAM, text, List.of(), null, Contact.EMPTY,
      System.currentTimeMillis(), "trace-" + sub);
    return vertx.eventBus().<JsonObject>request(Addresses.INBOUND_MESSAGE, m.toJson())
      .map(r -> InboundAck.fromJson(r.body()));
  }

  private static Future<HandoffDecision> handoff(Vertx vertx, Turn t) {
    return vertx.eventBus().<JsonObject>request(Addresses.TURN_HANDOFF, new Handoff(t.subscriberId(), t.turnId()).toJson())
      .map(r -> HandoffDecision.fromJson(r.body()));
  }

  private static void complete(Vertx vertx, Turn t, TurnCompleted.Outcome outcome) {
    vertx.eventBus().send(Addresses.TURN_COMPLETED, new TurnCompleted(t.subscriberId(), t.turnId(), outcome, "test").toJson());
  }

  private Future<List<Turn>> awaitTurns(Vertx vertx, int n) {
    return Poll.until(vertx, () -> turns.size() >= n ? List.copyOf(turns) : null, Duration.ofSeconds(5),
      "expected " + n + " turns, got " + turns.size());
  }

  @Test
  void burstOfThreeMessagesBecomesOneTurnAfterTheQuietWindow(Vertx vertx, VertxTestContext ctx) {
    long start = System.currentTimeMillis();
    send(vertx, "1", "Привіт")
      .compose(a -> send(vertx, "1", "є сукні"))
      .compose(a -> send(vertx, "1", "на зріст 116?"))
      .compose(a -> {
        long lastSent = System.currentTimeMillis();
        return awaitTurns(vertx, 1).map(ts -> lastSent);
      })
      .onComplete(ctx.succeeding(lastSent -> ctx.verify(() -> {
        // One turn holding all three messages: no other turn can carry any of them.
        assertThat(turns.get(0).text()).isEqualTo("Привіт\nє сукні\nна зріст 116?");
        assertThat(turns.get(0).messageCount()).isEqualTo(3);
        assertThat(turnTimes.get(0) - lastSent).isGreaterThanOrEqualTo(QUIET_MS - 50);
        assertThat(turnTimes.get(0) - start).isLessThan(MAX_WAIT_MS + 2_000);
        ctx.completeNow();
      })));
  }

  @Test
  void interleavedSubscribersGetSeparateTurns(Vertx vertx, VertxTestContext ctx) {
    send(vertx, "a", "a1").compose(x -> send(vertx, "b", "b1")).compose(x -> send(vertx, "a", "a2"))
      .compose(x -> send(vertx, "b", "b2"))
      .compose(x -> awaitTurns(vertx, 2))
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
  void maxWaitCapsAnEndlessStream(Vertx vertx, VertxTestContext ctx) {
    long start = System.currentTimeMillis();
    long period = vertx.setPeriodic(QUIET_MS / 3, id -> send(vertx, "s", "still typing"));
    awaitTurns(vertx, 1).onComplete(ctx.succeeding(ts -> ctx.verify(() -> {
      vertx.cancelTimer(period);
      long waited = turnTimes.get(0) - start;
      assertThat(waited).isGreaterThanOrEqualTo(MAX_WAIT_MS - 50).isLessThan(MAX_WAIT_MS + 2_000);
      assertThat(ts.get(0).messageCount()).isGreaterThan(3);
      ctx.completeNow();
    })));
  }

  @Test
  void messageDuringHandedOverTurnFormsTheNextTurn(Vertx vertx, VertxTestContext ctx) {
    send(vertx, "1", "перше")
      .compose(a -> awaitTurns(vertx, 1))
      .compose(ts -> handoff(vertx, ts.get(0)).map(d -> {
        assertThat(d.deliver()).isTrue();
        return ts.get(0);
      }))
      .compose(first -> send(vertx, "1", "друге").map(a -> first))
      .compose(first -> Poll.until(vertx, () -> System.currentTimeMillis() > turnTimes.get(0) + QUIET_MS * 3 ? first : null,
        Duration.ofSeconds(3), "wait"))
      .compose(first -> {
        assertThat(turns).as("no second turn while the first is in flight").hasSize(1);
        complete(vertx, first, TurnCompleted.Outcome.DELIVERED);
        return awaitTurns(vertx, 2);
      })
      .onComplete(ctx.succeeding(ts -> ctx.verify(() -> {
        assertThat(ts.get(1).text()).isEqualTo("друге");
        assertThat(ts.get(1).reruns()).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void messageBeforeHandoffSupersedesTheInFlightReply(Vertx vertx, VertxTestContext ctx) {
    send(vertx, "1", "перше")
      .compose(a -> awaitTurns(vertx, 1))
      .compose(ts -> send(vertx, "1", "друге").map(a -> ts.get(0)))
      .compose(first -> handoff(vertx, first))
      .compose(d -> {
        assertThat(d.deliver()).isFalse();
        return awaitTurns(vertx, 2);
      })
      .onComplete(ctx.succeeding(ts -> ctx.verify(() -> {
        assertThat(ts.get(1).text()).isEqualTo("перше\nдруге");
        assertThat(ts.get(1).reruns()).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void failedTurnIsRetried(Vertx vertx, VertxTestContext ctx) {
    send(vertx, "1", "допоможіть")
      .compose(a -> awaitTurns(vertx, 1))
      .compose(ts -> {
        complete(vertx, ts.get(0), TurnCompleted.Outcome.FAILED);
        return awaitTurns(vertx, 2);
      })
      .onComplete(ctx.succeeding(ts -> ctx.verify(() -> {
        assertThat(ts.get(1).text()).isEqualTo("допоможіть");
        assertThat(ts.get(1).attempt()).isEqualTo(2);
        ctx.completeNow();
      })));
  }

  @Test
  void drainDispatchesBufferedTurnsAndAnswersWhenAllAreDone(Vertx vertx, VertxTestContext ctx) {
    // A separate Vert.x with a long quiet window; its stand-in agent completes every turn, as the pipeline would.
    JsonObject cfg = MirtConfig.fromJson(new JsonObject().put("debounce.quiet-seconds", 60.0)
      .put("debounce.max-wait-seconds", 120.0).put("debounce.sweep-ms", 20)).toJson();
    Vertx other = Vertx.vertx();
    other.eventBus().<JsonObject>consumer(Addresses.AGENT_TURN, m -> {
      Turn t = Turn.fromJson(m.body());
      turns.add(t);
      other.eventBus().<JsonObject>request(Addresses.TURN_HANDOFF, new Handoff(t.subscriberId(), t.turnId()).toJson())
        .onSuccess(d -> other.eventBus().send(Addresses.TURN_COMPLETED,
          new TurnCompleted(t.subscriberId(), t.turnId(), TurnCompleted.Outcome.DELIVERED, "").toJson()));
    });
    other.deployVerticle(new DebounceVerticle(), new DeploymentOptions().setConfig(cfg))
      .compose(id -> send(other, "x", "hello"))
      .compose(a -> send(other, "y", "hi"))
      .compose(a -> other.eventBus().<JsonObject>request(Addresses.DEBOUNCE_DRAIN,
        new JsonObject().put("deadlineMs", System.currentTimeMillis() + 5_000), new DeliveryOptions().setSendTimeout(10_000)))
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.body().getBoolean("idle")).isTrue();
        assertThat(turns).extracting(Turn::subscriberId).containsExactlyInAnyOrder("x", "y");
        other.close().onComplete(ctx.succeedingThenComplete());
      })));
  }

  @Test
  void malformedInboundMessageIsRefusedWithoutHarm(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.INBOUND_MESSAGE, new JsonObject().put("text", "no subscriber"))
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(e.getMessage()).startsWith("bad inbound message: missing field");
        send(vertx, "ok", "still works").compose(a -> awaitTurns(vertx, 1))
          .onComplete(ctx.succeeding(ts -> ctx.verify(() -> {
            assertThat(ts.get(0).subscriberId()).isEqualTo("ok");
            ctx.completeNow();
          })));
      })));
  }

  @Test
  void healthReportsCounts(Vertx vertx, VertxTestContext ctx) {
    send(vertx, "h", "x")
      .compose(a -> vertx.eventBus().<JsonObject>request(Addresses.HEALTH_DEBOUNCE, new JsonObject()))
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.body().getString("status")).isEqualTo("UP");
        assertThat(r.body().getInteger("pendingMessages")).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void turnsBeyondTheInFlightLimitWaitInTheirBuffers(VertxTestContext ctx) {
    Vertx other = Vertx.vertx();
    List<Turn> seen = new CopyOnWriteArrayList<>();
    other.eventBus().<JsonObject>consumer(Addresses.AGENT_TURN, m -> seen.add(Turn.fromJson(m.body())));
    JsonObject cfg = MirtConfig.fromJson(new JsonObject().put("debounce.quiet-seconds", 0.1)
      .put("debounce.max-wait-seconds", 1.0).put("debounce.sweep-ms", 20).put("debounce.max-in-flight", 2)).toJson();
    Future<Void> sent = other.deployVerticle(new DebounceVerticle(), new DeploymentOptions().setConfig(cfg)).mapEmpty();
    for (int i = 0; i < 5; i++) {
      String sub = "c" + i;
      sent = sent.compose(v -> send(other, sub, "hi").mapEmpty());
    }
    sent.compose(v -> Poll.until(other, () -> seen.size() >= 2 ? Boolean.TRUE : null, Duration.ofSeconds(5), "first two"))
      .compose(v -> {
        long until = System.currentTimeMillis() + 500;
        return Poll.until(other, () -> System.currentTimeMillis() > until ? Boolean.TRUE : null, Duration.ofSeconds(5), "wait");
      })
      .compose(v -> {
        assertThat(seen).as("only two turns in flight").hasSize(2);
        Turn done = seen.get(0);
        other.eventBus().send(Addresses.TURN_COMPLETED,
          new TurnCompleted(done.subscriberId(), done.turnId(), TurnCompleted.Outcome.DELIVERED, "").toJson());
        return Poll.until(other, () -> seen.size() >= 3 ? Boolean.TRUE : null, Duration.ofSeconds(5), "third after a completion");
      })
      .compose(v -> other.eventBus().<JsonObject>request(Addresses.HEALTH_DEBOUNCE, new JsonObject()))
      .onComplete(ctx.succeeding(h -> ctx.verify(() -> {
        assertThat(seen).hasSize(3);
        assertThat(h.body().getInteger("inFlight")).isEqualTo(2);
        assertThat(h.body().getInteger("pendingMessages")).isEqualTo(2);
        other.close().onComplete(ctx.succeedingThenComplete());
      })));
  }
}
