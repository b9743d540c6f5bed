package ai.mirt.state;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The MessageCounter contract against memory, and that memory holds only the windows in progress. */
class MemoryMessageCounterTest extends MessageCounterContract {

  @Override
  protected Backend backend() {
    return Backend.MEMORY;
  }

  @Test
  void endedWindowsAreDropped() throws Exception {
    MemoryMessageCounter counter = (MemoryMessageCounter) stores.counters();
    for (int i = 0; i < 100; i++) {
      await(counter.add("sub-" + i + ":minute", 1, MINUTE));
    }
    await(counter.add("sub-0:hour", 1, 60 * MINUTE));
    assertThat(counter.size()).isEqualTo(101);
    clock.advance(MINUTE);
    assertThat(await(counter.add("sub-1:minute", 1, MINUTE))).isEqualTo(1);
    assertThat(counter.size()).as("the minutes ended, the hour goes on").isEqualTo(2);
  }
}
