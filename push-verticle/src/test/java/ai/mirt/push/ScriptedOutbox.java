package ai.mirt.push;

import ai.mirt.state.DeadLetter;
import ai.mirt.state.OutboxEntry;
import ai.mirt.state.OutboxStore;
import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An outbox that passes every step to a real one, records what push asked of it, and can be told to lose a claim
 * or not answer, as a shared store may.
 */
final class ScriptedOutbox implements OutboxStore {

  private final OutboxStore inner;
  /** Every {@code accepted} count push recorded, renewals included, in order. */
  final List<Integer> accepted = new CopyOnWriteArrayList<>();
  /** Every retry push asked for, as {@code attempts/timeouts@delayMs}. */
  final List<String> retries = new CopyOnWriteArrayList<>();
  /** The next this many {@code accepted} steps answer "claim lost". */
  final AtomicInteger loseClaims = new AtomicInteger();
  /** The next this many {@code accepted} steps fail, as when Redis does not answer. */
  final AtomicInteger failAccepted = new AtomicInteger();
  /** The next this many {@code finish} steps fail, as when Redis does not answer. */
  final AtomicInteger failFinishes = new AtomicInteger();
  /** While set, claiming fails. */
  final AtomicBoolean down = new AtomicBoolean();

  ScriptedOutbox(OutboxStore inner) {
    this.inner = inner;
  }

  @Override
  public Future<Optional<OutboxEntry>> claim(String subscriberId, String owner) {
    return down.get() ? Future.failedFuture("store unavailable") : inner.claim(subscriberId, owner);
  }

  @Override
  public Future<List<OutboxEntry>> claimDue(int limit, String owner) {
    return down.get() ? Future.failedFuture("store unavailable") : inner.claimDue(limit, owner);
  }

  @Override
  public Future<Boolean> accepted(OutboxEntry entry, int count) {
    accepted.add(count);
    if (failAccepted.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Future.failedFuture("store unavailable");
    }
    if (loseClaims.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Future.succeededFuture(false);
    }
    return inner.accepted(entry, count);
  }

  @Override
  public Future<Boolean> retryLater(OutboxEntry entry, int attempts, int timeouts, long delayMs) {
    retries.add(attempts + "/" + timeouts + "@" + delayMs);
    return inner.retryLater(entry, attempts, timeouts, delayMs);
  }

  @Override
  public Future<Boolean> finish(OutboxEntry entry, DeadLetter deadLetter) {
    if (failFinishes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Future.failedFuture("store unavailable");
    }
    return inner.finish(entry, deadLetter);
  }

  @Override
  public Future<Backlog> backlog() {
    return inner.backlog();
  }
}
