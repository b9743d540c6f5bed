package ai.mirt.push;

import ai.mirt.common.Channel;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.push.CallResult.Outcome;
import ai.mirt.push.Sender.Kind;
import ai.mirt.push.Sender.Result;
import ai.mirt.state.OutboxEntry;
import ai.mirt.state.RateLimiter;
import ai.mirt.state.Stores;
import ai.mirt.testkit.FakeManyChat;
import ai.mirt.testkit.FakeServer.Fault;
import ai.mirt.testkit.RecordedRequest;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.IntStream;

import static ai.mirt.push.PushFixture.count;
import static ai.mirt.push.PushFixture.onLoop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One reply's calls as the sender makes them, against a fake ManyChat over the memory store, with its clock, its
 * stop signal and its rate limiter in the test's hands: what each way of failing makes of the attempt.
 */
@ExtendWith(VertxExtension.class)
class SenderTest {

  private static final String SUB = "5000001";
  private static final String UNKNOWN_FIELD = "{\"status\":\"error\",\"message\":\"Validation error\","
    + "\"details\":{\"messages\":[{\"message\":\"Custom field 'f3' not found\"}]}}";
  private static final String SERVER_ERROR = "{\"status\":\"error\",\"message\":\"Internal error\"}";

  private Vertx vertx;
  private FakeManyChat manychat;
  private PushFixture fx;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicBoolean stopping = new AtomicBoolean();
  /** The sender's wall clock: the system's, or this time while it is set. */
  private final AtomicLong frozen = new AtomicLong();
  private final List<Integer> announced = new CopyOnWriteArrayList<>();
  private Stores stores;
  private ScriptedOutbox outbox;
  private ManyChatClient client;
  private PushLog log;

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    log = PushLog.of(Sender.class);
    manychat = new FakeManyChat(vertx, PushFixture.KEY);
    fx = new PushFixture(vertx, manychat);
    manychat.start().onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void tearDown() {
    log.close();
    if (client != null) {
      client.close();
    }
  }

  private Sender sender(JsonObject overrides, Function<RateLimiter, RateLimiter> rates) {
    JsonObject conf = fx.config(overrides);
    MirtConfig config = MirtConfig.fromJson(conf);
    stores = Stores.memory(config);
    outbox = new ScriptedOutbox(stores.outbox());
    client = new ManyChatClient(vertx, config.manychat(), config.push());
    Throttle throttle = new Throttle(vertx, rates.apply(stores.rates()), config.manychat(), config.push(), registry);
    return new Sender(client, throttle, new RetryRule(config.push()), outbox, stores.deadLetters(), registry,
      stopping::get,
      () -> frozen.get() != 0 ? frozen.get() : System.currentTimeMillis());
  }

  private Sender sender(JsonObject overrides) {
    return sender(overrides, r -> r);
  }

  private Sender sender() {
    return sender(new JsonObject());
  }

  /** Stores the reply by a real handoff and claims it as push would. */
  private Future<OutboxEntry> claimed(Reply template) {
    return fx.stage(stores.turns(), template)
      .compose(r -> stores.outbox().claim(r.subscriberId(), "node-a"))
      .map(e -> e.orElseThrow());
  }

  private static List<ManyChatCall> calls(OutboxEntry e) {
    return new DynamicBlockBuilder().build(e.reply(), PushFixture.FLOW);
  }

  private Future<Result> send(Sender sender, OutboxEntry e) {
    return sender.send(e, calls(e), announced::add);
  }

  private static Reply reply(int messages, Map<String, String> fields, List<String> addTags) {
    List<OutMessage> texts = IntStream.rangeClosed(1, messages).mapToObj(i -> OutMessage.text("Текст " + i)).toList();
    return new Reply(SUB, "t1", Channel.INSTAGRAM, texts, List.of(), "STATE_2_OFFER", "product", fields, addTags,
      List.of(), "trace-t1");
  }

  private static Reply simple() {
    return reply(1, Map.of(), List.of());
  }

  /** One message and seven actions: five ride on the sendContent call, two fields go through setCustomFields. */
  private static Reply withOverflow() {
    Map<String, String> fields = new LinkedHashMap<>();
    List.of("f1", "f2", "f3", "f4").forEach(f -> fields.put(f, "v"));
    return reply(1, fields, List.of());
  }

  private static JsonArray json(List<ManyChatCall> calls) {
    JsonArray out = new JsonArray();
    calls.forEach(c -> out.add(c.toJson()));
    return out;
  }

  @Test
  void everyAcceptedCallIsRecordedAndAnnouncedBeforeTheNext(VertxTestContext ctx) {
    long started = System.nanoTime();
    onLoop(vertx, () -> {
      Sender sender = sender();
      claimed(reply(15, Map.of(), List.of())).compose(e -> send(sender, e))
        .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
          assertThat(res).isEqualTo(Result.of(Kind.DELIVERED));
          assertThat(outbox.accepted).containsExactly(1, 2);
          assertThat(announced).containsExactly(1, 2);
          assertThat(manychat.requests()).extracting(PushFixture::firstText).containsExactly("Текст 1", "Текст 11");
          Timer latency = registry.get("mirt.push.call.latency").tag("endpoint", "sendContent").timer();
          assertThat(latency.count()).isEqualTo(2);
          assertThat(latency.max(TimeUnit.MILLISECONDS)).as("no call took longer than the test").isPositive()
            .isLessThanOrEqualTo((System.nanoTime() - started) / 1e6);
          assertThat(count(registry, "mirt.push.calls", "endpoint", "sendContent", "result", "ok")).isEqualTo(2);
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aResumedAttemptSendsOnlyTheCallsAfterTheAcceptedOnes(VertxTestContext ctx) {
    onLoop(vertx, () -> {
      Sender sender = sender();
      claimed(reply(25, Map.of(), List.of()))
        .map(e -> new OutboxEntry(e.reply(), 2, 0, 0, e.storedAt(), e.lastInboundAt(), e.claim()))
        .compose(e -> send(sender, e))
        .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
          assertThat(res.kind()).isEqualTo(Kind.DELIVERED);
          assertThat(manychat.requests()).extracting(PushFixture::firstText).containsExactly("Текст 21");
          assertThat(outbox.accepted).containsExactly(3);
          ctx.completeNow();
        })));
    });
  }

  @Test
  void whenTheVerticleStopsTheAttemptEndsBetweenCalls(VertxTestContext ctx) {
    onLoop(vertx, () -> {
      Sender sender = sender();
      claimed(reply(15, Map.of(), List.of()))
        .compose(e -> sender.send(e, calls(e), n -> stopping.set(true)))
        .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
          assertThat(res).isEqualTo(Result.of(Kind.STOPPED));
          assertThat(manychat.requests()).hasSize(1);
          assertThat(outbox.accepted).containsExactly(1);
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aLostClaimEndsTheAttemptAfterTheAcceptedCall(VertxTestContext ctx) {
    onLoop(vertx, () -> {
      Sender sender = sender();
      outbox.loseClaims.set(1);
      claimed(reply(15, Map.of(), List.of())).compose(e -> send(sender, e))
        .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
          assertThat(res).isEqualTo(Result.of(Kind.LOST));
          assertThat(manychat.requests()).hasSize(1);
          assertThat(announced).isEmpty();
          assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN reply for subscriber " + SUB)
            && l.endsWith("call 1/2 was accepted but the claim was lost; the reply resumes when its lease ends and "
            + "this call may be sent again"));
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aReplyPastItsMaximumAgeWhoseMessagesBeganToGoOutIsDeliveredWithTheRestDeadLettered(VertxTestContext ctx) {
    onLoop(vertx, () -> {
      Sender sender = sender();
      claimed(reply(25, Map.of(), List.of()))
        .map(e -> new OutboxEntry(e.reply(), 1, 2, 0, e.storedAt(), e.lastInboundAt(), e.claim()))
        .compose(e -> {
          frozen.set(e.storedAt() + 3_600_000 + 1);
          return send(sender, e).map(res -> Map.entry(e, res));
        })
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          Result res = out.getValue();
          // The first sendContent went out in an earlier attempt: the customer has the start of the answer.
          assertThat(res.kind()).isEqualTo(Kind.DELIVERED);
          assertThat(res.partial()).isTrue();
          assertThat(res.deadLetter().code()).isEqualTo("max_age");
          assertThat(res.deadLetter().reason())
            .isEqualTo("delivered without some actions or calls: not delivered within 3600 s of being stored");
          assertThat(res.deadLetter().source()).isEqualTo("push");
          assertThat(res.deadLetter().turnId()).isEqualTo(out.getKey().turnId());
          List<ManyChatCall> all = calls(out.getKey());
          assertThat(res.deadLetter().payload().getJsonArray("calls")).isEqualTo(json(all.subList(1, 3)));
          assertThat(res.deadLetter().payload().getJsonObject("reply")).isEqualTo(out.getKey().reply().toJson());
          assertThat(manychat.requests()).isEmpty();
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aReplyExactlyAtItsMaximumAgeIsStillSent(VertxTestContext ctx) {
    onLoop(vertx, () -> {
      Sender sender = sender();
      claimed(simple())
        .compose(e -> {
          frozen.set(e.storedAt() + 3_600_000);
          return send(sender, e);
        })
        .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
          assertThat(res.kind()).isEqualTo(Kind.DELIVERED);
          assertThat(manychat.requests()).hasSize(1);
          ctx.completeNow();
        })));
    });
  }

  @Test
  void theWindowClosesOnlyAfterTwentyFourHoursAndOnlyWhenTheLastMessageIsKnown(VertxTestContext ctx) {
    onLoop(vertx, () -> {
      Sender sender = sender(new JsonObject().put("delivery.max-age-seconds", 200_000));
      claimed(simple()).compose(e -> {
        long last = e.lastInboundAt();
        ctx.verify(() -> assertThat(last).isPositive());
        frozen.set(last + Sender.WINDOW_MS);
        return sender.call(e, calls(e).get(0)).compose(edge -> {
          frozen.set(last + Sender.WINDOW_MS + 1);
          return sender.call(e, calls(e).get(0)).compose(closed -> {
            OutboxEntry unknown = new OutboxEntry(e.reply(), 0, 0, 0, e.storedAt(), 0, e.claim());
            frozen.set(last + Sender.WINDOW_MS * 10);
            return sender.call(unknown, calls(e).get(0)).map(u -> List.of(edge, closed, u));
          });
        });
      }).onComplete(ctx.succeeding(results -> ctx.verify(() -> {
        assertThat(results.get(0).outcome()).as("24 h to the ms").isEqualTo(Outcome.OK);
        CallResult closed = results.get(1);
        assertThat(closed.outcome()).isEqualTo(Outcome.WINDOW_CLOSED);
        assertThat(closed.code()).isEqualTo("window_closed");
        assertThat(closed.reason()).isEqualTo("the customer's last message is 24 h old; ManyChat takes automated "
          + "messages only within 24 h of it (not sent)");
        assertThat(results.get(2).outcome()).as("last message unknown").isEqualTo(Outcome.OK);
        assertThat(manychat.requests()).hasSize(2);
        assertThat(count(registry, "mirt.push.calls", "endpoint", "sendContent", "result", "window_closed"))
          .isEqualTo(1);
        ctx.completeNow();
      })));
    });
  }

  @Test
  void theWindowDoesNotApplyToFieldAndTagWrites(VertxTestContext ctx) {
    onLoop(vertx, () -> {
      Sender sender = sender(new JsonObject().put("delivery.max-age-seconds", 200_000));
      claimed(withOverflow()).compose(e -> {
        frozen.set(e.lastInboundAt() + Sender.WINDOW_MS * 2);
        return sender.call(e, calls(e).get(1));
      }).onComplete(ctx.succeeding(res -> ctx.verify(() -> {
        assertThat(res.outcome()).isEqualTo(Outcome.OK);
        assertThat(manychat.requests()).extracting(RecordedRequest::path)
          .containsExactly(DynamicBlockBuilder.SET_CUSTOM_FIELDS);
        ctx.completeNow();
      })));
    });
  }

  @Test
  void aFieldWriteNamingAnUnknownFieldIsDroppedAndTheReplyGoesOn(VertxTestContext ctx) {
    manychat.inject(Fault.delay(1)).inject(Fault.status(400, UNKNOWN_FIELD));
    onLoop(vertx, () -> {
      Sender sender = sender();
      Reply r = new Reply(SUB, "t1", Channel.INSTAGRAM, List.of(OutMessage.text("Вітаю")), List.of(), "S", "i",
        Map.of("f1", "v", "f2", "v", "f3", "v"), List.of("vip"), List.of(), "trace-t1");
      claimed(r).compose(e -> send(sender, e).map(res -> Map.entry(e, res)))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          Result res = out.getValue();
          List<ManyChatCall> all = calls(out.getKey());
          assertThat(all).extracting(ManyChatCall::path).containsExactly(DynamicBlockBuilder.SEND_CONTENT,
            DynamicBlockBuilder.SET_CUSTOM_FIELDS, DynamicBlockBuilder.ADD_TAG);
          assertThat(res.kind()).isEqualTo(Kind.DELIVERED);
          assertThat(res.deadLetter()).as("recorded at once, not with the outcome").isNull();
          assertThat(registry.get("mirt.push.dead.letters").tag("reason", "unknown_field").counter().count())
            .isEqualTo(1);
          assertThat(stores.deadLetters().recent(10).result()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("unknown_field");
            assertThat(d.reason()).startsWith("delivered without some actions: ")
              .contains("Custom field 'f3' not found");
            assertThat(d.payload().getJsonArray("calls")).isEqualTo(json(all.subList(1, 2)));
          });
          assertThat(registry.get("mirt.push.partial").tag("reason", "unknown_field").counter().count())
            .isEqualTo(1);
          assertThat(manychat.requests()).extracting(RecordedRequest::path).containsExactly(
            DynamicBlockBuilder.SEND_CONTENT, DynamicBlockBuilder.SET_CUSTOM_FIELDS, DynamicBlockBuilder.ADD_TAG);
          assertThat(outbox.accepted).containsExactly(1, 2, 3);
          assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN ManyChat refused setCustomFields for subscriber "
            + SUB));
          ctx.completeNow();
        })));
    });
  }

  @Test
  void messagesRefusedAgainWithoutTheirActionsAreDeadWithTheActionsAndTheCall(VertxTestContext ctx) {
    manychat.inject(Fault.status(400, UNKNOWN_FIELD), 2);
    onLoop(vertx, () -> {
      Sender sender = sender();
      claimed(simple()).compose(e -> send(sender, e).map(res -> Map.entry(e, res)))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          Result res = out.getValue();
          ManyChatCall call = calls(out.getKey()).get(0);
          assertThat(res.kind()).isEqualTo(Kind.DEAD);
          assertThat(res.deadLetter().code()).isEqualTo("unknown_field");
          assertThat(res.deadLetter().payload().getJsonArray("calls")).isEqualTo(json(List.of(call)));
          // The actions were dead-lettered on their own when the messages went again without them.
          assertThat(stores.deadLetters().recent(10).result()).singleElement().satisfies(d ->
            assertThat(d.payload().getJsonArray("calls")).isEqualTo(json(DynamicBlockBuilder.actionCalls(call))));
          List<RecordedRequest> requests = manychat.requests();
          assertThat(requests).hasSize(2);
          assertThat(PushFixture.content(requests.get(1)).containsKey("actions")).isFalse();
          assertThat(outbox.accepted).isEmpty();
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aSendContentWithoutActionsRefusedForAFieldIsNotSentAgain(VertxTestContext ctx) {
    manychat.inject(Fault.delay(1)).inject(Fault.status(400, UNKNOWN_FIELD));
    onLoop(vertx, () -> {
      Sender sender = sender();
      claimed(reply(15, Map.of(), List.of())).compose(e -> send(sender, e).map(res -> Map.entry(e, res)))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          Result res = out.getValue();
          List<ManyChatCall> all = calls(out.getKey());
          assertThat(PushFixture.content(manychat.requests().get(1)).containsKey("actions")).isFalse();
          assertThat(manychat.requests()).hasSize(2);
          // The customer has the first ten messages: the rest is dropped, the reply counts as delivered.
          assertThat(res.kind()).isEqualTo(Kind.DELIVERED);
          assertThat(res.partial()).isTrue();
          assertThat(res.deadLetter().payload().getJsonArray("calls")).isEqualTo(json(all.subList(1, 2)));
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aRefusalBeforeTheCustomerGotAnythingIsDeadWithEveryCall(VertxTestContext ctx) {
    manychat.inject(Fault.status(400, "{\"status\":\"error\",\"message\":\"Bad request\"}"));
    onLoop(vertx, () -> {
      Sender sender = sender();
      claimed(withOverflow()).compose(e -> send(sender, e).map(res -> Map.entry(e, res)))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          Result res = out.getValue();
          assertThat(res.kind()).isEqualTo(Kind.DEAD);
          assertThat(res.partial()).isFalse();
          assertThat(res.decision().action()).isEqualTo(RetryRule.Action.DEAD);
          assertThat(res.deadLetter().code()).isEqualTo("http_400");
          assertThat(res.deadLetter().reason()).isEqualTo("ManyChat refused the call (http_400): Bad request");
          assertThat(res.deadLetter().payload().getJsonArray("calls")).isEqualTo(json(calls(out.getKey())));
          assertThat(manychat.requests()).hasSize(1);
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aRefusalAfterTheCustomerGotTheMessagesDropsTheRestAndCountsAsDelivered(VertxTestContext ctx) {
    manychat.inject(Fault.delay(1)).inject(Fault.status(400, "{\"status\":\"error\",\"message\":\"Bad request\"}"));
    onLoop(vertx, () -> {
      Sender sender = sender();
      Reply r = new Reply(SUB, "t1", Channel.INSTAGRAM, List.of(OutMessage.text("Вітаю")), List.of(), "S", "i",
        Map.of("f1", "v", "f2", "v", "f3", "v"), List.of("vip"), List.of(), "trace-t1");
      claimed(r).compose(e -> send(sender, e).map(res -> Map.entry(e, res)))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          Result res = out.getValue();
          List<ManyChatCall> all = calls(out.getKey());
          assertThat(res.kind()).isEqualTo(Kind.DELIVERED);
          assertThat(res.partial()).isTrue();
          assertThat(res.deadLetter().code()).isEqualTo("http_400");
          assertThat(res.deadLetter().payload().getJsonArray("calls")).isEqualTo(json(all.subList(1, 3)));
          assertThat(manychat.requests()).hasSize(2);
          ctx.completeNow();
        })));
    });
  }

  @Test
  void tooManyRequestsPausesEveryCallForRetryAfterOrASecond(VertxTestContext ctx) {
    String body = "{\"status\":\"error\",\"message\":\"Too many requests\"}";
    manychat.inject(Fault.status(429, body).withHeader("Retry-After", "0")).inject(Fault.status(429, body));
    PushLog throttleLog = PushLog.of(Throttle.class);
    onLoop(vertx, () -> {
      Sender sender = sender();
      claimed(simple())
        .compose(e -> send(sender, e).compose(first -> send(sender, e).map(second -> List.of(first, second))))
        .eventually(() -> {
          throttleLog.close();
          return Future.succeededFuture();
        })
        .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
          assertThat(results).allSatisfy(res -> {
            assertThat(res.kind()).isEqualTo(Kind.RETRY);
            assertThat(res.decision().code()).isEqualTo("http_429");
            assertThat(res.decision().attempts()).isEqualTo(1);
          });
          assertThat(throttleLog.lines()).containsExactly("WARN ManyChat asked to slow down: no call for 0 ms",
            "WARN ManyChat asked to slow down: no call for " + Sender.DEFAULT_RATE_PAUSE_MS + " ms");
          assertThat(count(registry, "mirt.push.retries", "reason", "http_429")).isEqualTo(2);
          ctx.completeNow();
        })));
    });
  }

  @Test
  void anOpenBreakerHoldsTheReplyWithoutACallOrAnAttempt(VertxTestContext ctx) {
    manychat.inject(Fault.status(500, SERVER_ERROR));
    onLoop(vertx, () -> {
      Sender sender = sender(new JsonObject().put("push.breaker-max-failures", 1)
        .put("push.breaker-reset-ms", 60_000));
      claimed(simple())
        .compose(e -> send(sender, e).compose(first -> send(sender, e).map(second -> List.of(first, second))))
        .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
          Result failed = results.get(0);
          assertThat(failed.kind()).isEqualTo(Kind.RETRY);
          assertThat(failed.decision().attempts()).isEqualTo(1);
          assertThat(failed.decision().code()).isEqualTo("http_500");
          Result held = results.get(1);
          assertThat(held.kind()).isEqualTo(Kind.RETRY);
          assertThat(held.decision().attempts()).as("a hold is no attempt").isZero();
          assertThat(held.decision().code()).isEqualTo("breaker_open");
          assertThat(held.decision().delayMs()).isBetween(50_000L, 60_000L);
          assertThat(manychat.requests()).hasSize(1);
          assertThat(count(registry, "mirt.push.retries", "reason", "http_500")).isEqualTo(1);
          assertThat(count(registry, "mirt.push.retries", "reason", "breaker_open")).isZero();
          assertThat(count(registry, "mirt.push.calls", "endpoint", "sendContent", "result", "breaker_open"))
            .isEqualTo(1);
          assertThat(count(registry, "mirt.push.possible.duplicates")).isZero();
          assertThat(registry.get("mirt.push.call.latency").timer().count()).as("only real calls are timed")
            .isEqualTo(1);
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aTimedOutSendContentIsRetriedOnceAndCountedAsAPossibleDuplicate(VertxTestContext ctx) {
    manychat.inject(Fault.hang());
    onLoop(vertx, () -> {
      Sender sender = sender(new JsonObject().put("manychat.timeout-ms", 300));
      claimed(simple()).compose(e -> send(sender, e))
        .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
          assertThat(res.kind()).isEqualTo(Kind.RETRY);
          assertThat(res.decision().timeouts()).isEqualTo(1);
          assertThat(res.decision().attempts()).isEqualTo(1);
          assertThat(count(registry, "mirt.push.possible.duplicates")).isEqualTo(1);
          assertThat(count(registry, "mirt.push.retries", "reason", "timeout")).isEqualTo(1);
          assertThat(log.lines()).contains("WARN ManyChat call sendContent for subscriber " + SUB + " turn "
            + fx.turnIds.get("t1") + " timed out: it may have been delivered; sending it once more");
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aRateLimiterThatDoesNotAnswerHoldsTheReplyWithoutACall(VertxTestContext ctx) {
    RateLimiter down = new RateLimiter() {
      @Override
      public Future<Long> take(String bucket, long intervalMs) {
        return Future.failedFuture("connection refused");
      }

      @Override
      public Future<Void> pause(String bucket, long ms) {
        return Future.failedFuture("connection refused");
      }
    };
    onLoop(vertx, () -> {
      Sender sender = sender(new JsonObject(), r -> down);
      claimed(simple()).compose(e -> send(sender, e))
        .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
          assertThat(res.kind()).isEqualTo(Kind.RETRY);
          assertThat(res.decision().code()).isEqualTo("rate_limiter");
          assertThat(res.decision().reason()).isEqualTo("the rate limiter's store did not answer: connection refused");
          assertThat(res.decision().delayMs()).isEqualTo(RetryRule.MIN_HOLD_MS);
          assertThat(res.decision().attempts()).isZero();
          assertThat(manychat.requests()).isEmpty();
          assertThat(count(registry, "mirt.push.calls", "endpoint", "sendContent", "result", "not_sent"))
            .isEqualTo(1);
          ctx.completeNow();
        })));
    });
  }

  @Test
  void aManagersRetryCallSkipsTheWindowButNotTheBreaker(VertxTestContext ctx) {
    manychat.inject(Fault.status(500, SERVER_ERROR));
    onLoop(vertx, () -> {
      Sender sender = sender(new JsonObject().put("push.breaker-max-failures", 1));
      ManyChatCall call = new ManyChatCall(DynamicBlockBuilder.ADD_TAG,
        new JsonObject().put("subscriber_id", 5000001).put("tag_name", "vip"));
      sender.call(call).compose(first -> sender.call(call).map(second -> List.of(first, second)))
        .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
          assertThat(results.get(0).outcome()).isEqualTo(Outcome.FAILED);
          assertThat(results.get(1).outcome()).isEqualTo(Outcome.BREAKER_OPEN);
          assertThat(manychat.requests()).extracting(RecordedRequest::path)
            .containsExactly(DynamicBlockBuilder.ADD_TAG);
          ctx.completeNow();
        })));
    });
  }
}
