package ai.mirt.state;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * Replies stored by {@link TurnStore#handoff} (or, for a dead-lettered turn, the {@link TurnRules#needsHuman} notice
 * stored by {@link TurnStore#fail} and {@link TurnStore#expire}) until ManyChat accepted them or they were
 * dead-lettered. A subscriber has at most one stored reply (its turn stays in flight until the reply is finished), so
 * replies are keyed by subscriber. Delivery claims a reply under a lease; a reply whose lease ended is claimed again,
 * by any instance, and resumes after the calls ManyChat already accepted.
 */
public interface OutboxStore {

  /** Claims the subscriber's reply if it is due (stored, not leased, not waiting for a retry). */
  Future<Optional<OutboxEntry>> claim(String subscriberId, String owner);

  /** Claims up to {@code limit} due replies, oldest first. */
  Future<List<OutboxEntry>> claimDue(int limit, String owner);

  /**
   * Records that ManyChat accepted the first {@code accepted} calls of the reply, and extends the lease.
   *
   * @return {@code false} when this claim was lost (the lease ended and another claim took the reply): stop
   */
  Future<Boolean> accepted(OutboxEntry entry, int accepted);

  /**
   * Gives the claim up: the reply is due again after {@code delayMs}, with {@code attempts} and {@code timeouts}
   * recorded (a pause that is not the reply's fault passes the entry's own counts unchanged).
   */
  Future<Boolean> retryLater(OutboxEntry entry, int attempts, int timeouts, long delayMs);

  /**
   * The reply is finished: delivered, or dead-lettered when {@code deadLetter} is given. In the same step the
   * subscriber's turn is completed, so its next buffered turn may start.
   *
   * @return {@code false} when this claim was lost: someone else finishes the reply
   */
  Future<Boolean> finish(OutboxEntry entry, DeadLetter deadLetter);

  /** Stored replies not yet finished. */
  default Future<Integer> pending() {
    return backlog().map(Backlog::replies);
  }

  /** Stored replies not yet finished, and when the oldest of them was stored. */
  Future<Backlog> backlog();

  /**
   * @param replies        stored replies not yet finished
   * @param oldestStoredAt epoch millis (the store's clock) when the oldest was stored; 0 when there is none
   */
  record Backlog(int replies, long oldestStoredAt) {
  }
}
