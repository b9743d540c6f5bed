package ai.mirt.app;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.util.UUID;

/** Response mode again, with the state in the real Redis on 127.0.0.1:6379 under a key prefix of its own. */
class RedisResponseModeTest extends ResponseModeTest {

  private final String prefix = "mirt-response:" + UUID.randomUUID() + ":";

  @Override
  protected JsonObject stateSettings() {
    return new JsonObject().put("redis.url", "redis://127.0.0.1:" + RedisKeys.DEFAULT_PORT + "/0")
      .put("redis.prefix", prefix);
  }

  @AfterEach
  void deleteKeys() throws IOException {
    RedisKeys.delete(RedisKeys.DEFAULT_PORT, prefix);
  }
}
