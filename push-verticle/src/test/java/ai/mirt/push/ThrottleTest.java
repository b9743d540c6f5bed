package ai.mirt.push;

import ai.mirt.common.MirtConfig;
import ai.mirt.push.ManyChatCall.Group;
import ai.mirt.state.RateLimiter;
import ai.mirt.state.Stores;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate limit as the push verticle uses it: token intervals, queueing order, pauses and a store that fails. */
@ExtendWith(VertxExtension.class)
class ThrottleTest {

  private static final String KEY = "1234567:test-secret";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ListAppender<ILoggingEvent> log;

  /**
   * A rate limiter that records what it is asked and can be told to fail, in front of the memory store's; it also
   * records the store's time of every token handed out.
   */
  private static final class RecordingLimiter implements RateLimiter {
    final AtomicLong lastRead = new AtomicLong();
    final RateLimiter inner;
    final List<String> takes = new CopyOnWriteArrayList<>();
    final List<String> pauses = new CopyOnWriteArrayList<>();
    final List<Long> granted = new CopyOnWriteArrayList<>();
    final AtomicInteger failures = new AtomicInteger();

    RecordingLimiter(MirtConfig config) {
      this.inner = Stores.memory(config, () -> {
        long now = System.currentTimeMillis();
        lastRead.set(now);
        return now;
      }).rates();
    }

    @Override
    public Future<Long> take(String bucket, long intervalMs) {
      takes.add(bucket + "@" + intervalMs);
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return Future.failedFuture("store unavailable");
      }
      // The memory store answers at once, on the clock it has just read.
      return inner.take(bucket, intervalMs).onSuccess(wait -> {
        if (wait == 0) {
          granted.add(lastRead.get());
        }
      });
    }

    @Override
    public Future<Void> pause(String bucket, long ms) {
      pauses.add(bucket + "@" + ms);
      return inner.pause(bucket, ms);
    }
  }

  @BeforeEach
  void attachLog() {
    log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(Throttle.class)).addAppender(log);
  }

  @AfterEach
  void detachLog() {
    ((Logger) LoggerFactory.getLogger(Throttle.class)).detachAppender(log);
  }

  private static MirtConfig config(int sendContent, int subscriber) {
    return MirtConfig.fromJson(new JsonObject().put("manychat.api-key", KEY)
      .put("push.rate-send-content", sendContent).put("push.rate-subscriber", subscriber));
  }

  private RecordingLimiter limiter(MirtConfig config) {
    return new RecordingLimiter(config);
  }

  private Throttle throttle(Vertx vertx, MirtConfig config, RateLimiter limiter) {
    return new Throttle(vertx, limiter, config.manychat(), config.push(), registry);
  }

  /** What Throttle logged, as "LEVEL message"; the appender appends under its own lock. */
  private List<String> lines() {
    synchronized (log) {
      return log.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }
  }

  /** Throttle belongs to one event loop: each test drives it from one context, as the push verticle does. */
  private static void onLoop(Vertx vertx, Runnable body) {
    vertx.getOrCreateContext().runOnContext(v -> body.run());
  }

  @Test
  void aLimitIsSpreadOverOnePointOneSecondsRoundedUp() {
    assertThat(Throttle.intervalMs(25)).isEqualTo(44);
    assertThat(Throttle.intervalMs(50)).isEqualTo(22);
    assertThat(Throttle.intervalMs(10)).isEqualTo(110);
    assertThat(Throttle.intervalMs(3)).isEqualTo(367);
    assertThat(Throttle.intervalMs(1)).isEqualTo(1_100);
    assertThat(Throttle.intervalMs(1_100)).isEqualTo(1);
    assertThat(Throttle.intervalMs(2_000)).isEqualTo(1);
  }

  @Test
  void bucketsAreNamedByAHashOfTheKeyNeverTheKey() {
    String account = Throttle.account(KEY);
    assertThat(account).matches("[0-9a-f]{16}").isEqualTo(Throttle.account(KEY))
      .isNotEqualTo(Throttle.account("7654321:other-secret"));
    assertThat(Throttle.bucket(account, Group.SEND_CONTENT)).isEqualTo(account + ":send-content");
    assertThat(Throttle.bucket(account, Group.SUBSCRIBER)).isEqualTo(account + ":subscriber");
  }

  @Test
  void eachGroupTakesFromItsOwnBucketAtItsOwnInterval(Vertx vertx, VertxTestContext ctx) {
    onLoop(vertx, () -> {
      MirtConfig config = config(25, 10);
      RecordingLimiter limiter = limiter(config);
      Throttle throttle = throttle(vertx, config, limiter);
      String account = Throttle.account(KEY);
      Future.all(throttle.acquire(Group.SEND_CONTENT), throttle.acquire(Group.SUBSCRIBER))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(limiter.takes)
            .containsExactlyInAnyOrder(account + ":send-content@44", account + ":subscriber@110");
          assertThat(registry.get("mirt.push.rate.wait").tag("group", "send-content").timer().count()).isEqualTo(1);
          assertThat(registry.get("mirt.push.rate.wait").tag("group", "subscriber").timer().count()).isEqualTo(1);
          ctx.completeNow();
        })));
    });
  }

  @Test
  void waitingCallsGoInTheOrderTheyAskedEachAtLeastAnIntervalAfterTheLast(Vertx vertx, VertxTestContext ctx) {
    onLoop(vertx, () -> {
      MirtConfig config = config(10, 10);
      RecordingLimiter limiter = limiter(config);
      Throttle throttle = throttle(vertx, config, limiter);
      List<Integer> order = new CopyOnWriteArrayList<>();
      List<Future<Void>> all = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int n = i;
        all.add(throttle.acquire(Group.SEND_CONTENT).onSuccess(v -> order.add(n)));
      }
      int queued = throttle.waiting();
      Future.all(all).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(queued).as("calls waiting right after asking").isBetween(5, 6);
        assertThat(throttle.waiting()).isZero();
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
        List<Long> at = limiter.granted;
        assertThat(at).hasSize(6);
        for (int i = 1; i < at.size(); i++) {
          assertThat(at.get(i) - at.get(i - 1)).as("gap before call %d", i).isGreaterThanOrEqualTo(110);
        }
        ctx.completeNow();
      })));
    });
  }

  @Test
  void aHighLimitLetsCallsGoInBatchesThatStillKeepEverySecondWithinIt(Vertx vertx, VertxTestContext ctx) {
    assertThat(Throttle.batch(25)).isEqualTo(1);
    assertThat(Throttle.batch(199)).isEqualTo(1);
    assertThat(Throttle.batch(200)).isEqualTo(2);
    assertThat(Throttle.batch(100_000)).isEqualTo(1_000);
    assertThat(Throttle.intervalMs(2_000, 20)).as("20 calls of 2,000 a second span 11 ms").isEqualTo(11);
    onLoop(vertx, () -> {
      MirtConfig config = config(2_000, 10);
      RecordingLimiter limiter = limiter(config);
      Throttle throttle = throttle(vertx, config, limiter);
      List<Integer> order = new CopyOnWriteArrayList<>();
      List<Future<Void>> all = new ArrayList<>();
      for (int i = 0; i < 45; i++) {
        int n = i;
        all.add(throttle.acquire(Group.SEND_CONTENT).onSuccess(v -> order.add(n)));
      }
      String bucket = Throttle.account(KEY) + ":send-content";
      Future.all(all).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(order).hasSize(45).isSorted();
        // The first calls ask alone; those queued behind them go up to 20 at a time, for 20 intervals.
        assertThat(limiter.takes).contains(bucket + "@1", bucket + "@11");
        assertThat(limiter.granted).as("tokens handed out").hasSizeBetween(3, 6);
        assertThat(registry.get("mirt.push.rate.wait").tag("group", "send-content").timer().count()).isEqualTo(45);
        ctx.completeNow();
      })));
    });
  }

  @Test
  void aPauseHoldsBackEveryGroupForItsWholeLength(Vertx vertx, VertxTestContext ctx) {
    onLoop(vertx, () -> {
      MirtConfig config = config(50, 50);
      RecordingLimiter limiter = limiter(config);
      Throttle throttle = throttle(vertx, config, limiter);
      String account = Throttle.account(KEY);
      long paused = System.currentTimeMillis();
      throttle.pause(600)
        .compose(v -> Future.all(throttle.acquire(Group.SEND_CONTENT), throttle.acquire(Group.SUBSCRIBER)))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(limiter.pauses).containsExactlyInAnyOrder(account + ":send-content@600",
            account + ":subscriber@600");
          assertThat(limiter.granted).hasSize(2).allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(paused + 600));
          assertThat(lines()).contains("WARN ManyChat asked to slow down: no call for 600 ms");
          ctx.completeNow();
        })));
    });
  }

  /** A store that answers later, as Redis does: calls queue while it is asked. */
  private static RateLimiter later(Vertx vertx, RecordingLimiter inner) {
    return new RateLimiter() {
      @Override
      public Future<Long> take(String bucket, long intervalMs) {
        Promise<Long> answer = Promise.promise();
        vertx.setTimer(5, id -> inner.take(bucket, intervalMs).onComplete(answer));
        return answer.future();
      }

      @Override
      public Future<Void> pause(String bucket, long ms) {
        return inner.pause(bucket, ms);
      }
    };
  }

  @Test
  void callsThatQueueWhileTheStoreIsAskedAreServedInTurnAndTheirWaitIsTimed(Vertx vertx, VertxTestContext ctx) {
    onLoop(vertx, () -> {
      MirtConfig config = config(10, 10);
      RecordingLimiter limiter = limiter(config);
      Throttle throttle = throttle(vertx, config, later(vertx, limiter));
      long started = System.nanoTime();
      List<Integer> order = new CopyOnWriteArrayList<>();
      List<Future<Void>> all = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int n = i;
        all.add(throttle.acquire(Group.SUBSCRIBER).onSuccess(v -> order.add(n)));
      }
      Future.all(all).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(order).containsExactly(0, 1, 2);
        assertThat(throttle.waiting()).isZero();
        Timer waits = registry.get("mirt.push.rate.wait").tag("group", "subscriber").timer();
        assertThat(waits.count()).isEqualTo(3);
        // The last call waited for two tokens after the first: at least two intervals, and no longer than the test.
        assertThat(waits.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(2 * 110 - 5)
          .isLessThanOrEqualTo(tookMs + 1);
        ctx.completeNow();
      })));
    });
  }

  @Test
  void callsQueuedBehindAFailedStoreRequestAreServedWhenItIsAskedAgain(Vertx vertx, VertxTestContext ctx) {
    onLoop(vertx, () -> {
      MirtConfig config = config(25, 10);
      RecordingLimiter limiter = limiter(config);
      Throttle throttle = throttle(vertx, config, later(vertx, limiter));
      limiter.failures.set(1);
      Future<Void> first = throttle.acquire(Group.SEND_CONTENT);
      Future<Void> second = throttle.acquire(Group.SEND_CONTENT);
      Future.join(first, second).onComplete(done -> ctx.verify(() -> {
        assertThat(first.failed()).isTrue();
        assertThat(second.succeeded()).as("asked again after the failure, without a new caller").isTrue();
        assertThat(limiter.takes).hasSize(2);
        ctx.completeNow();
      }));
    });
  }

  @Test
  void whenTheStoreFailsTheWaitingCallIsToldAndTheNextOneIsServedOnceItAnswers(Vertx vertx, VertxTestContext ctx) {
    onLoop(vertx, () -> {
      MirtConfig config = config(25, 10);
      RecordingLimiter limiter = limiter(config);
      Throttle throttle = throttle(vertx, config, limiter);
      limiter.failures.set(2);
      Future<Void> first = throttle.acquire(Group.SEND_CONTENT);
      Future<Void> second = throttle.acquire(Group.SEND_CONTENT);
      Future<Void> third = throttle.acquire(Group.SEND_CONTENT);
      Future.join(first, second, third).onComplete(done -> ctx.verify(() -> {
        assertThat(first.failed()).isTrue();
        assertThat(first.cause()).hasMessage("store unavailable");
        assertThat(second.failed()).isTrue();
        assertThat(third.succeeded()).as("served once the store answers").isTrue();
        assertThat(lines().stream().filter(l -> l.startsWith("ERROR the rate limiter's store does not answer")))
          .hasSize(1);
        assertThat(lines()).contains("INFO the rate limiter's store answers again");
        assertThat(throttle.waiting()).isZero();
        ctx.completeNow();
      }));
    });
  }
}
