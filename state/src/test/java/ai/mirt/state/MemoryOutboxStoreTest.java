package ai.mirt.state;

/** The OutboxStore contract against the in-memory store. */
class MemoryOutboxStoreTest extends OutboxStoreContract {

  @Override
  protected Backend backend() {
    return Backend.MEMORY;
  }
}
