package ai.mirt.state;

import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.Turn;
import ai.mirt.testkit.Poll;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What only the Redis store has: scripts, key layout, TTLs, Redis's clock, several instances, and a lost Redis. */
class RedisStoreTest {

  private static final long T0 = 1_700_000_000_000L;
  private static final long DAY_MS = 86_400_000L;

  private final String prefix = RedisTestKeys.uniquePrefix();
  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<RedisStore> stores = new ArrayList<>();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(RedisStore.class);
  private MeterRegistry registry;

  @BeforeEach
  void captureLog() {
    registry = new SimpleMeterRegistry();
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void cleanUp() throws Exception {
    logger.detachAppender(log);
    for (RedisStore s : stores) {
      await(s.close());
    }
    for (Vertx v : vertxes) {
      await(v.close());
    }
    RedisTestKeys.deleteAll(prefix);
  }

  // ---- scripts ----

  @Test
  void scriptsAreLoadedAgainAfterRedisForgetsThem() throws Exception {
    ManualClock clock = new ManualClock(T0);
    RedisStore store = store(settings(), clock);
    assertThat(await(store.append(msg("7", "перше", "m1")))).isEqualTo(TurnStore.AppendResult.STORED);
    assertThat(scriptLoaded(store.sha(RedisStore.Script.APPEND))).isTrue();

    long noScriptErrors = noScriptErrors();
    RedisTestKeys.command(Request.cmd(Command.SCRIPT).arg("FLUSH"));

    assertThat(await(store.append(msg("7", "друге", "m2")))).isEqualTo(TurnStore.AppendResult.STORED);
    assertThat(noScriptErrors()).as("the script was missing when it ran").isGreaterThan(noScriptErrors);
    assertThat(await(store.append(msg("7", "друге", "m2")))).isEqualTo(TurnStore.AppendResult.DUPLICATE);
    assertThat(scriptLoaded(store.sha(RedisStore.Script.APPEND))).isTrue();
    clock.advance(3_000);
    assertThat(await(store.claimDue(10, "node-a", false))).extracting(Turn::text).containsExactly("перше\nдруге");
    assertThat(registry.find("mirt.redis.errors").counters()).as("a reload is not an error").isEmpty();
  }

  // ---- connections ----

  @Test
  void anEventLoopPipelinesOnItsOwnConnectionAndOpensANewOneWhenItIsLost() throws Exception {
    ManualClock clock = new ManualClock(T0);
    RedisStore store = store(settings(), clock);
    io.vertx.core.Context loop = vertx().getOrCreateContext();
    List<Future<TurnStore.AppendResult>> burst = onContext(loop, () -> {
      List<Future<TurnStore.AppendResult>> all = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        all.add(store.append(msg("p" + i, "Привіт", "mid-" + i)));
      }
      return all;
    });
    for (Future<TurnStore.AppendResult> f : burst) {
      assertThat(await(f)).isEqualTo(TurnStore.AppendResult.STORED);
    }
    long first = clientId(store, loop);
    assertThat(clientId(store, loop)).as("the loop keeps its connection").isEqualTo(first);
    assertThat(await(store.command("id", Request.cmd(Command.CLIENT).arg("ID"))).toLong())
      .as("off an event loop, a pooled connection").isNotEqualTo(first);

    RedisTestKeys.command(Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(first));
    long second = Poll.await(() -> {
      try {
        long id = clientId(store, loop);
        return id == first ? null : id;
      } catch (Exception lost) {
        return null;
      }
    }, Duration.ofSeconds(10), "a new connection for the loop");
    assertThat(second).isNotEqualTo(first);
    assertThat(await(onContext(loop, () -> store.append(msg("p0", "ще", "mid-after")))))
      .isEqualTo(TurnStore.AppendResult.STORED);
    assertThat(await(store.stats()).pendingMessages()).isEqualTo(51);
  }

  private long clientId(RedisStore store, io.vertx.core.Context loop) throws Exception {
    return await(onContext(loop, () -> store.command("id", Request.cmd(Command.CLIENT).arg("ID")))).toLong();
  }

  private static <T> T onContext(io.vertx.core.Context context, java.util.function.Supplier<T> work)
    throws Exception {
    java.util.concurrent.CompletableFuture<T> out = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        out.complete(work.get());
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
      }
    });
    return out.get(10, TimeUnit.SECONDS);
  }

  // ---- keys ----

  @Test
  void everyKeyIsUnderThePrefixAndASubscribersKeysShareItsHashTag() throws Exception {
    ManualClock clock = new ManualClock(T0);
    RedisStore store = store(settings(), clock);
    String sub = "sub-" + prefix.substring("mirt-test:".length(), prefix.length() - 1);
    await(store.append(msg(sub, "Привіт", "mid-1")));
    clock.advance(3_000);
    Turn t = await(store.claimDue(10, "node-a", false)).get(0);
    assertThat(await(store.handoff(t, reply(t), "{\"v\":1}")).deliver()).isTrue();
    await(store.append(msg(sub, "ще", null)));
    await(store.add(new DeadLetter("push", sub, t.turnId(), "3011", "closed", T0, new JsonObject())));
    await(store.take("manychat", 1_000));
    RedisControlStore controls = new RedisControlStore(store);
    await(controls.pause(sub, ControlStore.Pause.UNTIL_RESUMED, "manager"));
    await(controls.once(sub, "away", "2024-05-01"));
    await(store.schedule(sub, T0 + DAY_MS));

    assertThat(RedisTestKeys.scan("*" + sub + "*")).as("nothing of the subscriber outside the prefix")
      .allMatch(k -> k.startsWith(prefix + "{" + sub + "}:"));
    assertThat(RedisTestKeys.scan(prefix + "*")).containsExactlyInAnyOrder(
      prefix + "{" + sub + "}:in", prefix + "{" + sub + "}:meta", prefix + "{" + sub + "}:turn",
      prefix + "{" + sub + "}:out", prefix + "{" + sub + "}:conv", prefix + "{" + sub + "}:seen:mid-1",
      prefix + "{" + sub + "}:last", prefix + "{" + sub + "}:pause", prefix + "{" + sub + "}:once:away",
      prefix + "buf", prefix + "busy", prefix + "outbox", prefix + "stored", prefix + "fu",
      prefix + "dl", prefix + "dl:json", prefix + "counts", prefix + "rate:manychat");
  }

  @Test
  void dedupeConversationAndLastInboundKeysExpireInRedisToo() throws Exception {
    ManualClock clock = new ManualClock(T0);
    RedisStore store = store(settings().put("conversation.ttl-days", 2), clock);
    await(store.append(msg("7", "Привіт", "mid-1")));
    clock.advance(3_000);
    Turn t = await(store.claimDue(10, "node-a", false)).get(0);
    await(store.handoff(t, reply(t), "{\"v\":1}"));

    long dedupeTtl = RedisTestKeys.command(Request.cmd(Command.PTTL).arg(prefix + "{7}:seen:mid-1")).toLong();
    assertThat(dedupeTtl).isBetween(TurnRules.DEDUPE_TTL_MS - 60_000, TurnRules.DEDUPE_TTL_MS);
    long conversationTtl = RedisTestKeys.command(Request.cmd(Command.PTTL).arg(prefix + "{7}:conv")).toLong();
    assertThat(conversationTtl).isBetween(2 * DAY_MS - 60_000, 2 * DAY_MS);
    long lastTtl = RedisTestKeys.command(Request.cmd(Command.PTTL).arg(prefix + "{7}:last")).toLong();
    assertThat(lastTtl).isBetween(TurnRules.LAST_INBOUND_TTL_MS - 60_000, TurnRules.LAST_INBOUND_TTL_MS);
    assertThat(RedisTestKeys.command(Request.cmd(Command.GET).arg(prefix + "{7}:last")).toLong()).isEqualTo(T0);
  }

  @Test
  void anIdleRateBucketVanishesSoonAfterItsTokenIsBack() throws Exception {
    RedisStore store = store(settings(), new ManualClock(T0));
    assertThat(await(store.take("manychat", 10_000))).isZero();
    long ttl = RedisTestKeys.command(Request.cmd(Command.PTTL).arg(prefix + "rate:manychat")).toLong();
    assertThat(ttl).isBetween(10_000 + RedisStore.RATE_GRACE_MS - 60_000, 10_000 + RedisStore.RATE_GRACE_MS);
    await(store.pause("manychat", 120_000));
    ttl = RedisTestKeys.command(Request.cmd(Command.PTTL).arg(prefix + "rate:manychat")).toLong();
    assertThat(ttl).isBetween(120_000 + RedisStore.RATE_GRACE_MS - 60_000, 120_000 + RedisStore.RATE_GRACE_MS);
    assertThat(RedisTestKeys.command(Request.cmd(Command.GET).arg(prefix + "rate:manychat")).toLong())
      .isEqualTo(T0 + 120_000);
  }

  @Test
  void aReplyStoredBeforeTimeoutsWereCountedIsClaimedWithNone() throws Exception {
    ManualClock clock = new ManualClock(T0);
    RedisStore store = store(settings(), clock);
    await(store.append(msg("7", "Привіт", null)));
    Turn t = await(store.claimDue(10, "node-a", true)).get(0);
    await(store.handoff(t, reply(t), ""));
    RedisTestKeys.command(Request.cmd(Command.HDEL).arg(prefix + "{7}:out").arg("timeouts"));
    OutboxEntry e = await(store.claim("7", "node-a")).orElseThrow();
    assertThat(e.timeouts()).isZero();
    assertThat(e.storedAt()).isEqualTo(T0);
  }

  @Test
  void anIdleSubscriberKeepsOnlyItsConversationDedupeAndLastInboundKeys() throws Exception {
    ManualClock clock = new ManualClock(T0);
    RedisStore store = store(settings().put("debounce.max-attempts", 1), clock);
    await(store.append(msg("7", "Привіт", "mid-1")));
    clock.advance(3_000);
    Turn t = await(store.claimDue(10, "node-a", false)).get(0);
    await(store.handoff(t, reply(t), "{\"v\":1}"));
    OutboxEntry e = await(store.claim("7", "node-a")).orElseThrow();
    assertThat(await(store.finish(e, null))).isTrue();
    await(store.append(msg("8", "Привіт", null)));
    clock.advance(3_000);
    Turn failed = await(store.claimDue(10, "node-a", false)).get(0);
    assertThat(await(store.fail(failed, "model down"))).isEqualTo(TurnStore.FailOutcome.DEAD_LETTERED);
    assertThat(await(store.finish(await(store.claim("8", "node-a")).orElseThrow(), null))).isTrue();

    assertThat(RedisTestKeys.scan(prefix + "{*")).containsExactlyInAnyOrder(
      prefix + "{7}:conv", prefix + "{7}:seen:mid-1", prefix + "{7}:last", prefix + "{8}:last");
    assertThat(await(store.stats())).isEqualTo(new TurnStore.Stats(0, 0, 0));
    assertThat(await(store.backlog())).isEqualTo(new OutboxStore.Backlog(0, 0));
  }

  // ---- clock ----

  @Test
  void redisTimeDecidesWhenNoClockIsGiven() throws Exception {
    RedisStore store = store(settings().put("debounce.quiet-seconds", 0.5).put("debounce.max-attempts", 1), null);
    long before = System.currentTimeMillis();
    await(store.append(msg("7", "Привіт", null)));
    assertThat(await(store.claimDue(10, "node-a", false))).as("not due at once").isEmpty();

    Turn t = Poll.await(() -> {
      List<Turn> due = awaitUnchecked(store.claimDue(10, "node-a", false));
      return due.isEmpty() ? null : due.get(0);
    }, Duration.ofSeconds(5), "the buffer becomes due by Redis's clock");
    long after = System.currentTimeMillis();
    assertThat(after - before).isGreaterThanOrEqualTo(490);
    assertThat(t.firstAt()).isCloseTo(before, within(1_000L));

    assertThat(await(store.fail(t, "model down"))).isEqualTo(TurnStore.FailOutcome.DEAD_LETTERED);
    DeadLetter dead = await(store.recent(1)).get(0);
    assertThat(dead.at()).as("stamped by Redis's clock").isCloseTo(System.currentTimeMillis(), within(1_000L));
    assertThat(dead.payload().getString("text")).isEqualTo("Привіт");
  }

  @Test
  void leasesEndByRedisTimeWhenNoClockIsGiven() throws Exception {
    RedisStore store = store(settings().put("debounce.lease-seconds", 0.2), null);
    await(store.append(msg("7", "Привіт", null)));
    Turn t = await(store.claimDue(10, "node-a", true)).get(0);
    assertThat(await(store.expiredLeases(10))).isEmpty();
    List<Turn> expired = Poll.await(() -> {
      List<Turn> found = awaitUnchecked(store.expiredLeases(10));
      return found.isEmpty() ? null : found;
    }, Duration.ofSeconds(5), "the lease ends by Redis's clock");
    assertThat(expired).containsExactly(t);
    assertThat(await(store.expire(t, "lease ended"))).isEqualTo(TurnStore.FailOutcome.RETRY);
  }

  @Test
  void anExpiredLeaseComesBackAsTheSameTurn() throws Exception {
    ManualClock clock = new ManualClock(T0);
    RedisStore store = store(settings(), clock);
    await(store.append(msg("7", "один", null)));
    Turn first = await(store.claimDue(10, "node-a", true)).get(0);
    await(store.append(msg("7", "два", null)));
    assertThat(await(store.handoff(first, reply(first), "{}")).deliver()).isFalse();
    Turn rerun = await(store.claimDue(10, "node-a", true)).get(0);
    assertThat(await(store.fail(rerun, "model down"))).isEqualTo(TurnStore.FailOutcome.RETRY);
    Turn t = await(store.claimDue(10, "node-a", true)).get(0);
    assertThat(t.attempt()).isEqualTo(2);
    assertThat(t.reruns()).isEqualTo(1);
    clock.advance(30_001);
    assertThat(await(store.expiredLeases(10))).containsExactly(t);
    assertThat(await(store.expiredLeases(0))).isEmpty();
  }

  // ---- the edges of the rules ----

  @Test
  void dueBuffersAreClaimedByDueTimeNotById() throws Exception {
    ManualClock clock = new ManualClock(T0);
    RedisStore store = store(settings(), clock);
    for (String sub : List.of("c", "b", "a")) {
      await(store.append(msg(sub, sub, null)));
      clock.advance(100);
    }
    clock.advance(3_000);
    assertThat(await(store.claimDue(2, "node-a", false))).extracting(Turn::subscriberId).containsExactly("c", "b");
  }

  @Test
  void aLeaseEndsOnlyAfterItsFullTime() throws Exception {
    ManualClock clock = new ManualClock(T0);
    RedisStore store = store(settings(), clock);
    await(store.append(msg("1", "a", null)));
    await(store.append(msg("2", "b", null)));
    List<Turn> claimed = await(store.claimDue(10, "node-a", true));
    clock.advance(30_000);
    assertThat(await(store.expiredLeases(10))).isEmpty();
    assertThat(await(store.expire(claimed.get(0), "lease ended"))).isEqualTo(TurnStore.FailOutcome.UNCHANGED);
    clock.advance(1);
    assertThat(await(store.expiredLeases(10))).hasSize(2);
    assertThat(await(store.expiredLeases(1))).hasSize(1);
  }

  @Test
  void aMessageIdIsForgottenExactlyADayLater() throws Exception {
    ManualClock clock = new ManualClock(T0);
    RedisStore store = store(settings(), clock);
    assertThat(await(store.append(msg("7", "a", "mid")))).isEqualTo(TurnStore.AppendResult.STORED);
    clock.advance(TurnRules.DEDUPE_TTL_MS - 1);
    assertThat(await(store.append(msg("7", "a", "mid")))).isEqualTo(TurnStore.AppendResult.DUPLICATE);
    clock.advance(1);
    assertThat(await(store.append(msg("7", "a", "mid")))).isEqualTo(TurnStore.AppendResult.STORED);
  }

  // ---- several instances ----

  @Test
  void twoNodesRacingForDueBuffersNeverClaimTheSameSubscriber() throws Exception {
    ManualClock clock = new ManualClock(T0);
    RedisStore a = store(settings(), clock);
    RedisStore b = store(settings(), clock);
    int subscribers = 40;
    for (int i = 0; i < subscribers; i++) {
      await((i % 2 == 0 ? a : b).append(msg("s" + i, "m" + i, "id-" + i)));
    }
    clock.advance(3_000);
    Map<String, String> claimedBy = new ConcurrentHashMap<>();
    List<String> duplicates = new ArrayList<>();
    boolean more = true;
    while (more) {
      Future<List<Turn>> fromA = a.claimDue(7, "node-a", false);
      Future<List<Turn>> fromB = b.claimDue(7, "node-b", false);
      await(Future.all(fromA, fromB));
      for (Turn t : fromA.result()) {
        if (claimedBy.putIfAbsent(t.subscriberId(), "node-a") != null) {
          duplicates.add(t.subscriberId());
        }
      }
      for (Turn t : fromB.result()) {
        if (claimedBy.putIfAbsent(t.subscriberId(), "node-b") != null) {
          duplicates.add(t.subscriberId());
        }
      }
      assertThat(fromA.result().size()).isLessThanOrEqualTo(7);
      more = !fromA.result().isEmpty() || !fromB.result().isEmpty();
    }
    assertThat(duplicates).isEmpty();
    assertThat(claimedBy).hasSize(subscribers);
    assertThat(claimedBy.values()).contains("node-a", "node-b");
    assertThat(await(a.stats())).isEqualTo(new TurnStore.Stats(0, 0, subscribers));
  }

  @Test
  void oneBrokenSubscriberDoesNotHoldUpTheOthers() throws Exception {
    ManualClock clock = new ManualClock(T0);
    RedisStore store = store(settings(), clock);
    await(store.append(msg("1", "a", null)));
    clock.advance(10);
    await(store.append(msg("2", "b", null)));
    RedisTestKeys.command(Request.cmd(Command.SET).arg(prefix + "{2}:meta").arg("not a hash"));
    clock.advance(3_000);

    assertThat(await(store.claimDue(10, "node-a", false))).extracting(Turn::subscriberId).containsExactly("1");
    assertThat(errors("claimDue")).isEqualTo(1.0);
    Throwable failure = failureOf(store.claimDue(10, "node-a", false));
    assertThat(failure).as("when every claim fails, the sweep fails").hasMessageContaining("WRONGTYPE");
    assertThat(errors("claimDue")).isEqualTo(2.0);
    assertThat(log.list).as("an error reply means Redis is there").noneMatch(e -> e.getLevel() == Level.WARN);
  }

  // ---- a lost Redis ----

  @Test
  void aStoreWithoutRedisFailsPromptlyAndCountsErrors() throws Exception {
    int port = closedPort();
    RedisStore store = store(settings().put("redis.url", "redis://:s3cret@127.0.0.1:" + port + "/0"), null);
    long start = System.currentTimeMillis();
    assertThat(failureOf(store.append(msg("7", "Привіт", null)))).isNotNull();
    assertThat(failureOf(store.ping())).isNotNull();
    assertThat(failureOf(store.stats())).isNotNull();
    assertThat(System.currentTimeMillis() - start).isLessThan(RedisStore.REQUEST_TIMEOUT_MS);
    assertThat(errors("append")).isEqualTo(1.0);
    assertThat(errors("ping")).isEqualTo(1.0);
    assertThat(errors("stats")).isEqualTo(1.0);

    List<ILoggingEvent> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getFormattedMessage())
      .startsWith("Redis at 127.0.0.1:" + port + " is unreachable: ")
      .endsWith("; webhooks answer 503 until it is back")
      .doesNotContain("s3cret");
  }

  @Test
  void aZeroLimitAsksRedisNothing() throws Exception {
    RedisStore store = store(settings().put("redis.url", "redis://127.0.0.1:" + closedPort() + "/0"), null);
    assertThat(await(store.claimDue(0, "node-a", true))).isEmpty();
    assertThat(await(store.claimDue(0, "node-a"))).isEmpty();
    assertThat(await(store.expiredLeases(0))).isEmpty();
    assertThat(await(store.recent(0))).isEmpty();
    assertThat(await(store.claimDue(0, 30_000L))).isEmpty();
    assertThat(registry.find("mirt.redis.errors").counters()).isEmpty();
  }

  @Test
  void aRedisThatNeverAnswersFailsTheRequestAfterTheTimeout() throws Exception {
    Vertx vertx = vertx();
    NetServer silent = await(vertx.createNetServer().connectHandler(socket -> { }).listen(0, "127.0.0.1"));
    try {
      RedisStore store = store(settings().put("redis.url", "redis://127.0.0.1:" + silent.actualPort() + "/0"), null);
      long start = System.currentTimeMillis();
      Throwable failure = failureOf(store.ping());
      assertThat(failure).isNotNull();
      assertThat(System.currentTimeMillis() - start).isBetween(RedisStore.REQUEST_TIMEOUT_MS - 100,
        RedisStore.REQUEST_TIMEOUT_MS + 3_000);
      assertThat(errors("ping")).isEqualTo(1.0);
    } finally {
      await(silent.close());
    }
  }

  @Test
  void theStoreWorksAgainWhenRedisIsBack() throws Exception {
    Vertx vertx = vertx();
    TcpProxy proxy = new TcpProxy(vertx, 6379);
    int port = await(proxy.start(0));
    RedisStore store = store(settings().put("redis.url", "redis://127.0.0.1:" + port + "/0"), new ManualClock(T0));
    assertThat(await(store.append(msg("7", "до", null)))).isEqualTo(TurnStore.AppendResult.STORED);

    await(proxy.stop());
    assertThat(failureOf(store.append(msg("7", "під час", null)))).isNotNull();
    assertThat(failureOf(store.ping())).isNotNull();

    await(proxy.start(port));
    Poll.await(() -> awaitSucceeded(store.ping()), Duration.ofSeconds(10), "the pooled client reconnects");
    assertThat(await(store.append(msg("7", "після", null)))).isEqualTo(TurnStore.AppendResult.STORED);
    assertThat(await(store.stats()).pendingMessages()).isEqualTo(2);

    assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1);
    assertThat(log.list).filteredOn(e -> e.getLevel() == Level.INFO).extracting(ILoggingEvent::getFormattedMessage)
      .containsExactly("Redis at 127.0.0.1:" + port + " answers again");
    assertThat(errors("append")).isEqualTo(1.0);
  }

  @Test
  void anAppendIsOneRoundTrip() throws Exception {
    Vertx vertx = vertx();
    TcpProxy proxy = new TcpProxy(vertx, 6379);
    int port = await(proxy.start(0));
    RedisStore store = store(settings().put("redis.url", "redis://127.0.0.1:" + port + "/0"), new ManualClock(T0));
    await(store.append(msg("7", "перше", "m1")));
    proxy.forgetSent();
    assertThat(await(store.append(msg("7", "друге", "m2")))).isEqualTo(TurnStore.AppendResult.STORED);
    List<String> commands = Pattern.compile("(?m)^\\*\\d+\r\n\\$\\d+\r\n([A-Za-z]+)\r\n")
      .matcher(proxy.sent()).results().map(m -> m.group(1).toLowerCase(Locale.ROOT)).toList();
    assertThat(commands).containsExactly("evalsha");
  }

  @Test
  void theLoggedAddressNeverShowsThePassword() {
    assertThat(RedisStore.address("redis://user:s3cret@redis.internal:6380/2")).isEqualTo("redis.internal:6380");
    assertThat(RedisStore.address("redis://:s3cret@redis.internal/0")).isEqualTo("redis.internal:6379");
    assertThat(RedisStore.address("rediss://[::1]:7000")).isEqualTo("[::1]:7000");
    assertThat(RedisStore.address("redis://:pa/ss@redis_1:6379/0")).isEqualTo("redis.url");
    assertThat(RedisStore.address("redis://:s3cret word@redis.internal")).isEqualTo("redis.url");
  }

  // ---- dead letters ----

  @Test
  void everyWayOfAddingADeadLetterDropsOnlyTheOldOnes() throws Exception {
    ManualClock clock = new ManualClock(T0);
    RedisStore store = store(settings().put("dead-letters.max", 10).put("debounce.max-attempts", 1), clock);
    await(store.add(new DeadLetter("push", "1", "old", "x", "old", T0, new JsonObject())));
    clock.advance(DAY_MS + 1);
    await(store.add(new DeadLetter("push", "1", "young", "x", "young", clock.getAsLong(), new JsonObject())));
    clock.advance(1_000);
    await(store.append(msg("7", "Привіт", null)));
    Turn t = await(store.claimDue(10, "node-a", true)).get(0);
    assertThat(await(store.fail(t, "model down"))).isEqualTo(TurnStore.FailOutcome.DEAD_LETTERED);
    assertThat(await(store.recent(10))).extracting(DeadLetter::turnId).containsExactly(t.turnId(), "young");
    assertThat(await(store.recent(10)).get(0).at()).isEqualTo(clock.getAsLong());

    clock.advance(DAY_MS - 1_000 + 1);
    await(store.append(msg("8", "Привіт", null)));
    Turn delivered = await(store.claimDue(10, "node-a", true)).get(0);
    await(store.handoff(delivered, reply(delivered), ""));
    OutboxEntry e = await(store.claim("8", "node-a")).orElseThrow();
    DeadLetter refused = new DeadLetter("push", "8", delivered.turnId(), "3011", "closed", clock.getAsLong(),
      new JsonObject().put("calls", 1));
    assertThat(await(store.finish(e, refused))).isTrue();
    assertThat(await(store.recent(10))).extracting(DeadLetter::turnId).containsExactly(delivered.turnId(), t.turnId());
    assertThat(await(store.recent(1))).extracting(d -> d.withId(null)).containsExactly(refused);
  }

  // ---- helpers ----

  private JsonObject settings() {
    return new JsonObject().put("redis.url", RedisTestKeys.URL).put("redis.prefix", prefix)
      .put("debounce.quiet-seconds", 3.0).put("debounce.max-wait-seconds", 10.0)
      .put("debounce.lease-seconds", 30.0).put("debounce.max-attempts", 3).put("debounce.max-reruns", 2)
      .put("conversation.ttl-days", 1).put("dead-letters.max", 3).put("dead-letters.max-age-days", 1);
  }

  private Vertx vertx() {
    Vertx v = Vertx.vertx();
    vertxes.add(v);
    return v;
  }

  private RedisStore store(JsonObject settings, ManualClock clock) {
    RedisStore s = new RedisStore(vertx(), MirtConfig.fromJson(settings), registry, clock);
    stores.add(s);
    return s;
  }

  private double errors(String op) {
    Counter c = registry.find("mirt.redis.errors").tag("op", op).counter();
    return c == null ? 0 : c.count();
  }

  private static boolean scriptLoaded(String sha) throws Exception {
    return RedisTestKeys.command(Request.cmd(Command.SCRIPT).arg("EXISTS").arg(sha)).get(0).toInteger() == 1;
  }

  /** How many NOSCRIPT errors Redis has answered since it started (other clients' included). */
  private static long noScriptErrors() throws Exception {
    String info = RedisTestKeys.command(Request.cmd(Command.INFO).arg("errorstats")).toString();
    return info.lines().filter(l -> l.startsWith("errorstat_NOSCRIPT:count="))
      .mapToLong(l -> Long.parseLong(l.substring("errorstat_NOSCRIPT:count=".length()).trim())).sum();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static InboundMessage msg(String sub, String text, String id) {
    return new InboundMessage(sub, Channel.INSTAGRAM, text, List.of(), id, Contact.EMPTY, 0, "tr-" + text);
  }

  private static Reply reply(Turn t) {
    return new Reply(t.subscriberId(), t.turnId(), t.channel(), List.of(OutMessage.text("r")), List.of(), "S", "i",
      Map.of(), List.of(), List.of(), t.traceId());
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("store operation failed: " + e.getCause(), e.getCause());
    }
  }

  private static <T> T awaitUnchecked(Future<T> f) {
    try {
      return await(f);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code true} once the future succeeded, {@code null} when it failed (to poll on). */
  private static Boolean awaitSucceeded(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      return null;
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cause of a future that must fail. */
  private static Throwable failureOf(Future<?> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the operation to fail");
  }

  /** Forwards TCP to a port and can be stopped and started again, to take Redis away and bring it back. */
  private static final class TcpProxy {

    private final Vertx vertx;
    private final int target;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private final StringBuilder sent = new StringBuilder();
    private NetServer server;

    TcpProxy(Vertx vertx, int target) {
      this.vertx = vertx;
      this.target = target;
    }

    Future<Integer> start(int port) {
      server = vertx.createNetServer().connectHandler(in -> {
        in.pause();
        sockets.add(in);
        vertx.createNetClient().connect(target, "127.0.0.1").onComplete(done -> {
          if (done.failed()) {
            in.close();
            return;
          }
          NetSocket out = done.result();
          sockets.add(out);
          in.handler(data -> {
            record(data.toString(StandardCharsets.UTF_8));
            out.write(data);
          });
          out.handler(in::write);
          in.closeHandler(v -> out.close());
          out.closeHandler(v -> in.close());
          in.resume();
        });
      });
      return server.listen(port, "127.0.0.1").map(NetServer::actualPort);
    }

    private synchronized void record(String data) {
      sent.append(data);
    }

    /** What clients sent to Redis since the last {@link #forgetSent()}. */
    synchronized String sent() {
      return sent.toString();
    }

    synchronized void forgetSent() {
      sent.setLength(0);
    }

    Future<Void> stop() {
      List<Future<Void>> closing = new ArrayList<>();
      closing.add(server.close());
      sockets.forEach(s -> closing.add(s.close()));
      sockets.clear();
      return Future.all(closing).mapEmpty();
    }
  }
}
