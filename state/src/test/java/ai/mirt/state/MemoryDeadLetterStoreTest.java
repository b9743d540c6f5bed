package ai.mirt.state;

import ai.mirt.common.MirtConfig;
import io.vertx.core.Vertx;

class MemoryDeadLetterStoreTest extends DeadLetterStoreContract {

  @Override
  protected Stores create(Vertx vertx, MirtConfig config, ManualClock clock) {
    return Stores.memory(config, clock);
  }
}
