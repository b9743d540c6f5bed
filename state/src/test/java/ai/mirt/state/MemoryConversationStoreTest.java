package ai.mirt.state;

/** The ConversationStore contract against the in-memory store. */
class MemoryConversationStoreTest extends ConversationStoreContract {

  @Override
  protected Backend backend() {
    return Backend.MEMORY;
  }
}
