package ai.mirt.state;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@link RateLimiter} bucket holds one token, refilled every interval, on the store's clock. */
abstract class RateLimiterContract extends StoreContract {

  private long take(String bucket, long intervalMs) throws InterruptedException {
    return await(stores.rates().take(bucket, intervalMs));
  }

  private void pause(String bucket, long ms) throws InterruptedException {
    await(stores.rates().pause(bucket, ms));
  }

  @Test
  void aTokenIsTakenOncePerInterval() throws Exception {
    assertThat(take("manychat", 1_000)).as("a new bucket is full").isZero();
    assertThat(take("manychat", 1_000)).isEqualTo(1_000);
    clock.advance(999);
    assertThat(take("manychat", 1_000)).isEqualTo(1);
    clock.advance(1);
    assertThat(take("manychat", 1_000)).isZero();
    assertThat(take("manychat", 1_000)).as("the interval counts from the take").isEqualTo(1_000);
  }

  @Test
  void aRefusedTakeChangesNothing() throws Exception {
    assertThat(take("manychat", 1_000)).isZero();
    clock.advance(400);
    assertThat(take("manychat", 5_000)).isEqualTo(600);
    assertThat(take("manychat", 5_000)).isEqualTo(600);
    clock.advance(600);
    assertThat(take("manychat", 5_000)).isZero();
    assertThat(take("manychat", 1_000)).isEqualTo(5_000);
  }

  @Test
  void anIdleBucketDoesNotSaveTokensUp() throws Exception {
    assertThat(take("manychat", 1_000)).isZero();
    clock.advance(10_000);
    assertThat(take("manychat", 1_000)).isZero();
    assertThat(take("manychat", 1_000)).isEqualTo(1_000);
  }

  @Test
  void bucketsAreIndependent() throws Exception {
    assertThat(take("page-1", 1_000)).isZero();
    assertThat(take("page-2", 3_000)).isZero();
    pause("page-3", 60_000);
    assertThat(take("page-1", 1_000)).isEqualTo(1_000);
    assertThat(take("page-2", 3_000)).isEqualTo(3_000);
    clock.advance(1_000);
    assertThat(take("page-1", 1_000)).isZero();
    assertThat(take("page-2", 3_000)).isEqualTo(2_000);
    assertThat(take("page-3", 1_000)).isEqualTo(59_000);
  }

  @Test
  void aPauseHoldsTheTokenBackUntilItEnds() throws Exception {
    pause("manychat", 3_000);
    assertThat(take("manychat", 1_000)).as("even a bucket never taken from").isEqualTo(3_000);
    clock.advance(2_999);
    assertThat(take("manychat", 1_000)).isEqualTo(1);
    clock.advance(1);
    assertThat(take("manychat", 1_000)).isZero();
    assertThat(take("manychat", 1_000)).isEqualTo(1_000);
  }

  @Test
  void aPauseNeverBringsTheTokenBackSooner() throws Exception {
    assertThat(take("manychat", 5_000)).isZero();
    pause("manychat", 1_000);
    assertThat(take("manychat", 5_000)).as("the shorter pause changed nothing").isEqualTo(5_000);
    pause("manychat", 7_000);
    assertThat(take("manychat", 5_000)).isEqualTo(7_000);
    pause("manychat", 7_000 - 1);
    assertThat(take("manychat", 5_000)).isEqualTo(7_000);
    clock.advance(7_000);
    assertThat(take("manychat", 5_000)).isZero();
  }
}
