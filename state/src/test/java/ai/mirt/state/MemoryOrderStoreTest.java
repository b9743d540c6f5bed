package ai.mirt.state;

/** The OrderStore contract against the in-memory store. */
class MemoryOrderStoreTest extends OrderStoreContract {

  @Override
  protected Backend backend() {
    return Backend.MEMORY;
  }
}
