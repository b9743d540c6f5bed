package ai.mirt.push;

import ai.mirt.common.Addresses;
import ai.mirt.common.Channel;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.state.DeadLetter;
import ai.mirt.state.OutboxStore;
import ai.mirt.state.Stores;
import ai.mirt.testkit.FakeManyChat;
import ai.mirt.testkit.FakeServer.Fault;
import ai.mirt.testkit.ManyChatValidator;
import ai.mirt.testkit.Poll;
import ai.mirt.testkit.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static ai.mirt.push.PushFixture.count;
import static ai.mirt.push.PushFixture.onLoop;
import static ai.mirt.push.PushFixture.texts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Response mode as push sees it: a reply whose customer's webhook request is held is offered to the webhook verticle
 * that holds it (a stand-in consumer here, which records the offers and answers as the test says), and what follows
 * from its answer: no API call, the rest through the API or dropped, the whole reply through the API, a dead letter
 * {@code deadline}, or the claim given back for the holder's own push.
 */
@ExtendWith(VertxExtension.class)
class ResponseRouteTest {

  private static final String A = "7000001";
  private static final String HOLDER = Addresses.response("web-1.test");
  private static final String SERVER_ERROR = "{\"status\":\"error\",\"message\":\"Internal error\"}";

  private static ManyChatValidator validator;

  private Vertx vertx;
  private FakeManyChat manychat;
  private PushFixture fx;
  private PushLog log;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Stores stores;
  private ScriptedOutbox outbox;
  private String redisPrefix;
  /** Every block offered to the holder, as the holder received it. */
  private final List<JsonObject> offers = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void loadValidator() {
    validator = ManyChatValidator.load();
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
  void tearDown(VertxTestContext ctx) {
    log.close();
    // Whatever went to ManyChat must be valid, whichever path it took.
    manychat.requests().forEach(r -> validator.assertValid(r.path(), r.json()));
    Future<Void> closed = stores == null ? Future.succeededFuture() : stores.close();
    closed.compose(v -> redisPrefix == null ? Future.succeededFuture() : TestRedis.deleteAll(vertx, redisPrefix))
      .onComplete(ctx.succeedingThenComplete());
  }

  /** The webhook that holds the request: records each offer and answers with what {@code answer} makes of it. */
  private MessageConsumer<JsonObject> holder(Consumer<Message<JsonObject>> answer) {
    return vertx.eventBus().<JsonObject>consumer(HOLDER, m -> {
      offers.add(m.body());
      answer.accept(m);
    });
  }

  private MessageConsumer<JsonObject> holder(boolean delivered) {
    return holder(m -> m.reply(new JsonObject().put("delivered", delivered)));
  }

  private MirtConfig config(JsonObject overrides) {
    return MirtConfig.fromJson(fx.config(new JsonObject().put("manychat.push-mode", false).mergeIn(overrides)));
  }

  /** A push verticle in response mode over memory, or Redis when the overrides name it. */
  private Future<Stores> deploy(JsonObject overrides) {
    MirtConfig cfg = config(overrides);
    stores = cfg.state().redis() ? Stores.redis(vertx, cfg, registry) : Stores.memory(cfg);
    outbox = new ScriptedOutbox(stores.outbox());
    return fx.deploy(stores, outbox, cfg.toJson(), "node-a", registry).map(stores);
  }

  private JsonObject onRedis() {
    redisPrefix = TestRedis.uniquePrefix();
    return new JsonObject().put("redis.url", TestRedis.URL).put("redis.prefix", redisPrefix);
  }

  private static JsonObject keyless() {
    return new JsonObject().put("manychat.api-key", "");
  }

  private static Reply held(String name, List<OutMessage> messages, Map<String, String> fields, List<String> addTags,
                            List<String> removeTags) {
    return new Reply(A, name, Channel.INSTAGRAM, messages, List.of("Так", "Ні"), "STATE_1_DISCOVERY", "greeting",
      fields, addTags, removeTags, "trace-" + name, HOLDER);
  }

  private static Reply held(String name, String text) {
    return held(name, List.of(OutMessage.text(text)), Map.of(), List.of(), List.of());
  }

  private static List<OutMessage> numbered(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> OutMessage.text("Повідомлення " + i)).toList();
  }

  /** Twelve messages and fourteen actions: the block carries 10 and 5, a second sendContent 2 and 5, the rest 4. */
  private static Reply overflowing(String name) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 1; i <= 8; i++) {
      fields.put("f" + i, "v" + i);
    }
    return held(name, numbered(12), fields, List.of("lead", "hot"), List.of("cold"));
  }

  private static JsonObject block(JsonObject offer) {
    return offer.getJsonObject("block");
  }

  private static JsonObject content(JsonObject block) {
    return block.getJsonObject("content");
  }

  private Future<List<DeadLetter>> deadLetters() {
    return stores.deadLetters().recent(10);
  }

  private Future<Integer> inFlight() {
    return stores.turns().stats().map(s -> s.inFlight());
  }

  // ---- answered ----

  @Test
  void aHeldRequestIsAnsweredWithTheBlockAndManyChatGetsNoCall(VertxTestContext ctx) {
    holder(true);
    deploy(new JsonObject())
      .compose(s -> fx.push(s.turns(), held("a", "Вітаю! Чим допомогти?")))
      .compose(v -> fx.completion("a"))
      .compose(done -> Future.all(deadLetters(), stores.outbox().pending(), inFlight()).map(all -> {
        ctx.verify(() -> {
          assertThat(done.getString("status")).isEqualTo("responded");
          assertThat(offers).singleElement().satisfies(o -> {
            assertThat(o.getString("subscriberId")).isEqualTo(A);
            assertThat(o.getString("turnId")).isEqualTo(fx.turnIds.get("a"));
            assertThat(o.getString("traceId")).isEqualTo("trace-a");
            assertThat(validator.dynamicBlockViolations(block(o))).isEmpty();
            assertThat(content(block(o)).getJsonArray("messages").getJsonObject(0).getString("text"))
              .isEqualTo("Вітаю! Чим допомогти?");
            assertThat(content(block(o)).getJsonArray("quick_replies")).hasSize(2);
            assertThat(content(block(o)).getJsonArray("actions").encode()).contains("ai_responded");
          });
          assertThat(done.getJsonObject("response")).isEqualTo(block(offers.get(0)));
          assertThat(done.containsKey("dropped")).isFalse();
          assertThat(done.getJsonArray("calls")).hasSize(1);
          assertThat(manychat.requests()).isEmpty();
          assertThat(all.<List<DeadLetter>>resultAt(0)).isEmpty();
          assertThat(all.<Integer>resultAt(1)).as("replies left").isZero();
          assertThat(all.<Integer>resultAt(2)).as("the subscriber is free").isZero();
          assertThat(count(registry, "mirt.push.response.offers", "result", "answered")).isEqualTo(1);
          assertThat(outbox.accepted).as("the block is recorded as accepted").contains(1);
          assertThat(log.has("INFO reply for subscriber " + A + " turn " + fx.turnIds.get("a")
            + " answered its webhook request")).isTrue();
          assertThat(log.has("INFO reply for subscriber " + A + " turn " + fx.turnIds.get("a") + " (trace trace-a) "
            + "went out as the answer to its webhook request, with 1 calls in all")).isTrue();
          assertThat(registry.find("mirt.push.delivery").tag("outcome", "responded").timer()).isNotNull();
        });
        return null;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aReplyWithoutMessagesStillAnswersItsRequestWithAnEmptyBlockAndItsTag(VertxTestContext ctx) {
    holder(true);
    Reply silent = new Reply(A, "a", Channel.INSTAGRAM, List.of(), List.of(), null, null, Map.of(),
      List.of("needs_human"), List.of(), "trace-a", HOLDER);
    deploy(new JsonObject())
      .compose(s -> fx.push(s.turns(), silent))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("responded");
        JsonObject block = block(offers.get(0));
        assertThat(validator.dynamicBlockViolations(block)).isEmpty();
        assertThat(content(block).getJsonArray("messages")).isEmpty();
        assertThat(content(block).getJsonArray("actions")).containsExactly(
          new JsonObject().put("action", "add_tag").put("tag_name", "needs_human"));
        assertThat(manychat.requests()).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void whatTheBlockCannotCarryGoesThroughTheApiAfterTheAnswerWithAKey(VertxTestContext ctx) {
    holder(true);
    deploy(new JsonObject())
      .compose(s -> fx.push(s.turns(), overflowing("a")))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("responded");
        JsonObject block = block(offers.get(0));
        assertThat(validator.dynamicBlockViolations(block)).isEmpty();
        assertThat(content(block).getJsonArray("messages")).hasSize(10);
        assertThat(content(block).getJsonArray("actions")).hasSize(5);
        List<RecordedRequest> sent = manychat.requests();
        assertThat(sent).extracting(RecordedRequest::path).containsExactly(FakeManyChat.SEND_CONTENT,
          DynamicBlockBuilder.SET_CUSTOM_FIELDS, DynamicBlockBuilder.ADD_TAG, DynamicBlockBuilder.ADD_TAG,
          DynamicBlockBuilder.REMOVE_TAG);
        assertThat(texts(sent.get(0))).containsExactly("Повідомлення 11", "Повідомлення 12");
        assertThat(sent.get(0).json().getJsonObject("data").getJsonObject("content").getJsonArray("actions"))
          .hasSize(5);
        assertThat(done.getJsonArray("calls")).hasSize(6);
        assertThat(done.getJsonObject("response")).isEqualTo(block);
        assertThat(count(registry, "mirt.push.response.dropped", "kind", "message")).isZero();
        assertThat(outbox.accepted).startsWith(1);
        ctx.completeNow();
      })));
  }

  @Test
  void whatTheBlockCannotCarryIsDroppedAndCountedWithoutAKey(VertxTestContext ctx) {
    holder(true);
    deploy(keyless())
      .compose(s -> fx.push(s.turns(), overflowing("a")))
      .compose(v -> fx.completion("a"))
      .compose(done -> deadLetters().map(dead -> {
        ctx.verify(() -> {
          assertThat(done.getString("status")).isEqualTo("responded");
          assertThat(manychat.requests()).isEmpty();
          assertThat(done.getJsonArray("dropped")).hasSize(5);
          assertThat(done.getJsonArray("dropped").getJsonObject(0).getString("path"))
            .isEqualTo(DynamicBlockBuilder.SEND_CONTENT);
          assertThat(count(registry, "mirt.push.response.dropped", "kind", "message")).isEqualTo(2);
          // Five on the second block, then one field and three tags through their endpoints.
          assertThat(count(registry, "mirt.push.response.dropped", "kind", "action")).isEqualTo(9);
          assertThat(dead).as("dropped, not dead-lettered").isEmpty();
          assertThat(log.has("WARN reply for subscriber " + A + " turn " + fx.turnIds.get("a")
            + " answered its webhook request without 2 message(s) and 9 action(s)")).isTrue();
          assertThat(log.has("INFO reply for subscriber " + A + " turn " + fx.turnIds.get("a")
            + " (trace trace-a) went out as the answer to its webhook request")).isTrue();
          assertThat(log.lines()).noneMatch(l -> l.contains("calls in all"));
        });
        return null;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aReplyAnsweredWithoutAKeyAndWithoutOverflowDropsNothing(VertxTestContext ctx) {
    holder(true);
    deploy(keyless())
      .compose(s -> fx.push(s.turns(), held("a", "Так, є")))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("responded");
        assertThat(done.containsKey("dropped")).isFalse();
        assertThat(registry.find("mirt.push.response.dropped").counters()).isEmpty();
        assertThat(log.lines()).noneMatch(l -> l.startsWith("WARN"));
        ctx.completeNow();
      })));
  }

  // ---- not answered ----

  @Test
  void aRequestThatNoLongerWaitsWithAKeyMeansTheWholeReplyGoesThroughTheApi(VertxTestContext ctx) {
    holder(false);
    deploy(new JsonObject())
      .compose(s -> fx.push(s.turns(), overflowing("a")))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("delivered");
        assertThat(done.containsKey("response")).isFalse();
        List<RecordedRequest> sent = manychat.requests();
        assertThat(sent).hasSize(6);
        assertThat(sent.get(0).json().getJsonObject("data")).as("the block offered first")
          .isEqualTo(block(offers.get(0)));
        assertThat(texts(sent.get(1))).containsExactly("Повідомлення 11", "Повідомлення 12");
        assertThat(count(registry, "mirt.push.response.offers", "result", "gone")).isEqualTo(1);
        assertThat(log.has("INFO no webhook request of subscriber " + A + " waits for the reply of turn "
          + fx.turnIds.get("a") + " any more")).isTrue();
        ctx.completeNow();
      })));
  }

  @Test
  void aRequestThatNoLongerWaitsWithoutAKeyIsADeadLetterDeadlineAndTheTurnCompletes(VertxTestContext ctx) {
    holder(false);
    deploy(keyless())
      .compose(s -> fx.push(s.turns(), held("a", "Вже відповідаю")))
      .compose(v -> fx.completion("a"))
      .compose(done -> Future.all(deadLetters(), inFlight()).map(all -> {
        ctx.verify(() -> {
          assertThat(done.getString("status")).isEqualTo("dead-lettered");
          assertThat(done.getString("reason")).contains("deadline passed or connection closed")
            .contains("MANYCHAT_API_KEY");
          assertThat(all.<List<DeadLetter>>resultAt(0)).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo(ResponseRoute.DEADLINE);
            assertThat(d.source()).isEqualTo("push");
            assertThat(d.subscriberId()).isEqualTo(A);
            assertThat(d.turnId()).isEqualTo(fx.turnIds.get("a"));
            assertThat(d.payload().getJsonObject("reply").getString("replyTo")).isEqualTo(HOLDER);
            assertThat(PushFixture.calls(d.payload())).hasSize(1);
          });
          assertThat(all.<Integer>resultAt(1)).as("the subscriber is free").isZero();
          assertThat(count(registry, "mirt.push.dead.letters", "reason", "deadline")).isEqualTo(1);
          assertThat(manychat.requests()).isEmpty();
        });
        return null;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aHolderThatFailsTheOfferCountsAsNotAnswered(VertxTestContext ctx) {
    holder(m -> m.fail(500, "broken"));
    deploy(new JsonObject())
      .compose(s -> fx.push(s.turns(), held("a", "Ось")))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("delivered");
        assertThat(manychat.requests(FakeManyChat.SEND_CONTENT)).hasSize(1);
        assertThat(log.has("WARN offering the reply for subscriber " + A + " turn " + fx.turnIds.get("a")
          + " to its webhook request failed: broken")).isTrue();
        ctx.completeNow();
      })));
  }

  @Test
  void aHolderThatAnswersSomethingElseCountsAsNotAnswered(VertxTestContext ctx) {
    holder(m -> m.reply("yes"));
    deploy(keyless())
      .compose(s -> fx.push(s.turns(), held("a", "Ось")))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("dead-lettered");
        assertThat(offers).hasSize(1);
        ctx.completeNow();
      })));
  }

  // ---- nobody listens on the holder's address ----

  @Test
  void inAClusterAHolderNobodyListensForIsGoneAndTheApiTakesTheReply(VertxTestContext ctx) {
    deploy(new JsonObject().put("cluster.enabled", true))
      .compose(s -> fx.push(s.turns(), held("a", "Ось")))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("delivered");
        assertThat(manychat.requests(FakeManyChat.SEND_CONTENT)).hasSize(1);
        assertThat(outbox.retries).as("never given back").isEmpty();
        assertThat(count(registry, "mirt.push.response.offers", "result", "gone")).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void inAClusterOnRedisAHolderNobodyListensForIsGoneAtOnce(VertxTestContext ctx) {
    deploy(onRedis().put("cluster.enabled", true).mergeIn(keyless()))
      .compose(s -> fx.push(s.turns(), held("a", "Ось")))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("dead-lettered");
        assertThat(outbox.retries).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void inMemoryAHolderNobodyListensForIsGoneAtOnceForNoOtherProcessSharesTheStore(VertxTestContext ctx) {
    deploy(keyless())
      .compose(s -> fx.push(s.turns(), held("a", "Ось")))
      .compose(v -> fx.completion("a"))
      .compose(done -> deadLetters().map(dead -> {
        ctx.verify(() -> {
          assertThat(done.getString("status")).isEqualTo("dead-lettered");
          assertThat(dead).singleElement().satisfies(d -> assertThat(d.code()).isEqualTo("deadline"));
          assertThat(outbox.retries).isEmpty();
        });
        return null;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void withoutAClusterOnRedisTheClaimIsGivenBackUntilTheHoldersOwnPushTakesIt(VertxTestContext ctx) {
    deploy(onRedis().mergeIn(keyless()))
      .compose(s -> fx.push(s.turns(), held("a", "Ось")))
      .compose(v -> Poll.until(vertx, () -> outbox.retries.size() >= 2 ? Boolean.TRUE : null, PushFixture.WAIT,
        "the claim to be given back twice"))
      .compose(v -> {
        // The holder's push: here the same event bus, which now has the holder.
        holder(true);
        return fx.completion("a");
      })
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("responded");
        assertThat(offers).hasSize(1);
        assertThat(outbox.retries).allSatisfy(r -> assertThat(r).as("own counts, one sweep").isEqualTo("0/0@50"));
        assertThat(count(registry, "mirt.push.response.offers", "result", "elsewhere"))
          .isEqualTo(outbox.retries.size());
        assertThat(manychat.requests()).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void withoutAClusterOnRedisAReplyOlderThanTheDeadlineFindsNoRequestAnyMore(VertxTestContext ctx) {
    long[] staged = new long[1];
    deploy(onRedis().mergeIn(keyless()).put("response-mode.deadline-seconds", 1))
      .compose(s -> {
        staged[0] = System.currentTimeMillis();
        return fx.push(s.turns(), held("a", "Ось"));
      })
      .compose(v -> fx.completion("a"))
      .compose(done -> deadLetters().map(dead -> {
        ctx.verify(() -> {
          assertThat(done.getString("status")).isEqualTo("dead-lettered");
          assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("deadline");
            assertThat(d.at() - staged[0]).as("given back until the deadline had passed").isGreaterThanOrEqualTo(1_000);
          });
          assertThat(outbox.retries).isNotEmpty();
        });
        return null;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  // ---- claimed again ----

  @Test
  void aReplyClaimedAgainAfterItsAnswerResumesWithTheRestAndIsNotOfferedAgain(VertxTestContext ctx) {
    holder(true);
    manychat.inject(Fault.status(500, SERVER_ERROR));
    deploy(new JsonObject())
      .compose(s -> fx.push(s.turns(), held("a", numbered(12), Map.of(), List.of(), List.of())))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(offers).hasSize(1);
        List<RecordedRequest> sent = manychat.requests();
        assertThat(sent).hasSize(2).allSatisfy(r ->
          assertThat(texts(r)).containsExactly("Повідомлення 11", "Повідомлення 12"));
        assertThat(outbox.retries).singleElement().satisfies(r -> assertThat(r).startsWith("1/0@"));
        assertThat(done.getString("status")).isEqualTo("delivered");
        ctx.completeNow();
      })));
  }

  @Test
  void aReplyWhoseApiAttemptFailedIsNotOfferedAgain(VertxTestContext ctx) {
    holder(false);
    manychat.inject(Fault.status(500, SERVER_ERROR));
    deploy(new JsonObject())
      .compose(s -> fx.push(s.turns(), held("a", "Ось")))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(offers).hasSize(1);
        assertThat(manychat.requests(FakeManyChat.SEND_CONTENT)).hasSize(2);
        assertThat(done.getString("status")).isEqualTo("delivered");
        ctx.completeNow();
      })));
  }

  @Test
  void withoutAKeyAReplyClaimedAgainAfterItsAnswerFinishesAndDropsTheRest(VertxTestContext ctx) {
    // Finishing fails once: the claim lapses with the block recorded as accepted, and the next claim finishes it.
    holder(true);
    deploy(keyless().put("debounce.lease-seconds", 0.3))
      .compose(s -> {
        outbox.failFinishes.set(1);
        return fx.push(s.turns(), overflowing("a"));
      })
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(offers).as("offered once").hasSize(1);
        assertThat(done.getString("status")).isEqualTo("responded");
        assertThat(done.getJsonArray("dropped")).hasSize(5);
        assertThat(manychat.requests()).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void aClaimLostWhileRecordingTheAnswerLeavesTheReplyToTheOtherClaim(VertxTestContext ctx) {
    holder(true);
    deploy(new JsonObject().put("debounce.lease-seconds", 60))
      .compose(s -> {
        outbox.loseClaims.set(1);
        return fx.push(s.turns(), held("a", "Ось"));
      })
      .compose(v -> Poll.until(vertx, () -> log.has("WARN reply for subscriber " + A) ? Boolean.TRUE : null,
        PushFixture.WAIT, "the lost claim to be noticed"))
      .compose(v -> fx.request(Addresses.HEALTH_PUSH, new JsonObject()))
      .compose(health -> stores.outbox().pending().map(pending -> {
        ctx.verify(() -> {
          assertThat(log.has("WARN reply for subscriber " + A + " turn " + fx.turnIds.get("a")
            + " answered its webhook request but the claim was lost")).isTrue();
          assertThat(pending).as("still stored, for the claim that holds it").isEqualTo(1);
          assertThat(health.getInteger("active")).as("let go").isZero();
          assertThat(manychat.requests()).isEmpty();
          assertThat(log.lines()).noneMatch(l -> l.startsWith("ERROR"));
        });
        return null;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aStoreThatDoesNotRecordTheAnswerDoesNotStopTheReply(VertxTestContext ctx) {
    holder(true);
    deploy(new JsonObject())
      .compose(s -> {
        outbox.failAccepted.set(1);
        return fx.push(s.turns(), overflowing("a"));
      })
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("responded");
        assertThat(offers).hasSize(1);
        assertThat(manychat.requests()).hasSize(5);
        assertThat(log.has("WARN reply for subscriber " + A + " turn " + fx.turnIds.get("a")
          + " answered its webhook request, recording it failed: store unavailable; going on")).isTrue();
        ctx.completeNow();
      })));
  }

  @Test
  void whileTheRestGoesOutRenewalsKeepTheBlockRecordedAsAccepted(VertxTestContext ctx) {
    // The rest's first call takes longer than the lease: the claim is renewed meanwhile, with the block as accepted.
    holder(true);
    manychat.inject(Fault.delay(700));
    deploy(new JsonObject().put("debounce.lease-seconds", 0.3))
      .compose(s -> fx.push(s.turns(), overflowing("a")))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("responded");
        assertThat(offers).hasSize(1);
        assertThat(outbox.accepted.stream().filter(n -> n == 1).count()).as("renewed as accepted: %s",
          outbox.accepted).isGreaterThan(1);
        assertThat(outbox.accepted).doesNotContain(0);
        ctx.completeNow();
      })));
  }

  @Test
  void withoutAKeyOnlyTheMessagesThatDoNotFitAreDroppedWhenTheActionsFit(VertxTestContext ctx) {
    holder(true);
    deploy(keyless())
      .compose(s -> fx.push(s.turns(), held("a", numbered(12), Map.of(), List.of(), List.of())))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getJsonArray("dropped")).hasSize(1);
        assertThat(count(registry, "mirt.push.response.dropped", "kind", "message")).isEqualTo(2);
        assertThat(registry.find("mirt.push.response.dropped").tag("kind", "action").counter()).isNull();
        ctx.completeNow();
      })));
  }

  @Test
  void aReplyThatCannotBeBuiltIsDeadLetteredWithoutAnOffer(VertxTestContext ctx) {
    holder(true);
    Reply bad = new Reply("ig_5f3a", "a", Channel.INSTAGRAM, List.of(OutMessage.text("Ось")), List.of(), null, null,
      Map.of(), List.of(), List.of(), "trace-a", HOLDER);
    deploy(new JsonObject())
      .compose(s -> fx.push(s.turns(), bad))
      .compose(v -> fx.completion("a"))
      .compose(done -> deadLetters().map(dead -> {
        ctx.verify(() -> {
          assertThat(done.getString("status")).isEqualTo("dead-lettered");
          assertThat(offers).isEmpty();
          assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("invalid_reply");
            assertThat(d.reason()).contains("ig_5f3a");
            assertThat(d.payload().getJsonObject("reply").getString("subscriberId")).isEqualTo("ig_5f3a");
          });
        });
        return null;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aReplyWithoutAHeldRequestInResponseModeIsPushedAsInPushMode(VertxTestContext ctx) {
    holder(true);
    deploy(new JsonObject())
      .compose(s -> fx.push(s.turns(), PushFixture.reply(A, "a", "Ось")))
      .compose(v -> fx.completion("a"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.getString("status")).isEqualTo("delivered");
        assertThat(offers).isEmpty();
        assertThat(manychat.requests(FakeManyChat.SEND_CONTENT)).hasSize(1);
        ctx.completeNow();
      })));
  }

  // ---- the breaker ----

  @Test
  void inResponseModeAnOpenBreakerDoesNotKeepAFreshReplyFromItsRequest(VertxTestContext ctx) {
    holder(true);
    onLoop(vertx, () -> {
      MirtConfig responseMode = config(new JsonObject());
      MirtConfig pushMode = MirtConfig.fromJson(responseMode.toJson().put("manychat.push-mode", true));
      stores = Stores.memory(responseMode);
      AtomicReference<CircuitBreakerState> open = new AtomicReference<>(CircuitBreakerState.OPEN);
      OutboxWorker pushing = worker(open, pushMode);
      OutboxWorker responding = worker(open, responseMode);
      fx.stage(stores.turns(), held("a", "Ось"))
        .compose(r -> {
          pushing.ready(A, r.turnId());
          pushing.sweep();
          responding.sweep();
          ctx.verify(() -> assertThat(pushing.active() + responding.active()).as("nothing claimed").isZero());
          responding.ready(A, r.turnId());
          return Poll.until(vertx, () -> responding.recent().isEmpty() ? null : responding.recent(), PushFixture.WAIT,
            "the reply to answer its request");
        })
        .onComplete(ctx.succeeding(recent -> ctx.verify(() -> {
          assertThat(recent.getJsonObject(0).getString("status")).isEqualTo("responded");
          assertThat(offers).hasSize(1);
          responding.stop();
          responding.ready(A, "again");
          assertThat(responding.active()).as("no claim once stopping").isZero();
          ctx.completeNow();
        })));
    });
  }

  /** A worker over the test's memory stores whose breaker state the test sets; built on the caller's loop. */
  private OutboxWorker worker(AtomicReference<CircuitBreakerState> breaker, MirtConfig config) {
    ManyChatClient client = new ManyChatClient(vertx, config.manychat(), config.push());
    Throttle throttle = new Throttle(vertx, stores.rates(), config.manychat(), config.push(), registry);
    AtomicReference<OutboxWorker> self = new AtomicReference<>();
    OutboxStore store = stores.outbox();
    Sender sender = new Sender(client, throttle, new RetryRule(config.push()), store, stores.deadLetters(), registry,
      () -> self.get().stopping(), System::currentTimeMillis);
    self.set(new OutboxWorker(vertx, store, "node-a", config, sender, breaker::get, registry));
    return self.get();
  }
}
