package ai.mirt.state;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A {@link MessageCounter} counts per key in fixed windows aligned to the epoch, on the store's clock. */
abstract class MessageCounterContract extends StoreContract {

  static final long MINUTE = 60_000;
  /** How far {@link #T0} is into its minute. */
  static final long INTO_MINUTE = Math.floorMod(T0, MINUTE);

  long add(String key, long n, long windowMs) throws InterruptedException {
    return await(stores.counters().add(key, n, windowMs));
  }

  @Test
  void countsAddUpWithinAWindow() throws Exception {
    assertThat(add("7:minute", 1, MINUTE)).isEqualTo(1);
    assertThat(add("7:minute", 1, MINUTE)).isEqualTo(2);
    assertThat(add("7:minute", 3, MINUTE)).isEqualTo(5);
    assertThat(add("7:minute", 0, MINUTE)).as("adding nothing reads the count").isEqualTo(5);
  }

  @Test
  void theCountStartsOverWhenTheWindowRollsOver() throws Exception {
    assertThat(INTO_MINUTE).as("the test starts inside a minute").isPositive();
    assertThat(add("7:minute", 4, MINUTE)).isEqualTo(4);
    clock.advance(MINUTE - INTO_MINUTE - 1);
    assertThat(add("7:minute", 1, MINUTE)).as("the last ms of the window").isEqualTo(5);
    clock.advance(1);
    assertThat(add("7:minute", 1, MINUTE)).as("windows are aligned to the epoch, not to the first add").isEqualTo(1);
    clock.advance(MINUTE - 1);
    assertThat(add("7:minute", 1, MINUTE)).isEqualTo(2);
    clock.advance(5 * MINUTE);
    assertThat(add("7:minute", 1, MINUTE)).as("after idle windows").isEqualTo(1);
  }

  @Test
  void keysAndWindowSizesCountApart() throws Exception {
    assertThat(add("7:minute", 2, MINUTE)).isEqualTo(2);
    assertThat(add("8:minute", 1, MINUTE)).isEqualTo(1);
    assertThat(add("7:hour", 2, 60 * MINUTE)).isEqualTo(2);
    clock.advance(MINUTE);
    assertThat(add("7:minute", 1, MINUTE)).isEqualTo(1);
    assertThat(add("7:hour", 1, 60 * MINUTE)).as("the hour goes on").isEqualTo(3);
  }

  @Test
  void aWindowMustLast() {
    assertThatThrownBy(() -> add("7:minute", 1, 0)).hasMessageContaining("at least 1 ms");
  }
}
