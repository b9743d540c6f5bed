package ai.mirt.state;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ControlStore contract against memory, and that memory holds only what is in force. */
class MemoryControlStoreTest extends ControlStoreContract {

  @Override
  protected Backend backend() {
    return Backend.MEMORY;
  }

  @Test
  void endedPausesAndExpiredMarkersAreDropped() throws Exception {
    MemoryControlStore store = (MemoryControlStore) controls();
    await(store.pause("1", T0 + MINUTE, "short"));
    await(store.pause("2", T0 + MINUTE + 1, "longer"));
    await(store.pause("3", ControlStore.Pause.UNTIL_RESUMED, "takeover"));
    await(store.once("1", "away", "d1"));
    clock.advance(1);
    await(store.once("2", "away", "d1"));
    assertThat(store.size()).isEqualTo(5);

    clock.advance(MINUTE - 1);
    await(store.pause("4", ControlStore.Pause.UNTIL_RESUMED, "takeover"));
    assertThat(store.size()).as("pausing another subscriber drops the pause of 1 that ended").isEqualTo(5);
    clock.advance(1);
    assertThat(await(store.paused("2"))).isEmpty();
    assertThat(store.size()).as("reading it drops the pause of 2 that ended").isEqualTo(4);
    await(store.pause("4", clock.getAsLong(), "ends now"));
    assertThat(store.size()).as("a pause that has ended is not kept").isEqualTo(3);

    clock.advance(ControlStore.ONCE_KEPT_MS - MINUTE - 1);
    assertThat(await(store.once("3", "away", "d1"))).isTrue();
    assertThat(store.size()).as("the marker of 1 expired, the one of 2 not yet").isEqualTo(3);
    clock.advance(1);
    assertThat(await(store.once("3", "away", "d1"))).isFalse();
    assertThat(store.size()).isEqualTo(2);
  }
}
