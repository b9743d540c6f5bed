package ai.mirt.push;

import ai.mirt.common.Addresses;
import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.InboundAck;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Turn;
import ai.mirt.state.DeadLetter;
import ai.mirt.state.DeadLetterStore;
import ai.mirt.state.Stores;
import ai.mirt.testkit.FakeManyChat;
import ai.mirt.testkit.FakeServer.Fault;
import ai.mirt.testkit.ManyChatValidator;
import ai.mirt.testkit.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static ai.mirt.push.PushFixture.reply;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dead-letter API on {@link Addresses#PUSH_DEAD_LETTERS}, as the webhook's admin endpoints use it: letters are
 * left by real deliveries (or stored as debounce stores them), listed, sent again through a fake ManyChat or back to
 * debounce, and deleted; refusals carry the HTTP status to answer.
 */
@ExtendWith(VertxExtension.class)
class DeadLetterDeskTest {

  private static final String SUBSCRIBER = "4000001";
  private static final String SERVER_ERROR = "{\"status\":\"error\",\"message\":\"Internal error\"}";
  private static final String UNKNOWN_FIELD = "{\"status\":\"error\",\"message\":\"Validation error\","
    + "\"details\":{\"messages\":[{\"message\":\"Custom field 'ai_foo' not found\"}]}}";

  private static ManyChatValidator validator;

  private Vertx vertx;
  private FakeManyChat manychat;
  private PushFixture fx;
  private Stores stores;

  /** A refusal of the desk: the HTTP status it asks for and its message. */
  private record Refusal(int status, String message) {
  }

  /** A letter, what the desk answered about it, and the letters listed afterwards. */
  private record Retried<T>(DeadLetter letter, T answer, JsonArray left) {
  }

  @BeforeAll
  static void loadValidator() {
    validator = ManyChatValidator.load();
  }

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    manychat = new FakeManyChat(vertx, PushFixture.KEY);
    fx = new PushFixture(vertx, manychat);
    manychat.start().onComplete(ctx.succeedingThenComplete());
  }

  private Future<String> deploy(JsonObject overrides) {
    // A breaker that never opens here: a retry that fails must reach ManyChat and be answered for.
    JsonObject conf = fx.config(new JsonObject().put("push.breaker-max-failures", 1_000).mergeIn(overrides));
    stores = Stores.memory(MirtConfig.fromJson(conf));
    return fx.deploy(stores, stores.outbox(), conf, "node-a", new SimpleMeterRegistry());
  }

  private Future<String> deploy() {
    return deploy(new JsonObject());
  }

  private Future<JsonObject> desk(Object body) {
    return vertx.eventBus().<JsonObject>request(Addresses.PUSH_DEAD_LETTERS, body,
      new DeliveryOptions().setSendTimeout(10_000)).map(Message::body);
  }

  /** The desk's refusal of the request; fails when the desk answered instead. */
  private Future<Refusal> refusal(Object body) {
    return desk(body).transform(ar -> {
      if (ar.succeeded()) {
        return Future.failedFuture(new AssertionError("expected a refusal of " + body + ", got " + ar.result()));
      }
      if (!(ar.cause() instanceof ReplyException re) || re.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
        return Future.failedFuture(ar.cause());
      }
      return Future.succeededFuture(new Refusal(re.failureCode(), re.getMessage()));
    });
  }

  private static JsonObject list(int limit) {
    return new JsonObject().put("action", "list").put("limit", limit);
  }

  private static JsonObject retry(String id) {
    return new JsonObject().put("action", "retry").put("id", id);
  }

  private static JsonObject delete(String id) {
    return new JsonObject().put("action", "delete").put("id", id);
  }

  private Future<JsonArray> listed() {
    return desk(list(100)).map(r -> r.getJsonArray("deadLetters"));
  }

  /** Delivers a reply ManyChat refuses with {@code answer} and returns the dead letter it leaves. */
  private Future<DeadLetter> deadLetterFrom(String answer, String name) {
    manychat.inject(Fault.status(400, answer));
    return fx.push(stores.turns(), reply(SUBSCRIBER, name, "Ви ще тут?"))
      .compose(v -> fx.completion(name))
      .compose(done -> stores.deadLetters().recent(1))
      .map(letters -> letters.get(0));
  }

  private static Turn turn() {
    return new Turn("4000002", "turn-7", Channel.INSTAGRAM, "Скільки коштує сукня?\nІ чи є 122?",
      List.of("https://cdn.example/p/1.jpg"), new Contact("Олена", "Олена", "olena_shop", Map.of()), 2,
      1_700_000_000_000L, 3, 0, "trace-7");
  }

  private Future<String> addDebounceLetter(JsonObject payload, long at) {
    return stores.deadLetters().add(new DeadLetter("debounce", "4000002", "turn-7", "agent_failed",
        "agent failed 3 times: LLM timeout", at, payload))
      .compose(v -> stores.deadLetters().recent(1)).map(l -> l.get(0).id());
  }

  @Test
  void listShowsEachLetterWithItsCodeReasonOwnerAgeAndPayloadNewestFirst(VertxTestContext ctx) {
    long now = System.currentTimeMillis();
    deploy()
      .compose(id -> deadLetterFrom(FakeManyChat.WINDOW_CLOSED, "t1"))
      .compose(pushed -> addDebounceLetter(turn().toJson(), now - 125_000)
        .compose(debounced -> Future.all(desk(list(10)), desk(list(1)), desk(new JsonObject().put("action", "list")),
          desk(list(0)))
          .map(all -> Map.entry(pushed, all))))
      .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
        DeadLetter pushed = out.getKey();
        JsonArray letters = out.getValue().<JsonObject>resultAt(0).getJsonArray("deadLetters");
        assertThat(letters).hasSize(2);
        JsonObject debounce = letters.getJsonObject(0);
        JsonObject push = letters.getJsonObject(1);
        assertThat(push.getString("id")).isEqualTo(pushed.id()).isNotBlank();
        assertThat(push.getString("source")).isEqualTo("push");
        assertThat(push.getString("code")).isEqualTo("window_closed");
        assertThat(push.getString("reason")).contains("3011");
        assertThat(push.getString("subscriberId")).isEqualTo(SUBSCRIBER);
        assertThat(push.getString("turnId")).isEqualTo(fx.turnIds.get("t1"));
        assertThat(push.getLong("ageSeconds")).isBetween(0L, 10L);
        assertThat(push.getJsonObject("payload").getJsonObject("reply").getString("turnId"))
          .isEqualTo(fx.turnIds.get("t1"));
        assertThat(push.getJsonObject("payload").getJsonArray("calls")).hasSize(1);
        assertThat(debounce.getString("source")).isEqualTo("debounce");
        assertThat(debounce.getString("code")).isEqualTo("agent_failed");
        assertThat(debounce.getString("reason")).isEqualTo("agent failed 3 times: LLM timeout");
        assertThat(debounce.getString("subscriberId")).isEqualTo("4000002");
        assertThat(debounce.getString("turnId")).isEqualTo("turn-7");
        assertThat(debounce.getLong("at")).isEqualTo(now - 125_000);
        assertThat(debounce.getLong("ageSeconds")).isBetween(125L, 135L);
        assertThat(debounce.getJsonObject("payload")).isEqualTo(turn().toJson());
        assertThat(out.getValue().<JsonObject>resultAt(1).getJsonArray("deadLetters")).singleElement()
          .isEqualTo(debounce);
        assertThat(out.getValue().<JsonObject>resultAt(2).getJsonArray("deadLetters")).as("without a limit")
          .isEqualTo(letters);
        assertThat(out.getValue().<JsonObject>resultAt(3).getJsonArray("deadLetters")).as("a limit below one")
          .singleElement().isEqualTo(debounce);
        ctx.completeNow();
      })));
  }

  @Test
  void retryOfAWindowClosedLetterSendsItsCallAgainAndTheLetterIsGone(VertxTestContext ctx) {
    deploy()
      .compose(id -> deadLetterFrom(FakeManyChat.WINDOW_CLOSED, "t1"))
      .compose(letter -> desk(retry(letter.id()))
        .compose(answer -> stores.deadLetters().get(letter.id()).compose(kept -> {
          ctx.verify(() -> assertThat(kept).as("the letter in the store").isEmpty());
          return listed().map(left -> new Retried<>(letter, answer, left));
        })))
      .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
        DeadLetter letter = out.letter();
        assertThat(out.answer()).isEqualTo(new JsonObject().put("id", letter.id()).put("status", "delivered"));
        List<RecordedRequest> requests = manychat.requests();
        assertThat(requests).hasSize(2);
        JsonObject call = letter.payload().getJsonArray("calls").getJsonObject(0);
        assertThat(requests.get(1).path()).isEqualTo(call.getString("path"));
        assertThat(requests.get(1).json()).isEqualTo(call.getJsonObject("body")).isEqualTo(requests.get(0).json());
        validator.assertValid(requests.get(1).path(), requests.get(1).json());
        assertThat(out.left()).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void retryOfDroppedActionsSendsTheirCallsInOrder(VertxTestContext ctx) {
    manychat.inject(Fault.status(400, UNKNOWN_FIELD));
    deploy()
      .compose(id -> fx.push(stores.turns(), reply(SUBSCRIBER, "t1", "Вітаю!")))
      .compose(v -> fx.completion("t1"))
      .compose(v -> stores.deadLetters().recent(1))
      .compose(letters -> desk(retry(letters.get(0).id())).map(answer -> Map.entry(letters.get(0), answer)))
      .compose(out -> listed().map(left -> {
        ctx.verify(() -> assertThat(left).isEmpty());
        return out;
      }))
      .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
        assertThat(out.getValue().getString("status")).isEqualTo("delivered");
        JsonArray calls = out.getKey().payload().getJsonArray("calls");
        assertThat(calls).hasSize(2);
        // The refused call, the same messages without actions, then the letter's calls as stored.
        List<RecordedRequest> retried = manychat.requests().subList(2, manychat.requests().size());
        assertThat(retried).hasSize(2);
        for (int i = 0; i < 2; i++) {
          assertThat(retried.get(i).path()).isEqualTo(calls.getJsonObject(i).getString("path"));
          assertThat(retried.get(i).json()).isEqualTo(calls.getJsonObject(i).getJsonObject("body"));
          validator.assertValid(retried.get(i).path(), retried.get(i).json());
        }
        assertThat(retried).extracting(RecordedRequest::path)
          .containsExactly(DynamicBlockBuilder.SET_CUSTOM_FIELDS, DynamicBlockBuilder.ADD_TAG);
        ctx.completeNow();
      })));
  }

  @Test
  void retryThatManyChatRefusesIs409AndTheLetterStays(VertxTestContext ctx) {
    deploy()
      .compose(id -> deadLetterFrom(FakeManyChat.WINDOW_CLOSED, "t1"))
      .compose(letter -> {
        manychat.inject(Fault.status(400, FakeManyChat.WINDOW_CLOSED));
        return refusal(retry(letter.id())).compose(refused -> listed().map(left -> new Retried<>(letter, refused,
          left)));
      })
      .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
        assertThat(out.answer().status()).isEqualTo(409);
        assertThat(out.answer().message()).startsWith("ManyChat refused call 1/1 (window_closed)");
        assertThat(out.left()).singleElement()
          .satisfies(l -> assertThat(((JsonObject) l).getString("id")).isEqualTo(out.letter().id()));
        assertThat(manychat.requests()).hasSize(2);
        ctx.completeNow();
      })));
  }

  @Test
  void retryWhileManyChatIsDownIs503AndTheLetterStaysForALaterRetry(VertxTestContext ctx) {
    deploy()
      .compose(id -> deadLetterFrom(FakeManyChat.WINDOW_CLOSED, "t1"))
      .compose(letter -> {
        manychat.when(r -> true, Fault.status(500, SERVER_ERROR));
        return refusal(retry(letter.id()))
          .compose(down -> listed().map(left -> {
            ctx.verify(() -> {
              assertThat(down.status()).isEqualTo(503);
              assertThat(down.message()).startsWith("ManyChat is unavailable for call 1/1 (http_500)");
              assertThat(left).hasSize(1);
            });
            manychat.clearRules();
            return letter;
          }))
          .compose(l -> desk(retry(l.id())))
          .compose(answer -> listed().map(left -> Map.entry(answer, left)));
      })
      .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
        assertThat(out.getKey().getString("status")).isEqualTo("delivered");
        assertThat(out.getValue()).isEmpty();
        assertThat(manychat.requests()).hasSize(3);
        ctx.completeNow();
      })));
  }

  @Test
  void retryWhileManyChatRefusesConnectionsIs503(VertxTestContext ctx) {
    deploy()
      .compose(id -> deadLetterFrom(FakeManyChat.WINDOW_CLOSED, "t1"))
      .compose(letter -> manychat.stop().compose(v -> refusal(retry(letter.id()))))
      .compose(refused -> listed().map(left -> Map.entry(refused, left)))
      .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
        assertThat(out.getKey().status()).isEqualTo(503);
        assertThat(out.getKey().message()).contains("(connection)");
        assertThat(out.getValue()).hasSize(1);
        ctx.completeNow();
      })));
  }

  @Test
  void retryOfATurnTheAgentGaveUpOnSendsItBackToDebounce(VertxTestContext ctx) {
    List<JsonObject> inbound = new CopyOnWriteArrayList<>();
    long before = System.currentTimeMillis();
    vertx.eventBus().<JsonObject>consumer(Addresses.INBOUND_MESSAGE, m -> {
      inbound.add(m.body());
      m.reply(new InboundAck(false).toJson());
    });
    deploy()
      .compose(id -> addDebounceLetter(turn().toJson(), before))
      .compose(id -> desk(retry(id)).map(answer -> Map.entry(id, answer)))
      .compose(out -> listed().map(left -> {
        ctx.verify(() -> assertThat(left).isEmpty());
        return out;
      }))
      .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
        assertThat(out.getValue()).isEqualTo(new JsonObject().put("id", out.getKey()).put("status", "requeued"));
        assertThat(inbound).hasSize(1);
        InboundMessage m = InboundMessage.fromJson(inbound.get(0));
        Turn t = turn();
        assertThat(m.subscriberId()).isEqualTo(t.subscriberId());
        assertThat(m.text()).isEqualTo(t.text());
        assertThat(m.images()).isEqualTo(t.images());
        assertThat(m.channel()).isEqualTo(t.channel());
        assertThat(m.contact()).isEqualTo(t.contact());
        assertThat(m.traceId()).isEqualTo(t.traceId());
        assertThat(m.messageId()).as("a new message, not a duplicate of one seen").isNull();
        assertThat(m.receivedAt()).isGreaterThanOrEqualTo(before);
        assertThat(manychat.requests()).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void retryOfATurnWhenDebounceDoesNotTakeItIs503AndTheLetterStays(VertxTestContext ctx) {
    vertx.eventBus().<JsonObject>consumer(Addresses.INBOUND_MESSAGE, m -> m.fail(503, "store unavailable"));
    deploy()
      .compose(id -> addDebounceLetter(turn().toJson(), System.currentTimeMillis()))
      .compose(id -> refusal(retry(id)))
      .compose(refused -> listed().map(left -> Map.entry(refused, left)))
      .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
        assertThat(out.getKey().status()).isEqualTo(503);
        assertThat(out.getValue()).hasSize(1);
        ctx.completeNow();
      })));
  }

  @Test
  void lettersWithNothingToSendAreRefusedWith409AndStay(VertxTestContext ctx) {
    JsonObject noCalls = new JsonObject().put("calls", new JsonArray());
    JsonObject noArray = new JsonObject();
    JsonObject brokenCall = new JsonObject().put("calls", new JsonArray().add(new JsonObject()
      .put("path", DynamicBlockBuilder.ADD_TAG)));
    JsonObject notATurn = new JsonObject().put("text", "no subscriber, no turn id");
    long now = System.currentTimeMillis();
    deploy()
      .compose(id -> Future.all(
        stores.deadLetters().add(new DeadLetter("push", SUBSCRIBER, "t1", "http_400", "x", now, noCalls)),
        stores.deadLetters().add(new DeadLetter("push", SUBSCRIBER, "t2", "http_400", "x", now, noArray)),
        stores.deadLetters().add(new DeadLetter("push", SUBSCRIBER, "t3", "http_400", "x", now, brokenCall)),
        stores.deadLetters().add(new DeadLetter("debounce", SUBSCRIBER, "t4", "agent_failed", "x", now, notATurn))))
      .compose(v -> stores.deadLetters().recent(10))
      .compose(letters -> Future.all(letters.stream().map(l -> refusal(retry(l.id()))).toList()))
      .compose(refusals -> listed().map(left -> Map.entry(refusals, left)))
      .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
        for (int i = 0; i < 4; i++) {
          Refusal r = out.getKey().resultAt(i);
          assertThat(r.status()).as("refusal %s", r).isEqualTo(409);
        }
        // Newest first: the turn-less debounce letter, the broken call, no calls array, an empty one.
        assertThat(out.getKey().<Refusal>resultAt(0).message()).contains("holds no turn to retry");
        assertThat(out.getKey().<Refusal>resultAt(1).message()).contains("holds no calls to send: ");
        assertThat(out.getKey().<Refusal>resultAt(2).message()).endsWith("holds no calls to send");
        assertThat(out.getKey().<Refusal>resultAt(3).message()).endsWith("holds no calls to send");
        assertThat(out.getValue()).hasSize(4);
        assertThat(manychat.requests()).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void deleteRemovesTheLetterOnce(VertxTestContext ctx) {
    deploy()
      .compose(id -> addDebounceLetter(turn().toJson(), System.currentTimeMillis()))
      .compose(id -> desk(delete(id))
        .compose(deleted -> listed().map(left -> {
          ctx.verify(() -> {
            assertThat(deleted).isEqualTo(new JsonObject().put("id", id).put("status", "deleted"));
            assertThat(left).isEmpty();
          });
          return id;
        })))
      .compose(id -> refusal(delete(id)))
      .onComplete(ctx.succeeding(again -> ctx.verify(() -> {
        assertThat(again.status()).as("deleting it again").isEqualTo(404);
        ctx.completeNow();
      })));
  }

  @Test
  void unknownIdsAre404(VertxTestContext ctx) {
    deploy()
      .compose(id -> Future.all(refusal(retry("no-such-letter")), refusal(delete("no-such-letter"))))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < 2; i++) {
          Refusal r = all.resultAt(i);
          assertThat(r.status()).isEqualTo(404);
          assertThat(r.message()).isEqualTo("no dead letter with id 'no-such-letter'");
        }
        ctx.completeNow();
      })));
  }

  @Test
  void malformedRequestsAre400(VertxTestContext ctx) {
    List<Object> bad = List.of(
      "list",
      new JsonObject(),
      new JsonObject().put("action", 5),
      new JsonObject().put("action", "retry"),
      new JsonObject().put("action", "delete").put("id", 7),
      new JsonObject().put("action", "resend").put("id", "1"));
    deploy()
      .compose(id -> Future.all(bad.stream().map(this::refusal).toList()))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < bad.size(); i++) {
          assertThat(all.<Refusal>resultAt(i).status()).as("answer to %s", bad.get(i)).isEqualTo(400);
        }
        assertThat(all.<Refusal>resultAt(0).message()).contains("\"action\"");
        assertThat(all.<Refusal>resultAt(3).message()).isEqualTo("retry needs the dead letter's id");
        assertThat(all.<Refusal>resultAt(4).message()).isEqualTo("delete needs the dead letter's id");
        assertThat(all.<Refusal>resultAt(5).message()).isEqualTo("unknown action 'resend'");
        ctx.completeNow();
      })));
  }

  @Test
  void aStoreThatDoesNotAnswerIs503(VertxTestContext ctx) {
    DeadLetterStore down = new DeadLetterStore() {
      @Override
      public Future<Void> add(DeadLetter deadLetter) {
        return Future.failedFuture("connection refused");
      }

      @Override
      public Future<List<DeadLetter>> recent(int limit) {
        return Future.failedFuture("connection refused");
      }

      @Override
      public Future<Optional<DeadLetter>> get(String id) {
        return Future.failedFuture("connection refused");
      }

      @Override
      public Future<Boolean> remove(String id) {
        return Future.failedFuture("connection refused");
      }
    };
    JsonObject conf = fx.config(new JsonObject());
    stores = Stores.memory(MirtConfig.fromJson(conf));
    PushVerticle push = new PushVerticle(stores.outbox(), down, stores.rates(), stores.orders(), "node-a",
      new SimpleMeterRegistry());
    vertx.deployVerticle(push, new DeploymentOptions().setConfig(conf))
      .compose(id -> Future.all(refusal(list(10)), refusal(retry("1")), refusal(delete("1"))))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < 3; i++) {
          assertThat(all.<Refusal>resultAt(i)).isEqualTo(new Refusal(503, "storage unavailable: connection refused"));
        }
        ctx.completeNow();
      })));
  }

  @Test
  void inADryRunARetrySendsNothingAndTheLetterIsGone(VertxTestContext ctx) {
    JsonObject payload = new JsonObject().put("calls", new JsonArray().add(new JsonObject()
      .put("path", DynamicBlockBuilder.ADD_TAG)
      .put("body", new JsonObject().put("subscriber_id", 4000001).put("tag_name", "vip"))));
    deploy(new JsonObject().put("manychat.api-key", ""))
      .compose(id -> stores.deadLetters().add(new DeadLetter("push", SUBSCRIBER, "t1", "http_500", "x",
        System.currentTimeMillis(), payload)))
      .compose(v -> stores.deadLetters().recent(1))
      .compose(letters -> desk(retry(letters.get(0).id())))
      .compose(answer -> listed().map(left -> Map.entry(answer, left)))
      .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
        assertThat(out.getKey().getString("status")).isEqualTo("dry-run");
        assertThat(out.getValue()).isEmpty();
        assertThat(manychat.requests()).isEmpty();
        ctx.completeNow();
      })));
  }
}
