package ai.mirt.state;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The OrderStore contract against the real Redis on 127.0.0.1:6379, and the keys an order lives in. */
class RedisOrderStoreTest extends OrderStoreContract {

  @Override
  protected Backend backend() {
    return Backend.REDIS;
  }

  @Test
  void anOrderIsOneKeyAndTwoIndexes() throws Exception {
    String prefix = settings().getString("redis.prefix");
    await(stores.orders().save(order("o-1", 1200)));
    assertThat(RedisTestKeys.scan(prefix + "*")).containsExactlyInAnyOrder(prefix + "order:o-1", prefix + "orders",
      prefix + "orders:due");
    long ttl = RedisTestKeys.command(Request.cmd(Command.PTTL).arg(prefix + "order:o-1")).toLong();
    assertThat(ttl).as("kept 90 days from its creation").isBetween(OrderStore.MAX_AGE_MS - 60_000,
      OrderStore.MAX_AGE_MS);
    assertThat(RedisTestKeys.command(Request.cmd(Command.ZSCORE).arg(prefix + "orders:due").arg("o-1")).toLong())
      .isEqualTo(T0);

    await(stores.orders().claimDue(16, "node-a", LEASE));
    assertThat(RedisTestKeys.command(Request.cmd(Command.HGET).arg(prefix + "order:o-1").arg("owner")).toString())
      .as("who holds the lease").isEqualTo("node-a");
    await(stores.orders().posted("o-1", 1));
    assertThat(RedisTestKeys.command(Request.cmd(Command.ZSCORE).arg(prefix + "orders:due").arg("o-1")))
      .as("nothing left to post").isNull();
    assertThat(RedisTestKeys.command(Request.cmd(Command.ZSCORE).arg(prefix + "orders").arg("o-1")).toLong())
      .isEqualTo(T0);
  }
}
