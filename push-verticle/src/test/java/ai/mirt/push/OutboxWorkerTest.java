package ai.mirt.push;

import ai.mirt.common.Addresses;
import ai.mirt.common.Channel;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.state.DeadLetter;
import ai.mirt.state.OutboxEntry;
import ai.mirt.state.OutboxStore;
import ai.mirt.state.Stores;
import ai.mirt.testkit.FakeManyChat;
import ai.mirt.testkit.FakeServer.Fault;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.IntStream;

import static ai.mirt.push.PushFixture.count;
import static ai.mirt.push.PushFixture.onLoop;
import static ai.mirt.push.PushFixture.reply;
import static ai.mirt.push.PushFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How replies are claimed, seen through and concluded: how many at a time and when (breaker, stop), what each
 * outcome leaves in the outbox view, the logs, the metrics and the store, and how claims are kept and given back.
 */
@ExtendWith(VertxExtension.class)
class OutboxWorkerTest {

  private static final String A = "6000001";
  private static final String B = "6000002";
  private static final String C = "6000003";

  private Vertx vertx;
  private FakeManyChat manychat;
  private PushFixture fx;
  private PushLog log;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Stores stores;
  private ScriptedOutbox outbox;

  /** An outbox that records every claim asked of it. */
  private static final class ClaimLog implements OutboxStore {
    final OutboxStore inner;
    final List<String> asked = new CopyOnWriteArrayList<>();

    ClaimLog(OutboxStore inner) {
      this.inner = inner;
    }

    @Override
    public Future<Optional<OutboxEntry>> claim(String subscriberId, String owner) {
      asked.add("claim " + subscriberId);
      return inner.claim(subscriberId, owner);
    }

    @Override
    public Future<List<OutboxEntry>> claimDue(int limit, String owner) {
      asked.add("claimDue " + limit);
      return inner.claimDue(limit, owner);
    }

    @Override
    public Future<Boolean> accepted(OutboxEntry entry, int accepted) {
      return inner.accepted(entry, accepted);
    }

    @Override
    public Future<Boolean> retryLater(OutboxEntry entry, int attempts, int timeouts, long delayMs) {
      return inner.retryLater(entry, attempts, timeouts, delayMs);
    }

    @Override
    public Future<Boolean> finish(OutboxEntry entry, DeadLetter deadLetter) {
      return inner.finish(entry, deadLetter);
    }

    @Override
    public Future<Backlog> backlog() {
      return inner.backlog();
    }
  }

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    log = PushLog.all();
    manychat = new FakeManyChat(vertx, PushFixture.KEY);
    fx = new PushFixture(vertx, manychat);
    manychat.start().onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void tearDown() {
    log.close();
  }

  private Future<String> deploy(JsonObject overrides, Function<OutboxStore, OutboxStore> wrap) {
    JsonObject conf = fx.config(overrides);
    stores = Stores.memory(MirtConfig.fromJson(conf));
    outbox = new ScriptedOutbox(stores.outbox());
    return fx.deploy(stores, wrap.apply(outbox), conf, "node-a", registry);
  }

  private Future<String> deploy(JsonObject overrides) {
    return deploy(overrides, o -> o);
  }

  private Future<ComponentHealth> health() {
    return fx.request(Addresses.HEALTH_PUSH, new JsonObject()).map(ComponentHealth::fromJson);
  }

  private Future<Integer> active() {
    return health().map(h -> h.details().getInteger("active"));
  }

  // ---- a worker of its own, with the breaker's state in the test's hands ----

  /** A worker over the memory store whose breaker state and outbox the test controls; built on the caller's loop. */
  private OutboxWorker worker(ClaimLog claims, AtomicReference<CircuitBreakerState> breaker, MirtConfig config) {
    ManyChatClient client = new ManyChatClient(vertx, config.manychat(), config.push());
    Throttle throttle = new Throttle(vertx, stores.rates(), config.manychat(), config.push(), registry);
    AtomicReference<OutboxWorker> self = new AtomicReference<>();
    Sender sender = new Sender(client, throttle, new RetryRule(config.push()), claims, stores.deadLetters(),
      registry, () -> self.get().stopping(), System::currentTimeMillis);
    self.set(new OutboxWorker(vertx, claims, "node-a", config, sender, breaker::get, registry));
    return self.get();
  }

  private MirtConfig memory(JsonObject overrides) {
    MirtConfig config = MirtConfig.fromJson(fx.config(overrides));
    stores = Stores.memory(config);
    return config;
  }

  @Test
  void howManyRepliesAreClaimedDependsOnTheBreakerAndStopsWithTheWorker(VertxTestContext ctx) {
    // Every call takes a second: the replies claimed stay in hand while the test looks.
    manychat.when(r -> true, Fault.delay(1_000));
    onLoop(vertx, () -> {
      MirtConfig config = memory(new JsonObject());
      ClaimLog claims = new ClaimLog(stores.outbox());
      AtomicReference<CircuitBreakerState> breaker = new AtomicReference<>(CircuitBreakerState.OPEN);
      OutboxWorker worker = worker(claims, breaker, config);
      fx.stageAll(stores.turns(), List.of(reply(A, "a", "1"), reply(B, "b", "2"), reply(C, "c", "3")))
        .onComplete(ctx.succeeding(staged -> ctx.verify(() -> {
          worker.sweep();
          worker.ready(A, "a");
          assertThat(claims.asked).as("while the breaker is open").isEmpty();

          breaker.set(CircuitBreakerState.HALF_OPEN);
          worker.sweep();
          assertThat(claims.asked).as("half open: one reply for the trial").containsExactly("claimDue 1");
          assertThat(worker.active()).isEqualTo(1);
          worker.sweep();
          worker.ready(B, "b");
          assertThat(claims.asked).as("half open with the trial in hand").hasSize(1);

          breaker.set(CircuitBreakerState.CLOSED);
          worker.sweep();
          assertThat(claims.asked).last().isEqualTo("claimDue " + (OutboxWorker.MAX_ACTIVE - 1));
          assertThat(worker.active()).isEqualTo(3);

          worker.stop();
          assertThat(worker.stopping()).isTrue();
          int asked = claims.asked.size();
          worker.sweep();
          worker.ready(C, "c");
          assertThat(claims.asked).as("once stopping").hasSize(asked);
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aReplyInHandWhenTheWorkerStopsIsGivenBackAtOnceWithItsProgress(VertxTestContext ctx) {
    manychat.inject(Fault.delay(300));
    onLoop(vertx, () -> {
      MirtConfig config = memory(new JsonObject());
      ClaimLog claims = new ClaimLog(stores.outbox());
      OutboxWorker worker = worker(claims, new AtomicReference<>(CircuitBreakerState.CLOSED), config);
      List<OutMessage> texts = IntStream.rangeClosed(1, 15).mapToObj(i -> OutMessage.text("Текст " + i)).toList();
      fx.stage(stores.turns(), reply(A, "a", texts))
        .compose(r -> {
          worker.ready(A, r.turnId());
          return manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, PushFixture.WAIT);
        })
        .compose(first -> {
          worker.stop();
          return fx.eventually(() -> Future.succeededFuture(worker.active() == 0 ? Boolean.TRUE : null),
            PushFixture.WAIT, "the reply to be given back");
        })
        // Given back without a delay: another instance may claim it at once, and resumes after the first call.
        .compose(v -> stores.outbox().claim(A, "node-b"))
        .onComplete(ctx.succeeding(taken -> ctx.verify(() -> {
          assertThat(taken).isPresent();
          assertThat(taken.get().accepted()).isEqualTo(1);
          assertThat(taken.get().attempts()).isZero();
          assertThat(manychat.requests()).hasSize(1);
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aDeliveryWhoseClaimWasLostLeavesTheReplyToTheOtherClaim(VertxTestContext ctx) {
    onLoop(vertx, () -> {
      MirtConfig config = memory(new JsonObject());
      ScriptedOutbox losing = new ScriptedOutbox(stores.outbox());
      losing.loseClaims.set(1);
      ClaimLog claims = new ClaimLog(losing);
      OutboxWorker worker = worker(claims, new AtomicReference<>(CircuitBreakerState.CLOSED), config);
      fx.stage(stores.turns(), reply(A, "a", "Вітаю"))
        .compose(r -> {
          worker.ready(A, r.turnId());
          return manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, PushFixture.WAIT);
        })
        .compose(first -> fx.eventually(() -> Future.succeededFuture(worker.active() == 0 ? Boolean.TRUE : null),
          PushFixture.WAIT, "the lost claim to be let go"))
        .compose(v -> stores.outbox().pending())
        .onComplete(ctx.succeeding(pending -> ctx.verify(() -> {
          assertThat(pending).as("the reply is still stored, for the claim that took it").isEqualTo(1);
          assertThat(worker.recent()).isEmpty();
          ctx.completeNow();
        })));
    });
  }

  // ---- the push verticle's worker ----

  @Test
  void aDryRunConcludesRepliesWithoutCallsAndTheOutboxViewKeepsTheLatest(VertxTestContext ctx) {
    deploy(new JsonObject().put("manychat.api-key", "").put("push.outbox-size", 2))
      .compose(id -> PushFixture.sequentially(List.of(A, B, C), sub -> fx.push(stores.turns(),
        reply(sub, "t" + sub, "Відповідь " + sub)).compose(v -> fx.completion("t" + sub))))
      .compose(v -> fx.request(Addresses.PUSH_OUTBOX, new JsonObject()))
      .onComplete(ctx.succeeding(view -> ctx.verify(() -> {
        assertThat(manychat.requests()).isEmpty();
        JsonArray payloads = view.getJsonArray("payloads");
        assertThat(payloads).hasSize(2);
        assertThat(payloads.getJsonObject(0).getString("turnId")).isEqualTo(fx.turnIds.get("t" + B));
        JsonObject last = payloads.getJsonObject(1);
        assertThat(last.getString("turnId")).isEqualTo(fx.turnIds.get("t" + C));
        assertThat(last.getString("status")).isEqualTo("dry-run");
        JsonArray calls = last.getJsonArray("calls");
        assertThat(calls).hasSize(1);
        assertThat(calls.getJsonObject(0).getString("path")).isEqualTo(DynamicBlockBuilder.SEND_CONTENT);
        assertThat(log.lines()).contains("INFO dry run: reply for subscriber " + C + " turn " + fx.turnIds.get("t" + C)
          + " (1 calls)");
        assertThat(log.lines()).noneMatch(l -> l.startsWith("INFO reply delivered"));
        assertThat(registry.get("mirt.push.delivery").tag("outcome", "dry_run").timer().count()).isEqualTo(3);
        ctx.completeNow();
      })));
  }

  @Test
  void anAnnouncedReplyIsClaimedAtOnceNotAtTheNextSweep(VertxTestContext ctx) {
    deploy(new JsonObject().put("push.sweep-ms", 600_000))
      .compose(id -> fx.push(stores.turns(), reply(A, "a", "Вітаю")))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("delivered");
        assertThat(manychat.requests()).hasSize(1);
        ctx.completeNow();
      })));
  }

  @Test
  void healthCountsTheRepliesInHand(VertxTestContext ctx) {
    manychat.inject(Fault.delay(1_000));
    deploy(new JsonObject())
      .compose(id -> fx.push(stores.turns(), reply(A, "a", "Вітаю")))
      .compose(v -> fx.eventually(() -> active().map(n -> n == 1 ? n : null), PushFixture.WAIT,
        "the reply in hand"))
      .compose(inHand -> fx.completion("a"))
      .compose(done -> active())
      .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
        assertThat(after).as("replies in hand once it is finished").isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void aReplyWaitingForItsRetryHoldsNoSlotAndItsFailureIsLogged(VertxTestContext ctx) {
    manychat.inject(Fault.status(429, "").withHeader("Retry-After", "2"));
    deploy(new JsonObject())
      .compose(id -> fx.push(stores.turns(), reply(A, "a", "Вітаю")))
      .compose(v -> fx.eventually(() -> Future.succeededFuture(outbox.retries.isEmpty() ? null : Boolean.TRUE),
        PushFixture.WAIT, "the reply to be given back"))
      .compose(v -> fx.eventually(() -> active().map(n -> n == 0 ? n : null), Duration.ofMillis(1_500),
        "the slot to be free while the reply waits"))
      .compose(free -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("delivered");
        assertThat(outbox.retries).containsExactly("1/0@2000");
        assertThat(log.lines()).contains("WARN push failed for subscriber " + A + " turn " + fx.turnIds.get("a")
          + ": ManyChat answered HTTP 429 (too many calls), retry after 2000 ms (call 1/1, attempt 1); retrying in "
          + "2000 ms [trace trace-a]");
        ctx.completeNow();
      })));
  }

  @Test
  void aFailedLaterCallIsLoggedWithItsPlaceInTheReply(VertxTestContext ctx) {
    List<OutMessage> texts = IntStream.rangeClosed(1, 15).mapToObj(i -> OutMessage.text("Текст " + i)).toList();
    manychat.inject(Fault.delay(1)).inject(Fault.status(500, ""));
    deploy(new JsonObject())
      .compose(id -> fx.push(stores.turns(), reply(A, "a", texts)))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("delivered");
        assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN push failed for subscriber " + A + " turn "
          + fx.turnIds.get("a") + ": ManyChat answered HTTP 500 (call 2/2, attempt 1); retrying in "));
        ctx.completeNow();
      })));
  }

  @Test
  void repliesHeldBackByAnOpenBreakerAreNotLoggedAsFailures(VertxTestContext ctx) {
    // Two replies in hand at once; the first call fails and opens the breaker, so the second, which the rate limit
    // lets out only 550 ms later, is held back.
    manychat.inject(Fault.status(500, ""));
    deploy(new JsonObject().put("push.breaker-max-failures", 1).put("push.breaker-reset-ms", 1_000)
      .put("push.rate-send-content", 2))
      .compose(id -> fx.stageAll(stores.turns(), List.of(reply(A, "a", "Вітаю"), reply(B, "b", "Вітаю"))))
      .compose(staged -> {
        staged.forEach(fx::announce);
        return Future.all(fx.completion("a"), fx.completion("b"));
      })
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(all.<JsonObject>resultAt(0).getString("status")).isEqualTo("delivered");
        assertThat(all.<JsonObject>resultAt(1).getString("status")).isEqualTo("delivered");
        assertThat(outbox.retries).as("one failure, one hold").hasSize(2)
          .anyMatch(r -> r.startsWith("1/0@")).anyMatch(r -> r.startsWith("0/0@"));
        assertThat(log.count("WARN push failed for subscriber ")).as("only the failure is logged as one")
          .isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void aRenewalThatFindsTheClaimTakenSaysSo(VertxTestContext ctx) {
    manychat.inject(Fault.delay(1_500));
    deploy(new JsonObject().put("debounce.lease-seconds", 1.0).put("manychat.timeout-ms", 5_000))
      .compose(id -> fx.push(stores.turns(), reply(A, "a", "Вітаю")))
      .compose(v -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, PushFixture.WAIT))
      .compose(first -> {
        // The next renewal hears that another claim took the reply.
        outbox.loseClaims.set(1);
        return fx.eventually(() -> Future.succeededFuture(log.has("WARN the claim on the reply of subscriber " + A)
          ? Boolean.TRUE : null), PushFixture.WAIT, "the lapse logged");
      })
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(log.lines()).contains("WARN the claim on the reply of subscriber " + A + " turn "
          + fx.turnIds.get("a") + " lapsed and was taken by another claim");
        assertThat(log.lines()).noneMatch(l -> l.startsWith("WARN renewing the claim"));
        ctx.completeNow();
      })));
  }

  @Test
  void eachOutcomeIsShownLoggedAndCounted(VertxTestContext ctx) {
    long started = System.nanoTime();
    manychat.when(r -> subscriber(r).equals(B), Fault.status(400, FakeManyChat.WINDOW_CLOSED))
      .when(r -> subscriber(r).equals(C) && r.path().equals(DynamicBlockBuilder.ADD_TAG),
        Fault.status(400, "{\"status\":\"error\",\"message\":\"Bad request\"}"));
    Map<String, String> fields = new LinkedHashMap<>();
    List.of("f1", "f2", "f3").forEach(f -> fields.put(f, "v"));
    Reply partial = new Reply(C, "c", Channel.INSTAGRAM, List.of(OutMessage.text("Вітаю")), List.of(), "S", "i",
      fields, List.of("vip"), List.of(), "trace-c");
    deploy(new JsonObject())
      .compose(id -> fx.stageAll(stores.turns(), List.of(reply(A, "a", "Вітаю"), reply(B, "b", "Вітаю"), partial)))
      .compose(staged -> {
        staged.forEach(fx::announce);
        return Future.all(fx.completion("a"), fx.completion("b"), fx.completion("c"));
      })
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        JsonObject a = all.resultAt(0);
        JsonObject b = all.resultAt(1);
        JsonObject c = all.resultAt(2);
        assertThat(a.getString("status")).isEqualTo("delivered");
        assertThat(a.containsKey("reason")).isFalse();
        assertThat(b.getString("status")).isEqualTo("dead-lettered");
        assertThat(b.getString("reason")).startsWith("messaging window closed (3011)");
        assertThat(c.getString("status")).isEqualTo("delivered");
        assertThat(c.getString("reason")).isEqualTo("delivered without some actions or calls: ManyChat refused the "
          + "call (http_400): Bad request");
        assertThat(a.getJsonArray("calls")).hasSize(1);
        assertThat(c.getJsonArray("calls")).extracting(o -> ((JsonObject) o).getString("path")).containsExactly(
          DynamicBlockBuilder.SEND_CONTENT, DynamicBlockBuilder.SET_CUSTOM_FIELDS, DynamicBlockBuilder.ADD_TAG);
        List<String> lines = log.lines();
        assertThat(lines).contains("INFO reply delivered for subscriber " + A + " turn " + fx.turnIds.get("a")
          + " (trace trace-a): 1 calls");
        assertThat(lines).contains("ERROR push failed for subscriber " + B + " turn " + fx.turnIds.get("b")
          + " (trace trace-b): dead-lettered: " + b.getString("reason"));
        assertThat(lines).contains("WARN reply for subscriber " + C + " turn " + fx.turnIds.get("c")
          + " (trace trace-c) reached the customer, but not all of it: " + c.getString("reason"));
        assertThat(lines).noneMatch(l -> l.startsWith("INFO reply delivered for subscriber " + C));
        assertThat(lines).noneMatch(l -> l.contains("resuming reply"));
        assertThat(count(registry, "mirt.push.dead.letters", "reason", "window_closed")).isEqualTo(1);
        assertThat(count(registry, "mirt.push.dead.letters", "reason", "http_400")).isEqualTo(1);
        assertThat(count(registry, "mirt.push.partial", "reason", "http_400")).isEqualTo(1);
        assertThat(registry.find("mirt.push.dead.letters").counters()).hasSize(2);
        Timer delivered = registry.get("mirt.push.delivery").tag("outcome", "delivered").timer();
        Timer dead = registry.get("mirt.push.delivery").tag("outcome", "dead_lettered").timer();
        assertThat(delivered.count()).isEqualTo(2);
        assertThat(dead.count()).isEqualTo(1);
        double tookMs = (System.nanoTime() - started) / 1e6;
        assertThat(delivered.max(TimeUnit.MILLISECONDS)).as("no delivery took longer than the test")
          .isPositive().isLessThanOrEqualTo(tookMs);
        ctx.completeNow();
      })));
  }

  @Test
  void aReplyThatCannotBeBuiltIsDeadLetteredWithoutACall(VertxTestContext ctx) {
    deploy(new JsonObject())
      .compose(id -> fx.push(stores.turns(), reply("not-a-number", "x", "Вітаю")))
      .compose(v -> fx.completion("x"))
      .compose(done -> stores.deadLetters().recent(10).map(dead -> Map.entry(done, dead)))
      .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
        assertThat(out.getKey().getString("status")).isEqualTo("dead-lettered");
        assertThat(out.getKey().getString("reason")).isEqualTo("reply cannot be built: subscriber id 'not-a-number' "
          + "is not a ManyChat contact id (a whole number)");
        assertThat(out.getKey().getJsonArray("calls")).isEmpty();
        assertThat(out.getValue()).singleElement().satisfies(d -> {
          assertThat(d.code()).isEqualTo("invalid_reply");
          assertThat(d.payload().getJsonArray("calls")).isEmpty();
        });
        assertThat(manychat.requests()).isEmpty();
        assertThat(stores.turns().stats().result().inFlight()).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void aResumedReplySaysWhereItResumes(VertxTestContext ctx) {
    List<OutMessage> texts = IntStream.rangeClosed(1, 25).mapToObj(i -> OutMessage.text("Текст " + i)).toList();
    // No sweep: the replies are claimed when they are announced, after the other instance gave them back.
    deploy(new JsonObject().put("push.sweep-ms", 600_000))
      .compose(id -> fx.stageAll(stores.turns(), List.of(reply(A, "a", texts), reply(B, "b", texts))))
      // Another instance got A's first call accepted, and tried B once; both gave their claims back.
      .compose(staged -> stores.outbox().claim(A, "node-b").compose(a -> stores.outbox().accepted(a.orElseThrow(), 1)
          .compose(ok -> stores.outbox().retryLater(a.get(), 0, 0, 0)))
        .compose(x -> stores.outbox().claim(B, "node-b"))
        .compose(b -> stores.outbox().retryLater(b.orElseThrow(), 1, 0, 0))
        .map(x -> {
          staged.forEach(fx::announce);
          return x;
        }))
      .compose(v -> Future.all(fx.completion("a"), fx.completion("b")))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(log.lines()).contains(
          "INFO resuming reply for subscriber " + A + " turn " + fx.turnIds.get("a") + " at call 2/3 (attempt 1) "
            + "[trace trace-a]",
          "INFO resuming reply for subscriber " + B + " turn " + fx.turnIds.get("b") + " at call 1/3 (attempt 2) "
            + "[trace trace-b]");
        assertThat(PushFixture.of(manychat.requests(), A)).extracting(PushFixture::firstText)
          .containsExactly("Текст 11", "Текст 21");
        ctx.completeNow();
      })));
  }

  @Test
  void aCallSlowerThanTheLeaseKeepsItsClaimBecauseTheLeaseIsRenewedWithTheProgress(VertxTestContext ctx) {
    List<OutMessage> texts = IntStream.rangeClosed(1, 15).mapToObj(i -> OutMessage.text("Текст " + i)).toList();
    manychat.inject(Fault.delay(1)).inject(Fault.delay(2_500));
    deploy(new JsonObject().put("debounce.lease-seconds", 1.0).put("manychat.timeout-ms", 5_000))
      .compose(id -> fx.push(stores.turns(), reply(A, "a", texts)))
      .compose(v -> fx.completion("a", Duration.ofSeconds(15)))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("delivered");
        assertThat(manychat.requests()).as("nothing sent twice").hasSize(2);
        // 1 once the first call is accepted, renewals of 1 while the second waits, 2 at the end.
        assertThat(outbox.accepted).startsWith(1, 1).endsWith(1, 2).allMatch(n -> n == 1 || n == 2);
        assertThat(log.lines()).noneMatch(l -> l.contains("lapsed"));
        ctx.completeNow();
      })));
  }

  @Test
  void aFinishTheStoreDidNotTakeIsCompletedByTheNextClaimWithoutResending(VertxTestContext ctx) {
    deploy(new JsonObject().put("debounce.lease-seconds", 1.0))
      .compose(id -> {
        outbox.failFinishes.set(1);
        return fx.push(stores.turns(), reply(A, "a", "Вітаю"));
      })
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("delivered");
        assertThat(manychat.requests()).hasSize(1);
        assertThat(log.lines()).contains("WARN reply for subscriber " + A + " turn " + fx.turnIds.get("a")
          + " ended as delivered but the store did not answer: store unavailable; it is finished when its lease "
          + "ends");
        assertThat(registry.get("mirt.push.delivery").timer().count()).as("one outcome recorded").isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void aStoreThatStopsAnsweringIsLoggedOnceAndItsReturnToo(VertxTestContext ctx) {
    List<ClaimLog> sweeps = new CopyOnWriteArrayList<>();
    deploy(new JsonObject().put("push.sweep-ms", 10), o -> {
      ClaimLog claims = new ClaimLog(o);
      sweeps.add(claims);
      return claims;
    })
      .compose(id -> {
        outbox.down.set(true);
        return fx.eventually(() -> Future.succeededFuture(log.has("ERROR push sweep failed") ? Boolean.TRUE : null),
          PushFixture.WAIT, "the failure logged");
      })
      .compose(v -> {
        int before = sweeps.get(0).asked.size();
        return fx.eventually(() -> Future.succeededFuture(sweeps.get(0).asked.size() > before + 3 ? Boolean.TRUE
          : null), PushFixture.WAIT, "more failed sweeps");
      })
      .compose(v -> {
        outbox.down.set(false);
        return fx.eventually(() -> Future.succeededFuture(log.has("INFO push sweep works again") ? Boolean.TRUE
          : null), PushFixture.WAIT, "the recovery logged");
      })
      .compose(v -> fx.push(stores.turns(), reply(A, "a", "Вітаю")).compose(x -> fx.completion("a")))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(log.count("ERROR push sweep failed, stored replies wait until the store answers: store "
          + "unavailable")).isEqualTo(1);
        assertThat(log.count("INFO push sweep works again")).isEqualTo(1);
        assertThat(done.getString("status")).isEqualTo("delivered");
        ctx.completeNow();
      })));
  }

}
