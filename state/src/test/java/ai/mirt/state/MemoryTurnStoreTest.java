package ai.mirt.state;

/** The TurnStore contract against the in-memory store. */
class MemoryTurnStoreTest extends TurnStoreContract {

  @Override
  protected Backend backend() {
    return Backend.MEMORY;
  }
}
