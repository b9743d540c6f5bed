package ai.mirt.testkit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition on a timer until it yields a value or a deadline passes; tests never sleep. */
public final class Poll {

  private static final long PERIOD_MS = 20;

  private Poll() {
  }

  /**
   * Completes with the first non-null value of {@code probe}; fails with {@code message} after {@code timeout}.
   */
  public static <T> Future<T> until(Vertx vertx, Supplier<T> probe, Duration timeout, String message) {
    Promise<T> promise = Promise.promise();
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    check(vertx, probe, deadline, message, promise);
    return promise.future();
  }

  private static <T> void check(Vertx vertx, Supplier<T> probe, long deadline, String message, Promise<T> promise) {
    T value;
    try {
      value = probe.get();
    } catch (RuntimeException e) {
      promise.fail(e);
      return;
    }
    if (value != null) {
      promise.complete(value);
    } else if (System.currentTimeMillis() > deadline) {
      promise.fail(new AssertionError("timed out: " + message.replace("%", "%%")));
    } else {
      vertx.setTimer(PERIOD_MS, id -> check(vertx, probe, deadline, message, promise));
    }
  }

  /** Blocking variant for code outside an event loop (plain JUnit tests). */
  public static <T> T await(Supplier<T> probe, Duration timeout, String message) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (true) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out: " + message);
      }
      Thread.sleep(PERIOD_MS);
    }
  }
}
