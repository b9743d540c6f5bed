package ai.mirt.state;

/** The FollowUpStore contract against the in-memory store. */
class MemoryFollowUpStoreTest extends FollowUpStoreContract {

  @Override
  protected Backend backend() {
    return Backend.MEMORY;
  }
}
