package ai.mirt.app;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.util.UUID;

/**
 * The whole pipeline again, with its state in the real Redis on 127.0.0.1:6379 under a key prefix of its own: the
 * same behaviour as in memory, through the Lua scripts.
 */
class RedisPipelineTest extends PipelineTest {

  private final String prefix = "mirt-pipeline:" + UUID.randomUUID() + ":";

  @Override
  protected JsonObject stateSettings() {
    return new JsonObject().put("redis.url", "redis://127.0.0.1:" + RedisKeys.DEFAULT_PORT + "/0")
      .put("redis.prefix", prefix);
  }

  @Override
  protected boolean redis() {
    return true;
  }

  @AfterEach
  void deleteKeys() throws IOException {
    RedisKeys.delete(RedisKeys.DEFAULT_PORT, prefix);
  }
}
