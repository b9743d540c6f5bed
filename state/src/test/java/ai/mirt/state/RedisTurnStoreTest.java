package ai.mirt.state;

/** The TurnStore contract against the real Redis on 127.0.0.1:6379, under a prefix of its own. */
class RedisTurnStoreTest extends TurnStoreContract {

  @Override
  protected Backend backend() {
    return Backend.REDIS;
  }
}
