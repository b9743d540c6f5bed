package ai.mirt.state;

import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.Turn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every contract suite shares: an explicit clock, the settings the rules are tested with, and a way to wait
 * on a store's futures (a Redis answer arrives later; a memory one at once).
 */
abstract class StoreContract {

  static final long T0 = 1_700_000_000_000L;
  static final long QUIET = 3_000;
  static final long MAX_WAIT = 10_000;
  static final long LEASE = 30_000;

  /** Which implementation a concrete suite runs against. */
  enum Backend { MEMORY, REDIS }

  protected Vertx vertx;
  protected ManualClock clock;
  protected Stores stores;
  /** With Redis: the key prefix of this test, deleted afterwards. */
  private final String prefix = RedisTestKeys.uniquePrefix();
  /** Stores of further instances, closed after the test. */
  private final List<Stores> others = new ArrayList<>();

  protected abstract Backend backend();

  /** The stores under test, on this configuration and clock, empty. */
  private Stores create(MirtConfig config) {
    return backend() == Backend.MEMORY ? Stores.memory(config, clock)
      : Stores.redis(vertx, config, new SimpleMeterRegistry(), clock);
  }

  protected JsonObject settings() {
    JsonObject redis = backend() == Backend.MEMORY ? new JsonObject()
      : new JsonObject().put("redis.url", RedisTestKeys.URL).put("redis.prefix", prefix);
    return redis
      .put("debounce.quiet-seconds", QUIET / 1000.0).put("debounce.max-wait-seconds", MAX_WAIT / 1000.0)
      .put("debounce.lease-seconds", LEASE / 1000.0).put("debounce.max-attempts", 3).put("debounce.max-reruns", 2)
      .put("debounce.dedupe-max-entries", 1000)
      .put("conversation.ttl-days", 1).put("dead-letters.max", 3).put("dead-letters.max-age-days", 1);
  }

  @BeforeEach
  void createStores() {
    vertx = Vertx.vertx();
    clock = new ManualClock(T0);
    stores = create(MirtConfig.fromJson(settings()));
  }

  /**
   * The stores of another instance on the same configuration and clock: with Redis, the same keys on a connection of
   * its own, as another process (or this one restarted) sees them; in memory, a store of its own.
   */
  protected Stores anotherInstance() {
    Stores s = create(MirtConfig.fromJson(settings()));
    others.add(s);
    return s;
  }

  @AfterEach
  void closeStores() throws Exception {
    for (Stores s : others) {
      await(s.close());
    }
    await(stores.close());
    await(vertx.close());
    if (backend() == Backend.REDIS) {
      RedisTestKeys.deleteAll(prefix);
    }
  }

  static <T> T await(Future<T> f) throws InterruptedException {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("store operation failed: " + e.getCause(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("store operation did not complete in 10 s");
    }
  }

  static InboundMessage msg(String sub, String text) {
    return msg(sub, text, null);
  }

  static InboundMessage msg(String sub, String text, String id) {
    return new InboundMessage(sub, Channel.INSTAGRAM, text, List.of(), id, Contact.EMPTY, 0, "tr-" + text);
  }

  static Reply reply(Turn t, String text) {
    return new Reply(t.subscriberId(), t.turnId(), t.channel(), List.of(OutMessage.text(text)), List.of(),
      "STATE_1_DISCOVERY", "greeting", Map.of("ai_size", "122"), List.of("ai_responded"), List.of(), t.traceId());
  }

  TurnStore turns() {
    return stores.turns();
  }

  OutboxStore outbox() {
    return stores.outbox();
  }

  void append(String sub, String... texts) throws InterruptedException {
    for (String t : texts) {
      assertThat(await(turns().append(msg(sub, t)))).isEqualTo(TurnStore.AppendResult.STORED);
    }
  }

  List<Turn> claim() throws InterruptedException {
    return await(turns().claimDue(100, "node-a", false));
  }

  /** Buffers the texts, lets the quiet window pass and claims the subscriber's one turn. */
  Turn turnOf(String sub, String... texts) throws InterruptedException {
    append(sub, texts);
    clock.advance(QUIET);
    List<Turn> claimed = claim();
    assertThat(claimed).extracting(Turn::subscriberId).containsExactly(sub);
    return claimed.get(0);
  }

  /** Claims the turn's reply, stored by a handoff, and finishes it as delivered. */
  void deliver(Turn t) throws InterruptedException {
    OutboxEntry e = await(outbox().claim(t.subscriberId(), "node-a")).orElseThrow();
    assertThat(await(outbox().finish(e, null))).isTrue();
  }
}
