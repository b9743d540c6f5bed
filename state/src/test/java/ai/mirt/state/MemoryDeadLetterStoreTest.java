package ai.mirt.state;

/** The DeadLetterStore contract against the in-memory store. */
class MemoryDeadLetterStoreTest extends DeadLetterStoreContract {

  @Override
  protected Backend backend() {
    return Backend.MEMORY;
  }
}
