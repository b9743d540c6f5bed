package ai.mirt.push;

import ai.mirt.common.MirtConfig;
import ai.mirt.push.CallResult.Outcome;
import ai.mirt.testkit.FakeManyChat;
import ai.mirt.testkit.FakeServer.Fault;
import ai.mirt.testkit.Poll;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static ai.mirt.push.PushFixture.onLoop;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code manychat} circuit breaker: what counts against it, what it holds back, and how it recovers. */
@ExtendWith(VertxExtension.class)
class ManyChatBreakerTest {

  private static final String KEY = PushFixture.KEY;
  private static final String SERVER_ERROR = "{\"status\":\"error\",\"message\":\"Internal error\"}";

  private Vertx vertx;
  private FakeManyChat manychat;
  private PushLog log;

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    log = PushLog.of(ManyChatClient.class);
    manychat = new FakeManyChat(vertx, KEY);
    manychat.start().onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void tearDown() {
    log.close();
  }

  private ManyChatClient client(int maxFailures, int resetMs) {
    MirtConfig config = MirtConfig.fromJson(new JsonObject()
      .put("manychat.api-url", manychat.baseUrl())
      .put("manychat.api-key", KEY)
      .put("manychat.timeout-ms", 2_000)
      .put("push.breaker-max-failures", maxFailures)
      .put("push.breaker-reset-ms", resetMs));
    return new ManyChatClient(vertx, config.manychat(), config.push());
  }

  private static ManyChatCall tag() {
    return new ManyChatCall(DynamicBlockBuilder.ADD_TAG, new JsonObject().put("subscriber_id", 42)
      .put("tag_name", "lead"));
  }

  /** Posts the call once per fault queued, one after the other, and collects the results. */
  private static Future<List<CallResult>> postEach(ManyChatClient client, int times) {
    List<CallResult> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < times; i++) {
      chain = chain.compose(v -> client.post(tag()).map(r -> {
        out.add(r);
        return null;
      }));
    }
    return chain.map(v -> out);
  }

  @Test
  void refusalsAndTooManyRequestsSayNothingAboutManyChatsHealth(VertxTestContext ctx) {
    manychat.inject(Fault.status(400, "{\"status\":\"error\",\"message\":\"Bad request\"}"))
      .inject(Fault.status(429, ""))
      .inject(Fault.status(400, FakeManyChat.WINDOW_CLOSED));
    onLoop(vertx, () -> {
      ManyChatClient client = client(1, 60_000);
      postEach(client, 4).onComplete(ctx.succeeding(results -> ctx.verify(() -> {
        assertThat(results).extracting(CallResult::outcome).containsExactly(Outcome.PERMANENT,
          Outcome.RATE_LIMITED, Outcome.WINDOW_CLOSED, Outcome.OK);
        assertThat(client.breakerState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(client.msUntilHalfOpen()).isZero();
        assertThat(log.lines()).isEmpty();
        client.close();
        ctx.completeNow();
      })));
    });
  }

  @Test
  void serverErrorsOpenTheBreakerWhichThenHoldsCallsBackWithoutARequest(VertxTestContext ctx) {
    manychat.inject(Fault.status(500, SERVER_ERROR), 2);
    onLoop(vertx, () -> {
      ManyChatClient client = client(2, 60_000);
      postEach(client, 3).onComplete(ctx.succeeding(results -> ctx.verify(() -> {
        assertThat(results).extracting(CallResult::outcome).containsExactly(Outcome.FAILED, Outcome.FAILED,
          Outcome.BREAKER_OPEN);
        assertThat(results.get(0).code()).isEqualTo("http_500");
        assertThat(results.get(1).reason()).isEqualTo("ManyChat answered HTTP 500: Internal error");
        assertThat(results.get(2)).isEqualTo(CallResult.breakerOpen());
        assertThat(manychat.requests()).hasSize(2);
        assertThat(client.breakerState()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(client.msUntilHalfOpen()).isBetween(50_000L, 60_000L);
        assertThat(log.lines()).containsExactly("WARN circuit breaker manychat OPEN: ManyChat calls are held back "
          + "for 60000 ms; replies wait in the outbox");
        client.close();
        ctx.completeNow();
      })));
    });
  }

  @Test
  void afterItsResetTheBreakerLetsATrialThroughAndClosesWhenItSucceeds(VertxTestContext ctx) {
    manychat.inject(Fault.status(503, ""), 2);
    onLoop(vertx, () -> {
      ManyChatClient client = client(1, 300);
      client.post(tag())
        .compose(first -> Poll.until(vertx, () -> client.breakerState() == CircuitBreakerState.HALF_OPEN
          ? Boolean.TRUE : null, Duration.ofSeconds(5), "the breaker to half-open"))
        .compose(v -> {
          ctx.verify(() -> assertThat(client.msUntilHalfOpen()).isZero());
          // A failed trial opens it again; the next trial closes it.
          return client.post(tag());
        })
        .compose(failedTrial -> {
          ctx.verify(() -> assertThat(client.breakerState()).isEqualTo(CircuitBreakerState.OPEN));
          return Poll.until(vertx, () -> client.breakerState() == CircuitBreakerState.HALF_OPEN ? Boolean.TRUE : null,
            Duration.ofSeconds(5), "the breaker to half-open again");
        })
        .compose(v -> client.post(tag()))
        .onComplete(ctx.succeeding(trial -> ctx.verify(() -> {
          assertThat(trial.outcome()).isEqualTo(Outcome.OK);
          assertThat(client.breakerState()).isEqualTo(CircuitBreakerState.CLOSED);
          assertThat(log.lines()).containsExactly(
            "WARN circuit breaker manychat OPEN: ManyChat calls are held back for 300 ms; replies wait in the outbox",
            "INFO circuit breaker manychat HALF_OPEN: letting one ManyChat call through",
            "WARN circuit breaker manychat OPEN: ManyChat calls are held back for 300 ms; replies wait in the outbox",
            "INFO circuit breaker manychat HALF_OPEN: letting one ManyChat call through",
            "INFO circuit breaker manychat CLOSED: ManyChat calls flow again");
          assertThat(manychat.requests()).hasSize(3);
          client.close();
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aRefusedConnectionCountsAgainstTheBreaker(VertxTestContext ctx) {
    onLoop(vertx, () -> {
      ManyChatClient client = client(1, 60_000);
      manychat.stop().compose(v -> client.post(tag()))
        .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
          assertThat(res.outcome()).isEqualTo(Outcome.FAILED);
          assertThat(res.code()).isEqualTo("connection");
          assertThat(client.breakerState()).isEqualTo(CircuitBreakerState.OPEN);
          client.close();
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aClosedClientSendsNothing(VertxTestContext ctx) {
    onLoop(vertx, () -> {
      ManyChatClient client = client(5, 60_000);
      client.close();
      client.post(tag()).onComplete(ctx.succeeding(res -> ctx.verify(() -> {
        assertThat(res.outcome()).isNotEqualTo(Outcome.OK);
        assertThat(manychat.requests()).isEmpty();
        ctx.completeNow();
      })));
    });
  }
}
