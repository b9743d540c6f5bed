package ai.mirt.state;

import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Turn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StoresTest {

  private static final long DAY_MS = 86_400_000L;

  @Test
  void memoryStoresAreOneObject() throws Exception {
    Stores stores = Stores.memory(MirtConfig.fromJson(new JsonObject().put("dead-letters.max-age-days", 14)));
    assertThat(stores.kind()).isEqualTo("memory");
    assertThat(stores.turns()).isSameAs(stores.outbox()).isSameAs(stores.conversations())
      .isSameAs(stores.deadLetters()).isSameAs(stores.rates()).isInstanceOf(MemoryStore.class);
    assertThat(stores.orders()).isInstanceOf(MemoryOrderStore.class);
    assertThat(stores.counters()).isInstanceOf(MemoryMessageCounter.class);
    assertThat(stores.controls()).isInstanceOf(MemoryControlStore.class);
    assertThat(stores.followUps()).as("a reply stored on Mirt's own settles its follow-up in the same step")
      .isSameAs(stores.turns());
    stores.ping().await(1, TimeUnit.SECONDS);
    long now = System.currentTimeMillis();
    stores.deadLetters().add(new DeadLetter("push", "7", "old", "c", "r", now - 15 * DAY_MS, null))
      .await(1, TimeUnit.SECONDS);
    stores.deadLetters().add(new DeadLetter("push", "7", "new", "c", "r", now, null)).await(1, TimeUnit.SECONDS);
    assertThat(stores.deadLetters().recent(10).await(1, TimeUnit.SECONDS)).extracting(DeadLetter::turnId)
      .as("age counts from when the store recorded a letter, not from the time it names").containsExactly("new", "old");
    stores.close().await(1, TimeUnit.SECONDS);
  }

  @Test
  void redisStoresAreOneRedisStoreOnRedisTime() throws Exception {
    Vertx vertx = Vertx.vertx();
    String prefix = RedisTestKeys.uniquePrefix();
    try {
      Stores stores = Stores.redis(vertx, MirtConfig.fromJson(new JsonObject().put("redis.url", RedisTestKeys.URL)
        .put("redis.prefix", prefix)), new SimpleMeterRegistry());
      assertThat(stores.kind()).isEqualTo("redis");
      assertThat(stores.turns()).isSameAs(stores.outbox()).isSameAs(stores.conversations())
        .isSameAs(stores.deadLetters()).isSameAs(stores.rates()).isInstanceOf(RedisStore.class);
      stores.ping().await(10, TimeUnit.SECONDS);
      long before = System.currentTimeMillis();
      stores.turns().append(new InboundMessage("7", Channel.INSTAGRAM, "Привіт", List.of(), null, Contact.EMPTY, 0,
        "tr")).await(10, TimeUnit.SECONDS);
      List<Turn> turns = stores.turns().claimDue(1, "node-a", true).await(10, TimeUnit.SECONDS);
      assertThat(turns).hasSize(1);
      assertThat(turns.get(0).firstAt()).isCloseTo(before, within(1_000L));
      assertThat(stores.orders()).isInstanceOf(RedisOrderStore.class);
      StoredOrder order = stores.orders().save(new JsonObject().put("id", "o-1").put("subscriberId", "7"))
        .await(10, TimeUnit.SECONDS);
      assertThat(order.createdAt()).isCloseTo(before, within(1_000L));
      assertThat(stores.counters()).isInstanceOf(RedisMessageCounter.class);
      assertThat(stores.counters().add("7:day", 2, DAY_MS).await(10, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(stores.counters().add("7:day", 1, DAY_MS).await(10, TimeUnit.SECONDS)).isEqualTo(3);
      assertThat(stores.controls()).isInstanceOf(RedisControlStore.class);
      stores.controls().pause("7", System.currentTimeMillis() + 60_000, "manager").await(10, TimeUnit.SECONDS);
      assertThat(stores.controls().paused("7").await(10, TimeUnit.SECONDS).orElseThrow().since())
        .isCloseTo(before, within(1_000L));
      assertThat(stores.followUps()).isSameAs(stores.turns());
      stores.followUps().schedule("7", before).await(10, TimeUnit.SECONDS);
      assertThat(stores.followUps().claimDue(1, 60_000).await(10, TimeUnit.SECONDS)).hasSize(1);
      stores.close().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      RedisTestKeys.deleteAll(prefix);
    }
  }
}
