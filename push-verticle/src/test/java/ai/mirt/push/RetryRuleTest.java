package ai.mirt.push;

import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.push.CallResult.Outcome;
import ai.mirt.push.RetryRule.Action;
import ai.mirt.push.RetryRule.Decision;
import ai.mirt.state.OutboxEntry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What becomes of a reply whose call did not go through, for every kind of failure, by the rule alone. */
class RetryRuleTest {

  private static final long NOW = 1_750_000_000_000L;
  private static final int BACKOFF = 100;
  private static final int BACKOFF_MAX = 1_000;
  private static final long MAX_AGE = 3_600_000;

  private static final ManyChatCall SEND = new ManyChatCall(DynamicBlockBuilder.SEND_CONTENT,
    new JsonObject().put("subscriber_id", 1));
  private static final ManyChatCall TAG = new ManyChatCall(DynamicBlockBuilder.ADD_TAG,
    new JsonObject().put("subscriber_id", 1).put("tag_name", "vip"));

  private final RetryRule rule = new RetryRule(MirtConfig.fromJson(new JsonObject()
    .put("push.backoff-ms", BACKOFF).put("push.backoff-max-ms", BACKOFF_MAX)
    .put("delivery.max-age-seconds", (int) (MAX_AGE / 1000))).push());

  private static OutboxEntry entry(int attempts, int timeouts, long storedAt) {
    return new OutboxEntry(PushFixture.reply("1", "t1", List.of(OutMessage.text("Вітаю"))), 0, attempts, timeouts,
      storedAt, 0, "claim");
  }

  private static OutboxEntry fresh() {
    return entry(0, 0, NOW);
  }

  private static CallResult result(Outcome outcome, String code) {
    return CallResult.of(outcome, 0, code, "because " + code);
  }

  @Test
  void refusalsAreDeadAtOnceWithTheirOwnCodeAndTheCountsUnchanged() {
    for (Outcome o : List.of(Outcome.WINDOW_CLOSED, Outcome.UNKNOWN_TARGET, Outcome.PERMANENT)) {
      Decision d = rule.decide(entry(2, 1, NOW), SEND, result(o, "code_" + o), 0, NOW);
      assertThat(d).isEqualTo(new Decision(Action.DEAD, 0, 2, 1, "code_" + o, "because code_" + o));
    }
  }

  @Test
  void anOpenBreakerHoldsTheReplyUntilItsTrialWithoutCountingAnAttempt() {
    Decision d = rule.decide(entry(2, 1, NOW), SEND, CallResult.breakerOpen(), 4_000, NOW);
    assertThat(d.action()).isEqualTo(Action.RETRY);
    assertThat(d.delayMs()).isEqualTo(4_000);
    assertThat(d.attempts()).isEqualTo(2);
    assertThat(d.timeouts()).isEqualTo(1);
    assertThat(d.code()).isEqualTo("breaker_open");
  }

  @Test
  void aHoldIsNeverShorterThanTheMinimum() {
    for (long hold : new long[] {0, 1, RetryRule.MIN_HOLD_MS - 1}) {
      assertThat(rule.decide(fresh(), SEND, CallResult.breakerOpen(), hold, NOW).delayMs())
        .isEqualTo(RetryRule.MIN_HOLD_MS);
    }
    Decision notSent = rule.decide(fresh(), TAG, result(Outcome.NOT_SENT, "rate_limiter"), 0, NOW);
    assertThat(notSent).isEqualTo(new Decision(Action.RETRY, RetryRule.MIN_HOLD_MS, 0, 0, "rate_limiter",
      "because rate_limiter"));
  }

  @Test
  void aFirstTimeoutOfSendContentIsRetriedAndCounted() {
    Decision d = rule.decide(fresh(), SEND, result(Outcome.TIMEOUT, "timeout"), 0, NOW);
    assertThat(d.action()).isEqualTo(Action.RETRY);
    assertThat(d.attempts()).isEqualTo(1);
    assertThat(d.timeouts()).isEqualTo(1);
    assertThat(d.delayMs()).isBetween(0L, (long) BACKOFF - 1);
  }

  @Test
  void aSecondTimeoutOfSendContentIsDeadBecauseItMayHaveBeenDeliveredTwice() {
    Decision d = rule.decide(entry(3, 1, NOW), SEND, result(Outcome.TIMEOUT, "timeout"), 0, NOW);
    assertThat(d.action()).isEqualTo(Action.DEAD);
    assertThat(d.code()).isEqualTo("timeout");
    assertThat(d.reason()).startsWith("sendContent timed out twice").endsWith(": because timeout");
    assertThat(d.attempts()).isEqualTo(3);
    assertThat(d.timeouts()).isEqualTo(1);
  }

  @Test
  void timeoutsOfFieldAndTagWritesAreRetriedWithoutCountingAsTimeouts() {
    Decision d = rule.decide(entry(4, 1, NOW), TAG, result(Outcome.TIMEOUT, "timeout"), 0, NOW);
    assertThat(d.action()).isEqualTo(Action.RETRY);
    assertThat(d.attempts()).isEqualTo(5);
    assertThat(d.timeouts()).isEqualTo(1);
  }

  @Test
  void aServerErrorCountsAnAttemptAndWaitsAJitteredExponentialBackoff() {
    // Full jitter: attempt n waits in [0, min(max, backoff * 2^(n-1))).
    long[] bounds = {100, 200, 400, 800, 1_000, 1_000};
    for (int prior = 0; prior < bounds.length; prior++) {
      int p = prior;
      List<Decision> many = IntStream.range(0, 300)
        .mapToObj(i -> rule.decide(entry(p, 0, NOW), SEND, result(Outcome.FAILED, "http_500"), 0, NOW)).toList();
      assertThat(many).allSatisfy(d -> {
        assertThat(d.action()).isEqualTo(Action.RETRY);
        assertThat(d.attempts()).isEqualTo(p + 1);
        assertThat(d.timeouts()).isZero();
        assertThat(d.code()).isEqualTo("http_500");
        assertThat(d.delayMs()).isBetween(0L, bounds[p] - 1);
      });
      // The delay grows: some of 300 draws land in the upper half of the range.
      assertThat(many).anySatisfy(d -> assertThat(d.delayMs()).isGreaterThanOrEqualTo(bounds[p] / 2));
    }
  }

  @Test
  void manyAttemptsNeverMakeTheDelayOverflow() {
    for (int prior : new int[] {30, 31, 62, 63, 64, 1_000}) {
      Decision d = rule.decide(entry(prior, 0, NOW), SEND, result(Outcome.FAILED, "connection"), 0, NOW);
      assertThat(d.delayMs()).as("after %d attempts", prior).isBetween(0L, (long) BACKOFF_MAX - 1);
    }
  }

  @Test
  void tooManyRequestsWaitsAtLeastWhatManyChatAskedFor() {
    CallResult limited = new CallResult(Outcome.RATE_LIMITED, 429, "http_429", "slow down", 3_000);
    Decision d = rule.decide(entry(1, 0, NOW), SEND, limited, 0, NOW);
    assertThat(d.action()).isEqualTo(Action.RETRY);
    assertThat(d.delayMs()).isEqualTo(3_000);
    assertThat(d.attempts()).isEqualTo(2);
    CallResult unsaid = new CallResult(Outcome.RATE_LIMITED, 429, "http_429", "slow down", -1);
    assertThat(rule.decide(fresh(), SEND, unsaid, 0, NOW).delayMs()).isBetween(0L, (long) BACKOFF - 1);
  }

  @Test
  void aRetryThatWouldEndPastTheMaximumAgeIsDeadInstead() {
    long hold = 5_000;
    // Exactly at the maximum age after the hold: still retried.
    Decision last = rule.decide(entry(1, 0, NOW + hold - MAX_AGE), SEND, CallResult.breakerOpen(), hold, NOW);
    assertThat(last.action()).isEqualTo(Action.RETRY);
    Decision late = rule.decide(entry(1, 0, NOW + hold - MAX_AGE - 1), SEND, CallResult.breakerOpen(), hold, NOW);
    assertThat(late.action()).isEqualTo(Action.DEAD);
    assertThat(late.code()).isEqualTo("max_age");
    assertThat(late.reason()).isEqualTo("not delivered within 3600 s of being stored; last: circuit breaker manychat"
      + " is open");
    assertThat(late.attempts()).isEqualTo(1);
    assertThat(late.delayMs()).isZero();
  }

  @Test
  void aReplyIsTooOldOnlyOnceItIsPastTheMaximumAge() {
    assertThat(rule.tooOld(entry(0, 0, NOW - MAX_AGE), NOW)).isFalse();
    assertThat(rule.tooOld(entry(0, 0, NOW - MAX_AGE - 1), NOW)).isTrue();
    assertThat(rule.tooOld(entry(0, 0, NOW), NOW)).isFalse();
    assertThat(rule.maxAgeMs()).isEqualTo(MAX_AGE);
  }
}
