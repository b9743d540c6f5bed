package ai.mirt.state;

import ai.mirt.common.MirtConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;

class RedisTurnStoreTest extends TurnStoreContract {

  private final String prefix = RedisTestKeys.uniquePrefix();

  @Override
  protected JsonObject settings() {
    return super.settings().put("redis.url", RedisTestKeys.URL).put("redis.prefix", prefix);
  }

  @Override
  protected Stores create(Vertx vertx, MirtConfig config, ManualClock clock) {
    return Stores.redis(vertx, config, new SimpleMeterRegistry(), clock);
  }

  @AfterEach
  void deleteKeys() throws Exception {
    RedisTestKeys.deleteAll(prefix);
  }
}
