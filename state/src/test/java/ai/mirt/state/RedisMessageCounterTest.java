package ai.mirt.state;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The MessageCounter contract against the real Redis on 127.0.0.1:6379, and the key each window is counted in. */
class RedisMessageCounterTest extends MessageCounterContract {

  @Override
  protected Backend backend() {
    return Backend.REDIS;
  }

  @Test
  void aWindowIsOneKeyThatExpiresWhenTheWindowEnds() throws Exception {
    add("7:minute", 3, MINUTE);
    String prefix = settings().getString("redis.prefix");
    String key = prefix + "count:7:minute:" + Math.floorDiv(T0, MINUTE);
    assertThat(RedisTestKeys.scan(prefix + "count:*")).containsExactly(key);
    assertThat(RedisTestKeys.command(Request.cmd(Command.GET).arg(key)).toLong()).isEqualTo(3);
    long ttl = RedisTestKeys.command(Request.cmd(Command.PTTL).arg(key)).toLong();
    assertThat(ttl).as("until the end of the minute").isBetween(MINUTE - INTO_MINUTE - 2_000, MINUTE - INTO_MINUTE);
  }
}
