package ai.mirt.state;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The own-reply contract against the in-memory store, and that a finished own reply leaves nothing behind. */
class MemoryOwnReplyTest extends OwnReplyContract {

  @Override
  protected Backend backend() {
    return Backend.MEMORY;
  }

  @Test
  void aFinishedOwnReplyKeepsNoSlot() throws Exception {
    MemoryStore store = (MemoryStore) turns();
    assertThat(storeOwn(own("7", "own-1", "a"), null, claimedFollowUp("7"))).isEqualTo(TurnStore.OwnReplyResult.STORED);
    assertThat(store.slotCount()).isEqualTo(1);
    deliver(ownTurn(own("7", "own-1", "a")));
    assertThat(store.slotCount()).isZero();
  }
}
