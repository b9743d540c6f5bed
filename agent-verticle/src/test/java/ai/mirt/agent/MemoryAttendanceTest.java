package ai.mirt.agent;

import ai.mirt.common.MirtConfig;
import ai.mirt.state.Stores;
import io.vertx.core.Vertx;

import java.util.function.LongSupplier;

class MemoryAttendanceTest extends AttendanceContract {

  @Override
  Stores stores(Vertx vertx, MirtConfig config, LongSupplier clock) {
    // One process keeps its memory: a second instance here is the same stores, as in one JVM.
    return stores == null ? Stores.memory(config, clock) : stores;
  }
}
