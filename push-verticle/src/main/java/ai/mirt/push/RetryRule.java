package ai.mirt.push;

import ai.mirt.common.MirtConfig;
import ai.mirt.push.CallResult.Outcome;
import ai.mirt.state.OutboxEntry;
import io.vertx.circuitbreaker.RetryPolicy;

/**
 * What becomes of a reply whose call did not go through: tried again later, held back without counting, or
 * dead-lettered. Passing trouble (network, 5xx, 429, a first timeout) is retried with exponential backoff and jitter
 * until the reply is {@code delivery.max-age} old; what Mirt cannot change (an open breaker, a store that did not
 * answer) holds the reply back without counting an attempt; a refusal is final, and so is a second timeout of a
 * sendContent call, which may have been delivered twice already.
 */
final class RetryRule {

  /** The least delay before a held-back reply is claimed again. */
  static final long MIN_HOLD_MS = 200;
  /** Attempts beyond this do not grow the delay any more (the policy's shift would overflow). */
  private static final int MAX_EXPONENT = 30;

  /** What to do with the reply. */
  enum Action {
    /** Claim it again after the delay, with the counts given. */
    RETRY,
    /** Dead-letter it with the code and reason. */
    DEAD
  }

  /**
   * @param attempts what the entry records from now on
   * @param timeouts what the entry records from now on
   */
  record Decision(Action action, long delayMs, int attempts, int timeouts, String code, String reason) {
  }

  private final RetryPolicy backoff;
  private final long maxAgeMs;

  RetryRule(MirtConfig.Push push) {
    this.backoff = RetryPolicy.exponentialDelayWithJitter(push.backoffMs(), push.backoffMaxMs());
    this.maxAgeMs = push.maxAgeMs();
  }

  /**
   * @param call        the call that did not go through
   * @param r           its result
   * @param holdMs      for a breaker that is open: how long until it lets a trial through
   * @param now         the wall clock
   */
  Decision decide(OutboxEntry e, ManyChatCall call, CallResult r, long holdMs, long now) {
    int attempts = e.attempts();
    int timeouts = e.timeouts();
    long delay;
    switch (r.outcome()) {
      case WINDOW_CLOSED, UNKNOWN_TARGET, PERMANENT -> {
        return dead(e, r.code(), r.reason());
      }
      case BREAKER_OPEN, NOT_SENT -> delay = Math.max(MIN_HOLD_MS, holdMs);
      case TIMEOUT -> {
        if (call.isSendContent()) {
          if (timeouts >= 1) {
            return dead(e, "timeout", "sendContent timed out twice; the reply may have been delivered: "
              + r.reason());
          }
          timeouts++;
        }
        attempts++;
        delay = delay(attempts);
      }
      case RATE_LIMITED -> {
        attempts++;
        delay = Math.max(r.retryAfterMs(), delay(attempts));
      }
      default -> {
        attempts++;
        delay = delay(attempts);
      }
    }
    if (now + delay - e.storedAt() > maxAgeMs) {
      return dead(e, "max_age", "not delivered within " + maxAgeMs / 1000 + " s of being stored; last: "
        + r.reason());
    }
    return new Decision(Action.RETRY, delay, attempts, timeouts, r.code(), r.reason());
  }

  /** A reply already older than the maximum age is not sent at all. */
  boolean tooOld(OutboxEntry e, long now) {
    return now - e.storedAt() > maxAgeMs;
  }

  long maxAgeMs() {
    return maxAgeMs;
  }

  private long delay(int attempts) {
    return backoff.delay(null, Math.min(attempts - 1, MAX_EXPONENT));
  }

  private static Decision dead(OutboxEntry e, String code, String reason) {
    return new Decision(Action.DEAD, 0, e.attempts(), e.timeouts(), code, reason);
  }
}
