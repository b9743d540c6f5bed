package ai.mirt.push;

import ai.mirt.common.Addresses;
import ai.mirt.common.MirtConfig;
import ai.mirt.state.DeadLetter;
import ai.mirt.state.StoredOrder;
import ai.mirt.state.Stores;
import ai.mirt.testkit.FakeServer;
import ai.mirt.testkit.FakeServer.Fault;
import ai.mirt.testkit.RecordedRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders reach the shop's CRM through {@link OrderPoster}, deployed by the push verticle against a fake CRM: once per
 * version with its idempotency key, again after passing trouble, dead-lettered when refused or a day old; and
 * {@link Addresses#ORDERS_LIST} lists them, with or without a CRM.
 */
@ExtendWith(VertxExtension.class)
class OrderPosterTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long DAY_MS = 86_400_000L;

  /** The shop's CRM: records every order posted and takes it with 201 unless told otherwise. */
  static final class FakeCrm extends FakeServer {

    static final String PATH = "/crm/orders";

    FakeCrm(Vertx vertx) {
      super(vertx);
    }

    @Override
    protected void answer(HttpServerRequest req, RecordedRequest recorded) {
      req.response().setStatusCode(201).putHeader("content-type", "application/json").end("{\"ok\":true}");
    }

    /** The idempotency keys of the posts received, in order. */
    List<String> keys() {
      return requests(PATH).stream().map(r -> r.header("Idempotency-Key")).toList();
    }
  }

  private Vertx vertx;
  private FakeCrm crm;
  private Stores stores;
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final PushLog log = PushLog.of(OrderPoster.class);
  private String redisPrefix;

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    crm = new FakeCrm(vertx);
    crm.start().onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void tearDown(VertxTestContext ctx) {
    log.close();
    Future<Void> closed = stores == null ? Future.succeededFuture() : stores.close();
    closed.compose(v -> redisPrefix == null ? Future.succeededFuture() : TestRedis.deleteAll(vertx, redisPrefix))
      .onComplete(ctx.succeedingThenComplete());
  }

  /** Posting to the fake CRM with fast sweeps and backoff; {@code overrides} change any of it. */
  private JsonObject config(JsonObject overrides) {
    return new JsonObject()
      .put("orders.webhook-url", crm.baseUrl() + FakeCrm.PATH)
      .put("manychat.timeout-ms", 2_000)
      .put("push.backoff-ms", 10)
      .put("push.backoff-max-ms", 50)
      .put("push.sweep-ms", 50)
      .mergeIn(overrides);
  }

  private Future<String> deploy(JsonObject conf) {
    return deploy(conf, System::currentTimeMillis);
  }

  /** In-memory stores on the given clock, and push over them. */
  private Future<String> deploy(JsonObject conf, LongSupplier storeClock) {
    stores = Stores.memory(MirtConfig.fromJson(conf), storeClock);
    return deployOn(conf);
  }

  private Future<String> deployOn(JsonObject conf) {
    PushVerticle push = new PushVerticle(stores.outbox(), stores.deadLetters(), stores.rates(), stores.orders(),
      "node-a", registry);
    return vertx.deployVerticle(push, new DeploymentOptions().setConfig(conf));
  }

  static JsonObject order(String id, int total) {
    return new JsonObject().put("id", id).put("subscriberId", "7").put("total", total)
      .put("items", new JsonArray().add(new JsonObject().put("sku", "dress-1").put("size", "S")));
  }

  /** Saves the order and announces it, as the agent does. */
  private Future<StoredOrder> saveAndAnnounce(JsonObject order) {
    return stores.orders().save(order)
      .onSuccess(o -> vertx.eventBus().send(Addresses.ORDERS_NEW, new JsonObject().put("id", o.id())));
  }

  /** Completes with the order once it has the status. */
  private Future<StoredOrder> once(String id, String status) {
    return eventually(() -> stores.orders().get(id).map(o -> o.filter(s -> s.status().equals(status)).orElse(null)),
      "order " + id + " " + status);
  }

  private Future<DeadLetter> deadLetter() {
    return eventually(() -> stores.deadLetters().recent(10).map(l -> l.isEmpty() ? null : l.get(0)),
      "a dead letter");
  }

  private double count(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private Future<JsonObject> list(JsonObject request) {
    return vertx.eventBus().<JsonObject>request(Addresses.ORDERS_LIST, request).map(Message::body);
  }

  @Test
  void eachStatusIsPostedRetriedOrRefusedByItsClass(VertxTestContext ctx) {
    List<Integer> ok = List.of(200, 299);
    List<Integer> retried = List.of(300, 399, 408, 429, 500, 599);
    List<Integer> refused = List.of(400, 404, 499);
    for (int status : retried) {
      crm.when(r -> r.header("Idempotency-Key").startsWith("s" + status + ":"), Fault.status(status, "no"));
    }
    for (int status : ok) {
      crm.when(r -> r.header("Idempotency-Key").startsWith("s" + status + ":"), Fault.status(status, "{}"));
    }
    for (int status : refused) {
      crm.when(r -> r.header("Idempotency-Key").startsWith("s" + status + ":"), Fault.status(status, "bad"));
    }
    Future<Void> all = deploy(config(new JsonObject().put("push.backoff-ms", 60_000).put("push.backoff-max-ms", 60_000)))
      .mapEmpty();
    for (int status : ok) {
      all = all.compose(v -> saveAndAnnounce(order("s" + status, status))).compose(o -> once(o.id(), "posted"))
        .mapEmpty();
    }
    for (int status : retried) {
      all = all.compose(v -> saveAndAnnounce(order("s" + status, status)))
        .compose(o -> eventually(() -> stores.orders().get(o.id()).map(s -> s.filter(x -> x.attempts() == 1)
          .orElse(null)), "a failed attempt of " + o.id()))
        .compose(o -> {
          ctx.verify(() -> {
            assertThat(o.status()).isEqualTo("pending");
            assertThat(o.lastError()).startsWith("HTTP " + o.order().getInteger("total"));
            // Full jitter: the next attempt is anywhere within the 60 s backoff, never before the failure.
            assertThat(o.nextAttemptAt()).as("backoff of at most 60 s")
              .isBetween(o.updatedAt(), System.currentTimeMillis() + 60_000);
          });
          return Future.succeededFuture();
        });
    }
    for (int status : refused) {
      all = all.compose(v -> saveAndAnnounce(order("s" + status, status))).compose(o -> once(o.id(), "abandoned"))
        .mapEmpty();
    }
    all.onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(count("mirt.orders.posted")).isEqualTo(ok.size());
      assertThat(count("mirt.orders.dead.letters", "reason", "order_rejected")).isEqualTo(refused.size());
      assertThat(crm.keys()).as("each order posted once: retries wait a minute")
        .hasSize(ok.size() + retried.size() + refused.size());
      ctx.completeNow();
    })));
  }

  @Test
  void moreOrdersThanCanBePostedAtOnceAreAllPostedOnce(VertxTestContext ctx) {
    int n = 40;
    Future<Void> saved = deploy(config(new JsonObject().put("push.sweep-ms", 60_000))).mapEmpty();
    for (int i = 0; i < n; i++) {
      String id = "bulk-" + i;
      int total = i;
      saved = saved.compose(v -> saveAndAnnounce(order(id, total))).mapEmpty();
    }
    // The periodic sweep is a minute away: only new-order notices and finished posts may claim more.
    saved.compose(v -> eventually(() -> Future.succeededFuture(crm.keys().size() >= n ? crm.keys() : null),
        n + " posts"))
      .compose(keys -> once("bulk-" + (n - 1), "posted").map(keys))
      .onComplete(ctx.succeeding(keys -> ctx.verify(() -> {
        assertThat(keys).hasSize(n).doesNotHaveDuplicates();
        ctx.completeNow();
      })));
  }

  @Test
  void aRetryAfterOfTheCrmIsHonoured(VertxTestContext ctx) {
    crm.when(r -> true, Fault.status(429, "slow down").withHeader("Retry-After", "30"));
    deploy(config(new JsonObject()))
      .compose(id -> saveAndAnnounce(order("o-429", 1)))
      .compose(o -> eventually(() -> stores.orders().get("o-429").map(s -> s.filter(x -> x.attempts() == 1)
        .orElse(null)), "one failed attempt"))
      .onComplete(ctx.succeeding(o -> ctx.verify(() -> {
        assertThat(o.nextAttemptAt()).isBetween(System.currentTimeMillis() + 25_000,
          System.currentTimeMillis() + 31_000);
        assertThat(crm.keys()).containsExactly("o-429:1");
        ctx.completeNow();
      })));
  }

  @Test
  void aVersionYoungerThanADayIsRetriedNotDeadLettered(VertxTestContext ctx) {
    crm.when(r -> true, Fault.status(503, "maintenance"));
    // Saved 23 hours ago: one more failure, well within a day of backoff, must not give it up.
    deploy(config(new JsonObject()), () -> System.currentTimeMillis() - 23 * 3_600_000L)
      .compose(id -> saveAndAnnounce(order("o-23h", 1)))
      .compose(o -> eventually(() -> stores.orders().get("o-23h").map(s -> s.filter(x -> x.attempts() >= 1)
        .orElse(null)), "a failed attempt"))
      .compose(o -> stores.deadLetters().recent(10).map(letters -> Map.entry(o, letters)))
      .onComplete(ctx.succeeding(e -> ctx.verify(() -> {
        assertThat(e.getKey().status()).isEqualTo("pending");
        assertThat(e.getValue()).isEmpty();
        assertThat(count("mirt.orders.dead.letters", "reason", "order_max_age")).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void theLogNamesOnlyTheCrmsOriginNeverItsPathOrQuery() {
    MirtConfig with = MirtConfig.fromJson(config(new JsonObject()
      .put("orders.webhook-url", "https://crm.example.com:8443/hook/secret?token=abc")));
    MirtConfig without = MirtConfig.fromJson(config(new JsonObject()
      .put("orders.webhook-url", "http://crm.example.com/hook/secret")));
    MirtConfig broken = MirtConfig.fromJson(config(new JsonObject().put("orders.webhook-url", "http://bad host/x")));
    Stores memory = Stores.memory(with);

    assertThat(new OrderPoster(vertx, memory.orders(), memory.deadLetters(), "n", with, registry,
      System::currentTimeMillis).destination()).isEqualTo("https://crm.example.com:8443");
    assertThat(new OrderPoster(vertx, memory.orders(), memory.deadLetters(), "n", without, registry,
      System::currentTimeMillis).destination()).isEqualTo("http://crm.example.com");
    assertThat(new OrderPoster(vertx, memory.orders(), memory.deadLetters(), "n", broken, registry,
      System::currentTimeMillis).destination()).isEqualTo("orders.webhook-url");
  }

  /** Completes with the first non-null value the probe yields; fails after {@link #WAIT}. */
  private <T> Future<T> eventually(Supplier<Future<T>> probe, String what) {
    return PushFixture.eventually(vertx, probe, WAIT, what);
  }


  @Test
  void anOrderIsPostedAtOnceAndOnlyOnce(VertxTestContext ctx) {
    // No sweep runs during the test: only the announcement can set the post off.
    deploy(config(new JsonObject().put("push.sweep-ms", 600_000)))
      .compose(id -> saveAndAnnounce(order("o-1", 1200)))
      .compose(saved -> crm.awaitRequests(FakeCrm.PATH, 1, WAIT))
      .compose(posts -> {
        RecordedRequest post = posts.get(0);
        ctx.verify(() -> {
          assertThat(post.method()).isEqualTo("POST");
          assertThat(post.header("Content-Type")).isEqualTo("application/json");
          assertThat(post.header("Idempotency-Key")).isEqualTo("o-1:1");
          assertThat(post.json()).isEqualTo(order("o-1", 1200));
        });
        return once("o-1", "posted");
      })
      // The next announcement claims whatever is due: o-1 would be posted again if it still were.
      .compose(posted -> saveAndAnnounce(order("o-2", 800)))
      .compose(saved -> once("o-2", "posted"))
      .onComplete(ctx.succeeding(o2 -> ctx.verify(() -> {
        assertThat(crm.keys()).containsExactly("o-1:1", "o-2:1");
        assertThat(count("mirt.orders.posted")).isEqualTo(2);
        assertThat(registry.find("mirt.orders.post.failures").counters()).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void passingTroubleIsRetriedUntilTheCrmTakesTheVersion(VertxTestContext ctx) {
    crm.inject(Fault.status(500, "{\"error\":\"db down\"}"))
      .inject(Fault.status(429, "").withHeader("Retry-After", "0"))
      .inject(Fault.status(408, ""));
    deploy(config(new JsonObject()))
      .compose(id -> saveAndAnnounce(order("o-1", 1200)))
      .compose(saved -> once("o-1", "posted"))
      .onComplete(ctx.succeeding(posted -> ctx.verify(() -> {
        assertThat(crm.keys()).as("one version, posted until it went through").containsExactly("o-1:1", "o-1:1",
          "o-1:1", "o-1:1");
        assertThat(posted.attempts()).isEqualTo(3);
        assertThat(posted.lastError()).isNull();
        assertThat(count("mirt.orders.post.failures", "reason", "status")).isEqualTo(3);
        assertThat(count("mirt.orders.posted")).isEqualTo(1);
        assertThat(log.lines()).filteredOn(l -> l.startsWith("WARN")).hasSize(3)
          .first().asString().contains("o-1:1", "HTTP 500: {\"error\":\"db down\"}", "attempt 1", "retrying in");
        assertThat(await(stores.deadLetters().recent(10))).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void aPostThatTimesOutIsRetried(VertxTestContext ctx) {
    crm.inject(Fault.hang());
    deploy(config(new JsonObject().put("manychat.timeout-ms", 300)))
      .compose(id -> saveAndAnnounce(order("o-1", 1200)))
      .compose(saved -> once("o-1", "posted"))
      .onComplete(ctx.succeeding(posted -> ctx.verify(() -> {
        assertThat(crm.keys()).containsExactly("o-1:1", "o-1:1");
        assertThat(count("mirt.orders.post.failures", "reason", "timeout")).isEqualTo(1);
        assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("no answer within 300 ms"));
        ctx.completeNow();
      })));
  }

  @Test
  void anUnreachableCrmIsRetriedUntilItAnswers(VertxTestContext ctx) {
    int port = crm.port();
    crm.stop()
      .compose(v -> deploy(config(new JsonObject())))
      .compose(id -> saveAndAnnounce(order("o-1", 1200)))
      .compose(saved -> eventually(() -> Future.succeededFuture(
        count("mirt.orders.post.failures", "reason", "network") >= 2 ? Boolean.TRUE : null), "failed posts"))
      .compose(failed -> crm.start(port))
      .compose(started -> once("o-1", "posted"))
      .onComplete(ctx.succeeding(posted -> ctx.verify(() -> {
        assertThat(crm.keys()).containsExactly("o-1:1");
        assertThat(posted.attempts()).isGreaterThanOrEqualTo(2);
        ctx.completeNow();
      })));
  }

  @Test
  void aRefusedOrderIsDeadLetteredAndNotPostedAgain(VertxTestContext ctx) {
    crm.inject(Fault.status(400, "{\"error\":\"unknown sku dress-1\"}"));
    deploy(config(new JsonObject()))
      .compose(id -> saveAndAnnounce(order("o-1", 1200)))
      .compose(saved -> deadLetter())
      .compose(letter -> {
        ctx.verify(() -> {
          assertThat(letter.source()).isEqualTo("orders");
          assertThat(letter.code()).isEqualTo("order_rejected");
          assertThat(letter.subscriberId()).isEqualTo("7");
          assertThat(letter.reason()).contains("o-1:1", "HTTP 400", "unknown sku dress-1");
          assertThat(letter.payload().getInteger("httpStatus")).isEqualTo(400);
          assertThat(letter.payload().getJsonObject("order").getJsonObject("order")).isEqualTo(order("o-1", 1200));
        });
        return once("o-1", "abandoned");
      })
      .compose(abandoned -> {
        ctx.verify(() -> assertThat(abandoned.lastError()).contains("HTTP 400"));
        return saveAndAnnounce(order("o-2", 800));
      })
      .compose(saved -> once("o-2", "posted"))
      .onComplete(ctx.succeeding(o2 -> ctx.verify(() -> {
        assertThat(crm.keys()).as("the refused version was not posted again").containsExactly("o-1:1", "o-2:1");
        assertThat(count("mirt.orders.dead.letters", "reason", "order_rejected")).isEqualTo(1);
        assertThat(count("mirt.orders.post.failures", "reason", "status")).isEqualTo(1);
        assertThat(log.lines()).filteredOn(l -> l.startsWith("ERROR")).singleElement().asString()
          .contains("o-1:1", "dead-lettered", "order_rejected");
        assertThat(log.lines()).noneMatch(l -> l.startsWith("WARN"));
        ctx.completeNow();
      })));
  }

  @Test
  void aVersionADayOldIsDeadLetteredAtItsNextFailure(VertxTestContext ctx) {
    crm.when(r -> true, Fault.status(503, "maintenance"));
    // The store's clock runs 25 hours behind: the order was saved that long ago.
    deploy(config(new JsonObject()), () -> System.currentTimeMillis() - 25 * 3_600_000L)
      .compose(id -> saveAndAnnounce(order("o-1", 1200)))
      .compose(saved -> deadLetter())
      .compose(letter -> {
        ctx.verify(() -> {
          assertThat(letter.code()).isEqualTo("order_max_age");
          assertThat(letter.reason()).contains("o-1:1", "24 h", "HTTP 503: maintenance");
        });
        return once("o-1", "abandoned");
      })
      .onComplete(ctx.succeeding(abandoned -> ctx.verify(() -> {
        assertThat(crm.keys()).containsExactly("o-1:1");
        assertThat(count("mirt.orders.dead.letters", "reason", "order_max_age")).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void aChangedOrderIsPostedAgainAsItsNextVersion(VertxTestContext ctx) {
    deploy(config(new JsonObject()))
      .compose(id -> saveAndAnnounce(order("o-1", 1200)))
      .compose(saved -> once("o-1", "posted"))
      .compose(posted -> saveAndAnnounce(order("o-1", 1500)))
      .compose(changed -> {
        ctx.verify(() -> assertThat(changed.version()).isEqualTo(2));
        return crm.awaitRequests(FakeCrm.PATH, 2, WAIT);
      })
      .compose(posts -> {
        ctx.verify(() -> {
          assertThat(posts.get(1).header("Idempotency-Key")).isEqualTo("o-1:2");
          assertThat(posts.get(1).json().getInteger("total")).isEqualTo(1500);
        });
        return eventually(() -> stores.orders().get("o-1").map(o -> o.orElseThrow().postedVersion() == 2 ? o : null),
          "version 2 posted");
      })
      // The same JSON again is no new version; o-2 shows that nothing more of o-1 was due.
      .compose(v2 -> saveAndAnnounce(order("o-1", 1500)))
      .compose(same -> saveAndAnnounce(order("o-2", 800)))
      .compose(saved -> once("o-2", "posted"))
      .onComplete(ctx.succeeding(o2 -> ctx.verify(() -> {
        assertThat(crm.keys()).containsExactly("o-1:1", "o-1:2", "o-2:1");
        ctx.completeNow();
      })));
  }

  @Test
  void ordersAreListedNewestFirstAlsoWithoutACrm(VertxTestContext ctx) {
    AtomicLong now = new AtomicLong(1_700_000_000_000L);
    JsonObject conf = config(new JsonObject().put("orders.webhook-url", ""));
    deploy(conf, now::get)
      .compose(id -> stores.orders().save(order("o-1", 1200)))
      .compose(o1 -> {
        now.addAndGet(1_000);
        return stores.orders().save(order("o-2", 800));
      })
      .compose(o2 -> Future.all(list(new JsonObject().put("limit", 10)), list(new JsonObject().put("limit", 1)),
        list(new JsonObject()), stores.orders().recent(10)))
      .compose(all -> {
        JsonObject ten = all.resultAt(0);
        JsonObject one = all.resultAt(1);
        JsonObject byDefault = all.resultAt(2);
        List<StoredOrder> stored = all.resultAt(3);
        ctx.verify(() -> {
          assertThat(ten).isEqualTo(new JsonObject().put("orders", new JsonArray()
            .add(stored.get(0).toJson()).add(stored.get(1).toJson())));
          assertThat(ten.getJsonArray("orders").getJsonObject(0).getString("id")).isEqualTo("o-2");
          assertThat(ten.getJsonArray("orders").getJsonObject(1).getString("status")).isEqualTo("pending");
          assertThat(one.getJsonArray("orders")).hasSize(1);
          assertThat(one.getJsonArray("orders").getJsonObject(0).getString("id")).isEqualTo("o-2");
          assertThat(byDefault).isEqualTo(ten);
        });
        return list(new JsonObject().put("limit", "lots")).transform(ar -> Future.succeededFuture(ar.cause()));
      })
      .compose(refusal -> {
        ctx.verify(() -> assertThat(refusal).isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureCode()).isEqualTo(400);
          assertThat(e.getMessage()).isEqualTo("limit must be a whole number from 1 to 1000");
        }));
        return vertx.eventBus().request(Addresses.ORDERS_NEW, new JsonObject().put("id", "o-1"))
          .transform(ar -> Future.succeededFuture(ar.cause()));
      })
      .onComplete(ctx.succeeding(noPoster -> ctx.verify(() -> {
        assertThat(noPoster).as("without a URL nothing posts orders").isInstanceOfSatisfying(ReplyException.class,
          e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
        assertThat(crm.requests()).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void withRedisAnOrderIsPostedOnceAndListed(VertxTestContext ctx) {
    redisPrefix = TestRedis.uniquePrefix();
    JsonObject conf = config(new JsonObject().put("redis.url", TestRedis.URL).put("redis.prefix", redisPrefix));
    stores = Stores.redis(vertx, MirtConfig.fromJson(conf), registry);
    deployOn(conf)
      .compose(id -> saveAndAnnounce(order("o-1", 1200)))
      .compose(saved -> once("o-1", "posted"))
      .compose(posted -> saveAndAnnounce(order("o-2", 800)))
      .compose(saved -> once("o-2", "posted"))
      .compose(posted -> list(new JsonObject().put("limit", 10)))
      .onComplete(ctx.succeeding(listed -> ctx.verify(() -> {
        assertThat(crm.keys()).containsExactly("o-1:1", "o-2:1");
        assertThat(listed.getJsonArray("orders").stream().map(o -> ((JsonObject) o).getString("status")))
          .containsExactly("posted", "posted");
        assertThat(listed.getJsonArray("orders").getJsonObject(1).getJsonObject("order"))
          .isEqualTo(order("o-1", 1200));
        ctx.completeNow();
      })));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
  }
}
