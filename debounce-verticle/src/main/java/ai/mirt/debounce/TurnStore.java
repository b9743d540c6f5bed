package ai.mirt.debounce;

import ai.mirt.common.HandoffDecision;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.Turn;
import io.vertx.core.Future;

import java.util.List;

/**
 * Debounce state: per-subscriber buffers of accepted messages, the one in-flight turn per subscriber (held
 * under a lease), and the dedupe memory. Every operation is atomic per subscriber and asynchronous, so a
 * shared store (Redis) can implement it for many instances; times are passed in so the rules are testable.
 */
public interface TurnStore {

  /** What {@link #append} did with a message. */
  enum AppendResult { STORED, DUPLICATE }

  /**
   * Stores a message durably in the subscriber's buffer and moves its due time to
   * {@code min(now + quietMs, firstPending + maxWaitMs)}. A message whose id was seen in the last 24 h is not
   * stored again. A {@code /restart} message drops the messages buffered before it.
   */
  Future<AppendResult> append(InboundMessage message, long now);

  /**
   * Atomically claims up to {@code limit} due buffers of subscribers with no turn in flight: their messages
   * become the in-flight turn, leased until {@code now + leaseMs}. With {@code drainAll} every buffer counts
   * as due.
   */
  Future<List<Turn>> claimDue(long now, int limit, boolean drainAll);

  /**
   * The agent has a reply for the in-flight turn. It may go out unless messages arrived since the turn
   * started and the turn may still be superseded; then the turn's messages go back in front of the newer
   * ones, to be re-run as one turn.
   */
  Future<HandoffDecision> handoff(String subscriberId, String turnId, long now);

  /** The in-flight turn is done (delivered or dead-lettered by push); the subscriber's next turn may start. */
  Future<Void> complete(String subscriberId, String turnId);

  /**
   * The in-flight turn failed. Its messages go back in front of the buffer for another attempt, unless it has
   * had {@code maxAttempts}: then it is dropped and returned, to be dead-lettered.
   *
   * @return the dropped turn, or {@code null} when it will be retried (or was no longer in flight)
   */
  Future<Turn> fail(String subscriberId, String turnId, long now);

  /**
   * In-flight turns whose lease ended before {@code now}. A turn not yet handed to push is retried as after
   * {@link #fail}; one that was handed over is released.
   *
   * @return turns dropped because they had used all attempts
   */
  Future<List<Turn>> expireLeases(long now);

  /** Counts for health and draining. */
  Future<Stats> stats();

  record Stats(int pendingSubscribers, int pendingMessages, int inFlight) {
    public boolean idle() {
      return pendingMessages == 0 && inFlight == 0;
    }
  }
}
