package ai.mirt.push;

import ai.mirt.common.Addresses;
import ai.mirt.common.Channel;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.Contact;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.ReplyReady;
import ai.mirt.common.Turn;
import ai.mirt.state.DeadLetter;
import ai.mirt.state.OutboxEntry;
import ai.mirt.state.Stores;
import ai.mirt.testkit.FakeManyChat;
import ai.mirt.testkit.FakeServer.Fault;
import ai.mirt.testkit.ManyChatValidator;
import ai.mirt.testkit.Poll;
import ai.mirt.testkit.RecordedRequest;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static ai.mirt.testkit.FakeManyChat.SEND_CONTENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The push verticle against a recording fake ManyChat, over the in-memory store: each reply is stored by a real
 * handoff, announced as the agent does, and its outcome read where the verticle leaves it (the outbox view, the
 * dead letters, the store).
 */
@ExtendWith(VertxExtension.class)
class PushVerticleTest {

  private static final String KEY = "1234567:test-secret";
  private static final String FLOW = "content20250101120000_123456";
  private static final String SUBSCRIBER = "987654321";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static ManyChatValidator validator;

  private record Seen(JsonObject completed, JsonObject outbox, JsonObject health) {
  }

  private FakeManyChat manychat;
  private SimpleMeterRegistry registry;
  private Stores stores;
  private ScriptedOutbox outbox;
  private ListAppender<ILoggingEvent> pushLog;
  /** The name a test gave a reply → the id of the turn the store claimed for it. */
  private final Map<String, String> turnIds = new ConcurrentHashMap<>();
  private ListAppender<ILoggingEvent> clientLog;

  @BeforeAll
  static void loadValidator() {
    validator = ManyChatValidator.load();
  }

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) {
    registry = new SimpleMeterRegistry();
    clientLog = new ListAppender<>();
    clientLog.start();
    ((Logger) LoggerFactory.getLogger(ManyChatClient.class)).addAppender(clientLog);
    pushLog = new ListAppender<>();
    pushLog.start();
    ((Logger) LoggerFactory.getLogger("ai.mirt.push")).addAppender(pushLog);
    manychat = new FakeManyChat(vertx, KEY);
    manychat.start().onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void tearDown() {
    ((Logger) LoggerFactory.getLogger(ManyChatClient.class)).detachAppender(clientLog);
    ((Logger) LoggerFactory.getLogger("ai.mirt.push")).detachAppender(pushLog);
  }

  private Future<String> deploy(Vertx vertx, JsonObject overrides) {
    JsonObject conf = new JsonObject()
      .put("manychat.api-url", manychat.baseUrl())
      .put("manychat.api-key", KEY)
      .put("manychat.timeout-ms", 2000)
      .put("manychat.quick-reply-flow", FLOW)
      .put("push.backoff-ms", 10)
      .put("push.outbox-size", 10)
      .put("push.breaker-max-failures", 10)
      .put("push.breaker-reset-ms", 60_000)
      .put("push.sweep-ms", 50)
      .mergeIn(overrides);
    stores = Stores.memory(MirtConfig.fromJson(conf));
    outbox = new ScriptedOutbox(stores.outbox());
    PushVerticle push = new PushVerticle(outbox, stores.deadLetters(), stores.rates(), stores.orders(), "node-a",
      registry);
    return vertx.deployVerticle(push, new DeploymentOptions().setConfig(conf));
  }

  private static Reply reply(String subscriberId, String turnId, List<OutMessage> messages) {
    return new Reply(subscriberId, turnId, Channel.INSTAGRAM, messages, List.of("Так", "Ні"), "STATE_1_DISCOVERY",
      "greeting", Map.of(), List.of(), List.of(), "trace-" + turnId);
  }

  private static Reply reply(String turnId, String text) {
    return reply(SUBSCRIBER, turnId, List.of(OutMessage.text(text)));
  }

  /**
   * Stores the reply as the agent would: a message for its subscriber is claimed as a turn and handed over with
   * the reply; the test's name for the turn stands for the claimed turn id from then on.
   */
  private Future<Reply> stage(Reply template) {
    String sub = template.subscriberId();
    InboundMessage m = new InboundMessage(sub, Channel.INSTAGRAM, "питання", List.of(), null, Contact.EMPTY, 0, "tr");
    return stores.turns().append(m)
      .compose(a -> stores.turns().claimDue(1_000, "node-a", true))
      .compose(turns -> {
        Turn t = turns.stream().filter(x -> x.subscriberId().equals(sub)).findFirst().orElseThrow();
        Reply r = new Reply(sub, t.turnId(), template.channel(), template.messages(), template.quickReplies(),
          template.state(), template.intent(), template.fields(), template.addTags(), template.removeTags(),
          template.traceId());
        turnIds.put(template.turnId(), t.turnId());
        return stores.turns().handoff(t, r, "{}").map(d -> {
          assertThat(d.deliver()).isTrue();
          return r;
        });
      });
  }

  /** Stores the reply and announces it to push. */
  private Future<Void> push(Vertx vertx, Reply template) {
    return stage(template).map(r -> {
      vertx.eventBus().send(Addresses.PUSH_REPLY, new ReplyReady(r.subscriberId(), r.turnId(), r.traceId()).toJson());
      return null;
    });
  }

  /** The outbox record of the finished reply: its status and reason. */
  private Future<JsonObject> completion(Vertx vertx, String name) {
    return finished(vertx, name, System.currentTimeMillis() + WAIT.toMillis());
  }

  private Future<JsonObject> finished(Vertx vertx, String name, long deadline) {
    return request(vertx, Addresses.PUSH_OUTBOX).compose(outbox -> {
      String id = turnIds.get(name);
      JsonObject found = id == null ? null : outbox.getJsonArray("payloads").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("turnId").equals(id)).findFirst().orElse(null);
      if (found != null) {
        return Future.succeededFuture(found);
      }
      if (System.currentTimeMillis() > deadline) {
        return Future.failedFuture(new AssertionError("timed out: reply " + name + " never finished"));
      }
      return vertx.timer(20).compose(v -> finished(vertx, name, deadline));
    });
  }

  /** Lines push logged, as "LEVEL message". */
  private List<String> pushLines() {
    // The appender adds under its own lock while the verticle logs: copy under it too.
    synchronized (pushLog) {
      return pushLog.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }
  }

  private List<ILoggingEvent> clientEvents() {
    synchronized (clientLog) {
      return new java.util.ArrayList<>(clientLog.list);
    }
  }

  private double calls(String endpoint, String result) {
    Counter c = registry.find("mirt.push.calls").tags("endpoint", endpoint, "result", result).counter();
    return c == null ? 0 : c.count();
  }

  private double deadLetters(String reason) {
    Counter c = registry.find("mirt.push.dead.letters").tags("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private static Future<JsonObject> request(Vertx vertx, String address) {
    return vertx.eventBus().<JsonObject>request(address, new JsonObject()).map(Message::body);
  }

  /** Every body ManyChat received must match its published request schema. */
  private List<RecordedRequest> validRequests() {
    List<RecordedRequest> requests = manychat.requests();
    requests.forEach(r -> validator.assertValid(r.path(), r.json()));
    return requests;
  }

  private static String firstText(RecordedRequest r) {
    return r.json().getJsonObject("data").getJsonObject("content").getJsonArray("messages").getJsonObject(0)
      .getString("text");
  }

  @Test
  void replyIsDeliveredOnceWithTheBearerKey(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, new JsonObject())
      .compose(id -> {
        return push(vertx, reply("t1", "Вітаю! Чим можу допомогти?")).compose(v -> completion(vertx, "t1"));
      })
      .compose(tc -> stores.outbox().pending().map(pending -> Map.entry(tc, pending)))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertThat(result.getKey().getString("status")).isEqualTo("delivered");
        assertThat(result.getKey().containsKey("reason")).isFalse();
        assertThat(stores.turns().stats().result().inFlight()).as("the subscriber is released").isZero();
        List<RecordedRequest> requests = validRequests();
        assertThat(requests).hasSize(1);
        RecordedRequest r = requests.get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo(SEND_CONTENT);
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(r.json().getValue("subscriber_id")).isEqualTo(987654321);
        assertThat(firstText(r)).isEqualTo("Вітаю! Чим можу допомогти?");
        assertThat(result.getValue()).as("outbox store after delivery").isZero();
        assertThat(calls("sendContent", "ok")).isEqualTo(1);
        assertThat(registry.find("mirt.push.delivery").timer().count()).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void serverErrorIsRetriedOnceThenDelivered(Vertx vertx, VertxTestContext ctx) {
    manychat.inject(Fault.status(500, "{\"status\":\"error\",\"message\":\"Internal error\"}"));
    deploy(vertx, new JsonObject())
      .compose(id -> {
        return push(vertx, reply("t1", "Доброго дня")).compose(v -> completion(vertx, "t1"));
      })
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("delivered");
        List<RecordedRequest> requests = validRequests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).json()).isEqualTo(requests.get(0).json());
        assertThat(calls("sendContent", "failed")).isEqualTo(1);
        assertThat(calls("sendContent", "ok")).isEqualTo(1);
        assertThat(registry.get("mirt.push.retries").tag("reason", "http_500").counter().count()).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void rateLimitedCallIsRetried(Vertx vertx, VertxTestContext ctx) {
    manychat.inject(Fault.status(429, "{\"status\":\"error\",\"message\":\"Too many requests\"}"), 2);
    deploy(vertx, new JsonObject())
      .compose(id -> {
        return push(vertx, reply("t1", "Доброго дня")).compose(v -> completion(vertx, "t1"));
      })
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("delivered");
        assertThat(validRequests()).hasSize(3);
        assertThat(calls("sendContent", "rate_limited")).isEqualTo(2);
        // Without Retry-After every call is held back a second after each 429.
        List<RecordedRequest> r = manychat.requests();
        assertThat(r.get(1).receivedAt() - r.get(0).receivedAt()).isGreaterThanOrEqualTo(Sender.DEFAULT_RATE_PAUSE_MS - 20);
        ctx.completeNow();
      })));
  }

  @Test
  void closedMessagingWindowIsDeadLetteredAfterOneRequest(Vertx vertx, VertxTestContext ctx) {
    manychat.inject(Fault.status(400, FakeManyChat.WINDOW_CLOSED));
    deploy(vertx, new JsonObject().put("push.breaker-max-failures", 1))
      .compose(id -> {
        return push(vertx, reply("t1", "Ви ще тут?")).compose(v -> completion(vertx, "t1"));
      })
      .compose(tc -> Future.all(request(vertx, Addresses.PUSH_OUTBOX), request(vertx, Addresses.HEALTH_PUSH))
        .map(all -> new Seen(tc, all.resultAt(0), all.resultAt(1))))
      // A node without push asks any push node; each push answers on its presence address too.
      .compose(seen -> Future.all(request(vertx, Addresses.PUSH_OUTBOX_ANY), request(vertx, Addresses.role("push")))
        .map(all -> {
          ctx.verify(() -> {
            assertThat(all.<JsonObject>resultAt(0)).isEqualTo(seen.outbox());
            assertThat(all.<JsonObject>resultAt(1)).isEqualTo(new JsonObject().put("instance", "node-a"));
          });
          return seen;
        }))
      .onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
        JsonObject tc = seen.completed();
        assertThat(tc.getString("status")).isEqualTo("dead-lettered");
        assertThat(seen.outbox().getString("instance")).isEqualTo("node-a");
        assertThat(tc.getString("reason")).startsWith("messaging window closed (3011): ").contains("24h");
        assertThat(validRequests()).hasSize(1);
        assertThat(deadLetters("window_closed")).isEqualTo(1);
        assertThat(calls("sendContent", "window_closed")).isEqualTo(1);
        JsonObject outbox = seen.outbox();
        assertThat(outbox.getBoolean("dryRun")).isFalse();
        JsonObject payload = outbox.getJsonArray("payloads").getJsonObject(0);
        assertThat(payload.getString("status")).isEqualTo("dead-lettered");
        assertThat(payload.getString("reason")).isEqualTo(tc.getString("reason"));
        JsonArray dead = outbox.getJsonArray("deadLetters");
        assertThat(dead).hasSize(1);
        DeadLetter d = DeadLetter.fromJson(dead.getJsonObject(0));
        assertThat(d.source()).isEqualTo("push");
        assertThat(d.code()).isEqualTo("window_closed");
        assertThat(d.id()).isNotBlank();
        assertThat(d.turnId()).isEqualTo(turnIds.get("t1"));
        assertThat(d.payload().getJsonObject("reply").getString("turnId")).isEqualTo(turnIds.get("t1"));
        ComponentHealth health = ComponentHealth.fromJson(seen.health());
        assertThat(health.up()).as("a closed window says nothing about ManyChat's health").isTrue();
        assertThat(health.details().getString("breaker")).isEqualTo("CLOSED");
        assertThat(health.details().getInteger("pending")).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void errorStatusInAnOkAnswerIsPermanent(Vertx vertx, VertxTestContext ctx) {
    manychat.inject(Fault.status(200, "{\"status\":\"error\",\"message\":\"Channel not connected\",\"code\":3041}"));
    deploy(vertx, new JsonObject())
      .compose(id -> {
        return push(vertx, reply("t1", "Привіт")).compose(v -> completion(vertx, "t1"));
      })
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("dead-lettered");
        assertThat(tc.getString("reason")).contains("3041").contains("Channel not connected");
        assertThat(validRequests()).hasSize(1);
        ctx.completeNow();
      })));
  }

  @Test
  void plainBadRequestIsNotRetried(Vertx vertx, VertxTestContext ctx) {
    manychat.inject(Fault.status(400, ""));
    deploy(vertx, new JsonObject())
      .compose(id -> {
        return push(vertx, reply("t1", "Привіт")).compose(v -> completion(vertx, "t1"));
      })
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("dead-lettered");
        assertThat(tc.getString("reason")).contains("http_400");
        assertThat(validRequests()).hasSize(1);
        assertThat(deadLetters("http_400")).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void hangingCallTimesOutAndIsRetried(Vertx vertx, VertxTestContext ctx) {
    manychat.inject(Fault.hang());
    deploy(vertx, new JsonObject().put("manychat.timeout-ms", 300))
      .compose(id -> {
        return push(vertx, reply("t1", "Привіт")).compose(v -> completion(vertx, "t1"));
      })
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("delivered");
        assertThat(validRequests()).hasSize(2);
        assertThat(calls("sendContent", "timeout")).isEqualTo(1);
        assertThat(outbox.retries).singleElement().asString().startsWith("1/1@");
        assertThat(registry.get("mirt.push.possible.duplicates").counter().count()).isEqualTo(1);
        assertThat(pushLines()).anyMatch(l -> l.startsWith("WARN ManyChat call sendContent")
          && l.endsWith("timed out: it may have been delivered; sending it once more"));
        ctx.completeNow();
      })));
  }

  @Test
  void failedMiddleCallIsTheOnlyOneResent(Vertx vertx, VertxTestContext ctx) {
    // The first call is answered normally (after 1 ms), the second fails once.
    manychat.inject(Fault.delay(1)).inject(Fault.status(502, ""));
    List<OutMessage> texts = IntStream.rangeClosed(1, 25).mapToObj(i -> OutMessage.text("Повідомлення " + i)).toList();
    deploy(vertx, new JsonObject())
      .compose(id -> {
        return push(vertx, reply(SUBSCRIBER, "t1", texts)).compose(v -> completion(vertx, "t1"));
      })
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("delivered");
        List<RecordedRequest> requests = validRequests();
        assertThat(requests).extracting(PushVerticleTest::firstText)
          .containsExactly("Повідомлення 1", "Повідомлення 11", "Повідомлення 11", "Повідомлення 21");
        assertThat(requests.get(2).json()).isEqualTo(requests.get(1).json());
        ctx.completeNow();
      })));
  }

  @Test
  void anOpenBreakerHoldsRepliesBackWithoutCallsOrAttemptsUntilItsTrialGoesThrough(Vertx vertx,
                                                                                    VertxTestContext ctx) {
    manychat.inject(Fault.status(503, ""), 2);
    deploy(vertx, new JsonObject().put("push.breaker-max-failures", 2).put("push.breaker-reset-ms", 1_500)
        .put("push.backoff-ms", 1))
      .compose(id -> push(vertx, reply("t1", "Привіт")))
      .compose(v -> Poll.until(vertx, () -> clientEvents().stream()
        .anyMatch(e -> e.getFormattedMessage().contains("circuit breaker manychat OPEN")) ? Boolean.TRUE : null,
        WAIT, "the breaker to open"))
      // Stored while the breaker is open: it waits in the outbox with the first.
      .compose(v -> push(vertx, reply("987", "t2", List.of(OutMessage.text("Ще одне")))))
      .compose(v -> request(vertx, Addresses.HEALTH_PUSH).map(ComponentHealth::fromJson))
      .compose(health -> completion(vertx, "t1").compose(t1 -> completion(vertx, "t2"))
        .map(t2 -> Map.entry(health, t2)))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        ComponentHealth health = result.getKey();
        assertThat(health.up()).isFalse();
        assertThat(health.details().getString("breaker")).isEqualTo("OPEN");
        assertThat(health.details().getString("manychat")).isEqualTo("live");
        assertThat(health.details().getInteger("pending")).isEqualTo(2);
        assertThat(result.getValue().getString("status")).isEqualTo("delivered");
        // Two failures opened it; then one trial, and once it closed the other reply: nothing in between.
        assertThat(validRequests()).hasSize(4);
        assertThat(outbox.retries).as("held back replies use up no attempt")
          .allMatch(r -> r.startsWith("1/0@") || r.startsWith("2/0@") || r.startsWith("0/0@"));
        assertThat(deadLetters("http_503")).isZero();
        assertThat(clientEvents()).anySatisfy(e ->
          assertThat(e.getFormattedMessage()).contains("circuit breaker manychat CLOSED"));
        assertThat(registry.get("mirt.push.breaker.state").gauge().value()).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void dryRunSendsNothingAndServesABoundedOutbox(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, new JsonObject().put("manychat.api-key", "").put("push.outbox-size", 2))
      .compose(id -> {
        return push(vertx, reply("1", "t1", List.of(OutMessage.text("Перша відповідь"))))
          .compose(v -> completion(vertx, "t1"))
          .compose(v -> push(vertx, reply("2", "t2", List.of(OutMessage.text("Друга відповідь")))))
          .compose(v -> completion(vertx, "t2"))
          .compose(v -> push(vertx, reply("3", "t3", List.of(OutMessage.text("Третя відповідь")))))
          .compose(v -> completion(vertx, "t3"));
      })
      .compose(done -> Future.all(request(vertx, Addresses.PUSH_OUTBOX), request(vertx, Addresses.HEALTH_PUSH)))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(manychat.requests()).isEmpty();
        JsonObject outbox = all.resultAt(0);
        assertThat(outbox.getBoolean("dryRun")).isTrue();
        JsonArray payloads = outbox.getJsonArray("payloads");
        assertThat(payloads).hasSize(2);
        assertThat(payloads.getJsonObject(0).getString("turnId")).isEqualTo(turnIds.get("t2"));
        assertThat(payloads.getJsonObject(1).getString("turnId")).isEqualTo(turnIds.get("t3"));
        JsonObject last = payloads.getJsonObject(1);
        assertThat(last.getString("subscriberId")).isEqualTo("3");
        assertThat(last.getString("status")).isEqualTo("dry-run");
        assertThat(last.containsKey("reason")).isFalse();
        assertThat(last.getString("at")).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        JsonObject call = last.getJsonArray("calls").getJsonObject(0);
        assertThat(call.getString("path")).isEqualTo(SEND_CONTENT);
        validator.assertValid(call.getString("path"), call.getJsonObject("body"));
        ComponentHealth health = ComponentHealth.fromJson(all.resultAt(1));
        assertThat(health.up()).isTrue();
        assertThat(health.details().getString("manychat")).isEqualTo("dry-run");
        assertThat(health.details().getString("breaker")).isEqualTo("CLOSED");
        ctx.completeNow();
      })));
  }

  @Test
  void anInterimMessageGoesOutAtOnceWithoutFieldsOrTagsAndIsNotStored(Vertx vertx, VertxTestContext ctx) {
    Reply interim = new Reply("987654321", "t9:interim", Channel.INSTAGRAM,
      List.of(OutMessage.text("Секунду, уточнюю по наявності та деталях.")), List.of("Так"), null, null, Map.of(),
      List.of(), List.of(), "trace-t9");
    deploy(vertx, new JsonObject())
      .compose(id -> vertx.eventBus().<JsonObject>request(Addresses.PUSH_INTERIM, interim.toJson()))
      .compose(answer -> stores.outbox().pending().map(pending -> Map.entry(answer.body(), pending)))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertThat(result.getKey()).isEqualTo(new JsonObject().put("status", "sent"));
        assertThat(result.getValue()).as("nothing stored").isZero();
        List<RecordedRequest> requests = validRequests();
        assertThat(requests).singleElement().satisfies(r -> {
          assertThat(r.path()).isEqualTo(SEND_CONTENT);
          assertThat(firstText(r)).isEqualTo("Секунду, уточнюю по наявності та деталях.");
          JsonObject content = r.json().getJsonObject("data").getJsonObject("content");
          assertThat(content.containsKey("actions")).as("no ai_responded: the answer is still to come").isFalse();
          assertThat(content.containsKey("quick_replies")).isFalse();
        });
        ctx.completeNow();
      })));
  }

  @Test
  void anInterimMessageManyChatRefusesIsReportedAndNotRetried(Vertx vertx, VertxTestContext ctx) {
    manychat.inject(Fault.status(400, FakeManyChat.WINDOW_CLOSED));
    Reply interim = new Reply("987654321", "t10:interim", Channel.INSTAGRAM, List.of(OutMessage.text("Секунду")),
      List.of(), null, null, Map.of(), List.of(), List.of(), "trace-t10");
    deploy(vertx, new JsonObject())
      .compose(id -> vertx.eventBus().<JsonObject>request(Addresses.PUSH_INTERIM, interim.toJson()))
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(e).isInstanceOf(io.vertx.core.eventbus.ReplyException.class);
        assertThat(((io.vertx.core.eventbus.ReplyException) e).failureCode()).isEqualTo(503);
        assertThat(e.getMessage()).contains("window_closed");
        assertThat(manychat.requests()).hasSize(1);
        ctx.completeNow();
      })));
  }

  @Test
  void aMalformedInterimMessageIsRefused(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, new JsonObject())
      .compose(id -> vertx.eventBus().<JsonObject>request(Addresses.PUSH_INTERIM, new JsonObject().put("x", 1)))
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(((io.vertx.core.eventbus.ReplyException) e).failureCode()).isEqualTo(400);
        assertThat(manychat.requests()).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void aDryRunInterimMessageIsShownInTheOutboxView(Vertx vertx, VertxTestContext ctx) {
    Reply interim = new Reply("5", "t11:interim", Channel.INSTAGRAM, List.of(OutMessage.text("Секунду")),
      List.of(), null, null, Map.of(), List.of(), List.of(), "trace-t11");
    deploy(vertx, new JsonObject().put("manychat.api-key", ""))
      .compose(id -> vertx.eventBus().<JsonObject>request(Addresses.PUSH_INTERIM, interim.toJson()))
      .compose(answer -> {
        ctx.verify(() -> assertThat(answer.body().getString("status")).isEqualTo("dry-run"));
        return request(vertx, Addresses.PUSH_OUTBOX);
      })
      .onComplete(ctx.succeeding(outbox -> ctx.verify(() -> {
        assertThat(manychat.requests()).isEmpty();
        JsonObject shown = outbox.getJsonArray("payloads").getJsonObject(0);
        assertThat(shown.getString("turnId")).isEqualTo("t11:interim");
        assertThat(shown.getString("status")).isEqualTo("dry-run");
        ctx.completeNow();
      })));
  }

  @Test
  void aMalformedAnnouncementIsIgnoredAndTheSweepStillDelivers(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, new JsonObject())
      .compose(id -> {
        vertx.eventBus().send(Addresses.PUSH_REPLY, "not json");
        vertx.eventBus().send(Addresses.PUSH_REPLY, new JsonObject().put("subscriberId", SUBSCRIBER));
        // Stored but never announced: the periodic sweep must find it.
        return stage(reply("t1", "Вітаю!")).compose(r -> completion(vertx, "t1"));
      })
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("delivered");
        assertThat(validRequests()).extracting(PushVerticleTest::firstText).containsExactly("Вітаю!");
        ctx.completeNow();
      })));
  }

  @Test
  void aResumedReplySendsOnlyTheCallsNotYetAccepted(Vertx vertx, VertxTestContext ctx) {
    List<OutMessage> texts = IntStream.rangeClosed(1, 25).mapToObj(i -> OutMessage.text("Повідомлення " + i)).toList();
    deploy(vertx, new JsonObject())
      .compose(id -> stage(reply(SUBSCRIBER, "t1", texts)))
      // Another instance had claimed it, got the first call accepted, and gave it back.
      .compose(r -> stores.outbox().claim(SUBSCRIBER, "node-b"))
      .compose(e -> {
        OutboxEntry entry = e.orElseThrow();
        return stores.outbox().accepted(entry, 1).compose(ok -> stores.outbox().retryLater(entry, 0, 0, 0));
      })
      .compose(v -> completion(vertx, "t1"))
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("delivered");
        assertThat(validRequests()).extracting(PushVerticleTest::firstText)
          .containsExactly("Повідомлення 11", "Повідомлення 21");
        assertThat(pushLines()).anyMatch(l -> l.startsWith("INFO resuming reply for subscriber " + SUBSCRIBER)
          && l.contains("at call 2/3 (attempt 1)"));
        ctx.completeNow();
      })));
  }

  @Test
  void aReplyWhoseClaimLapsedIsDeliveredByAnotherClaim(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, new JsonObject().put("debounce.lease-seconds", 1.0))
      .compose(id -> stage(reply("t1", "Вітаю!")))
      // Claimed by an instance that died before it sent anything.
      .compose(r -> stores.outbox().claim(SUBSCRIBER, "node-dead"))
      .compose(e -> {
        assertThat(e).isPresent();
        return completion(vertx, "t1");
      })
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("delivered");
        assertThat(validRequests()).hasSize(1);
        assertThat(stores.outbox().pending().result()).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void aCallSlowerThanTheLeaseKeepsItsClaim(Vertx vertx, VertxTestContext ctx) {
    // ManyChat takes 2.5 leases to answer: without renewal the sweep would claim the reply again and resend it.
    manychat.inject(Fault.delay(2_500));
    deploy(vertx, new JsonObject().put("debounce.lease-seconds", 1.0).put("manychat.timeout-ms", 5_000))
      .compose(id -> push(vertx, reply("t1", "Вітаю!")).compose(v -> completion(vertx, "t1")))
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("delivered");
        assertThat(validRequests()).hasSize(1);
        ctx.completeNow();
      })));
  }

  @Test
  void anAnnouncedReplyGoesOutWithoutWaitingForTheSweep(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, new JsonObject().put("push.sweep-ms", 60_000))
      .compose(id -> push(vertx, reply("t1", "Вітаю!")).compose(v -> completion(vertx, "t1")))
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("delivered");
        assertThat(validRequests()).hasSize(1);
        assertThat(pushLines()).anyMatch(l -> l.startsWith("INFO reply delivered for subscriber " + SUBSCRIBER));
        ctx.completeNow();
      })));
  }

  @Test
  void retriesWaitAnExponentialBackoffWithJitter(Vertx vertx, VertxTestContext ctx) {
    manychat.inject(Fault.status(500, ""), 3);
    deploy(vertx, new JsonObject().put("push.backoff-ms", 40).put("push.backoff-max-ms", 100))
      .compose(id -> push(vertx, reply("t1", "Вітаю!")).compose(v -> completion(vertx, "t1")))
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("delivered");
        // Full jitter: attempt n waits less than min(max, backoff * 2^(n-1)).
        assertThat(outbox.retries).hasSize(3);
        long[] bounds = {40, 80, 100};
        for (int i = 0; i < 3; i++) {
          String[] parts = outbox.retries.get(i).split("[/@]");
          assertThat(Integer.parseInt(parts[0])).isEqualTo(i + 1);
          assertThat(Long.parseLong(parts[2])).isBetween(0L, bounds[i] - 1);
        }
        assertThat(validRequests()).hasSize(4);
        Timer delivery = registry.get("mirt.push.delivery").tag("outcome", "delivered").timer();
        assertThat(delivery.count()).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void aLostClaimStopsTheDeliveryBeforeTheNextCall(Vertx vertx, VertxTestContext ctx) {
    List<OutMessage> texts = IntStream.rangeClosed(1, 15).mapToObj(i -> OutMessage.text("Повідомлення " + i)).toList();
    deploy(vertx, new JsonObject().put("debounce.lease-seconds", 1.0))
      .compose(id -> {
        // The store says another claim took the reply right after ManyChat accepted the first call.
        outbox.loseClaims.set(1);
        return push(vertx, reply(SUBSCRIBER, "t1", texts));
      })
      .compose(v -> completion(vertx, "t1"))
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        // The lost claim sent nothing more; its lease ended and the next claim sent the first call again (the one
        // duplicate window: accepted by ManyChat, not recorded), then the rest.
        assertThat(validRequests()).extracting(PushVerticleTest::firstText)
          .containsExactly("Повідомлення 1", "Повідомлення 1", "Повідомлення 11");
        assertThat(pushLines()).anyMatch(l -> l.startsWith("WARN reply for subscriber " + SUBSCRIBER)
          && l.contains("call 1/2 was accepted but the claim was lost"));
        ctx.completeNow();
      })));
  }

  @Test
  void aFinishTheStoreDidNotTakeIsCompletedByTheNextClaimWithoutResending(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, new JsonObject().put("debounce.lease-seconds", 1.0))
      .compose(id -> {
        outbox.failFinishes.set(1);
        return push(vertx, reply("t1", "Вітаю!"));
      })
      .compose(v -> completion(vertx, "t1"))
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("delivered");
        assertThat(validRequests()).as("every call was recorded as accepted: nothing is sent again").hasSize(1);
        assertThat(stores.outbox().pending().result()).isZero();
        assertThat(pushLines()).anyMatch(l -> l.contains("ended as delivered but the store did not answer"));
        ctx.completeNow();
      })));
  }

  @Test
  void whileACallWaitsTheLeaseIsRenewedWithTheCallsAcceptedSoFar(Vertx vertx, VertxTestContext ctx) {
    List<OutMessage> texts = IntStream.rangeClosed(1, 15).mapToObj(i -> OutMessage.text("Повідомлення " + i)).toList();
    manychat.inject(Fault.delay(1)).inject(Fault.delay(1_500));
    deploy(vertx, new JsonObject().put("debounce.lease-seconds", 1.0).put("manychat.timeout-ms", 5_000))
      .compose(id -> push(vertx, reply(SUBSCRIBER, "t1", texts)).compose(v -> completion(vertx, "t1")))
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(validRequests()).hasSize(2);
        // 1 after the first call, renewals of 1 while the second waits, 2 at the end.
        assertThat(outbox.accepted).startsWith(1, 1).endsWith(1, 2).allMatch(n -> n == 1 || n == 2);
        ctx.completeNow();
      })));
  }

  @Test
  void aStoreThatStopsAnsweringIsLoggedOnceAndItsReturnToo(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, new JsonObject().put("push.sweep-ms", 10))
      .compose(id -> {
        outbox.down.set(true);
        return Poll.until(vertx, () -> pushLines().stream().anyMatch(l -> l.startsWith("ERROR push sweep failed"))
          ? Boolean.TRUE : null, WAIT, "the failure logged");
      })
      .compose(v -> {
        outbox.down.set(false);
        return Poll.until(vertx, () -> pushLines().contains("INFO push sweep works again") ? Boolean.TRUE : null,
          WAIT, "the recovery logged");
      })
      .compose(v -> push(vertx, reply("t1", "Вітаю!")).compose(x -> completion(vertx, "t1")))
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(pushLines().stream().filter(l -> l.startsWith("ERROR push sweep failed"))).hasSize(1);
        assertThat(pushLines().stream().filter(l -> l.equals("INFO push sweep works again"))).hasSize(1);
        assertThat(tc.getString("status")).isEqualTo("delivered");
        ctx.completeNow();
      })));
  }

  @Test
  void aSubscribersNextReplyGoesOutAfterTheFirstIsFinished(Vertx vertx, VertxTestContext ctx) {
    manychat.inject(Fault.status(500, ""));
    deploy(vertx, new JsonObject())
      .compose(id -> push(vertx, reply("t1", "Перша")))
      .compose(v -> completion(vertx, "t1"))
      .compose(v -> push(vertx, reply("t2", "Друга")))
      .compose(v -> completion(vertx, "t2"))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(validRequests()).extracting(PushVerticleTest::firstText).containsExactly("Перша", "Перша", "Друга");
        ctx.completeNow();
      })));
  }

  @Test
  void aRefusedTagAfterTheCustomerGotTheMessagesIsDeadLetteredAloneAndTheRestGoesOn(Vertx vertx,
                                                                                   VertxTestContext ctx) {
    // Nine actions: five ride on the one sendContent call, the rest need setCustomFields and tag calls afterwards.
    Reply many = new Reply(SUBSCRIBER, "t1", Channel.INSTAGRAM, List.of(OutMessage.text("Вітаю!")), List.of(),
      "STATE_2_OFFER", "product", Map.of("ai_product", "Сукня", "ai_size", "122", "f3", "x"),
      List.of("needs_human", "vip"), List.of("old"), "trace-t1");
    manychat.inject(Fault.delay(1)).inject(Fault.delay(1)).inject(Fault.status(400,
      "{\"status\":\"error\",\"message\":\"Tag not found\",\"details\":{\"messages\":[{\"message\":\"no tag\"}]}}"));
    deploy(vertx, new JsonObject())
      .compose(id -> push(vertx, many).compose(v -> completion(vertx, "t1")))
      .onComplete(ctx.succeeding(tc -> ctx.verify(() -> {
        assertThat(tc.getString("status")).isEqualTo("delivered");
        assertThat(tc.containsKey("reason")).as("the refused tag is a dead letter of its own").isFalse();
        List<RecordedRequest> requests = validRequests();
        assertThat(requests).extracting(RecordedRequest::path).containsExactly(SEND_CONTENT,
          DynamicBlockBuilder.SET_CUSTOM_FIELDS, DynamicBlockBuilder.ADD_TAG, DynamicBlockBuilder.ADD_TAG,
          DynamicBlockBuilder.REMOVE_TAG);
        DeadLetter d = stores.deadLetters().recent(10).result().get(0);
        assertThat(d.code()).isEqualTo("unknown_field");
        assertThat(d.reason()).startsWith("delivered without some actions").contains("Tag not found");
        assertThat(d.payload().getJsonArray("calls")).singleElement()
          .isEqualTo(new JsonObject().put("path", DynamicBlockBuilder.ADD_TAG).put("body", requests.get(2).json()));
        assertThat(registry.get("mirt.push.partial").tag("reason", "unknown_field").counter().count()).isEqualTo(1);
        assertThat(deadLetters("unknown_field")).isEqualTo(1);
        ctx.completeNow();
      })));
  }

}
