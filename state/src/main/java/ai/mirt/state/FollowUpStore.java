package ai.mirt.state;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * When each quiet subscriber is due for a reminder: at most one per subscriber, scheduled after each answered turn and
 * taken by exactly one instance when due. A taken follow-up is leased: unless it is stored as a reply
 * ({@link TurnStore#storeOwnReply}), rescheduled or dropped, it is due again when its lease ends, so a crash loses
 * none. Times come from the store's clock; the lists survive restarts with Redis.
 */
public interface FollowUpStore {

  /**
   * A claimed follow-up.
   *
   * @param dueAt when it was due
   * @param token identifies this claim: a later schedule or claim of the subscriber replaces it
   */
  record FollowUp(String subscriberId, long dueAt, long token) {
  }

  /** Schedules the subscriber's follow-up at {@code dueAt} (epoch millis), replacing one there was. */
  Future<Void> schedule(String subscriberId, long dueAt);

  /** Forgets the subscriber's follow-up, if any. */
  Future<Void> cancel(String subscriberId);

  /** When the subscriber's follow-up is due (or due again, when claimed), if one is scheduled. */
  Future<Optional<Long>> scheduled(String subscriberId);

  /**
   * Claims up to {@code limit} follow-ups due now, earliest first; each is leased for {@code leaseMs}, after which it
   * is due again unless its claim was settled.
   */
  Future<List<FollowUp>> claimDue(int limit, long leaseMs);

  /** Moves a claimed follow-up to {@code dueAt}. @return {@code false} when the claim was replaced meanwhile */
  Future<Boolean> reschedule(FollowUp claimed, long dueAt);

  /** Forgets a claimed follow-up. @return {@code false} when the claim was replaced meanwhile (it stays) */
  Future<Boolean> drop(FollowUp claimed);
}
