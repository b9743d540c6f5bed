package ai.mirt.app;

import ai.mirt.agent.Answer;
import ai.mirt.agent.Assistant;
import ai.mirt.agent.Conversation;
import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Reply;
import ai.mirt.common.Turn;
import ai.mirt.push.DynamicBlockBuilder;
import ai.mirt.testkit.FakeManyChat;
import ai.mirt.testkit.RecordedRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static ai.mirt.app.PipelineTest.ADMIN;
import static ai.mirt.app.PipelineTest.KEY;
import static ai.mirt.app.PipelineTest.TOKEN;
import static ai.mirt.app.PipelineTest.VALIDATOR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline in response mode ({@code manychat.push-mode=false}) with the offline assistant: ManyChat's
 * request waits for its reply, which comes back as a Dynamic Block in the HTTP answer. Every body is checked against
 * ManyChat's Dynamic Block rules, and the reply's block against what the offline assistant answers the same texts.
 * In memory here; {@link RedisResponseModeTest} runs the same tests on Redis.
 */
@ExtendWith(VertxExtension.class)
class ResponseModeTest {

  static final String INTERIM = "Хвилинку, уточнюю 🙏";
  static final String FLOW = "content20240101000000_000001";

  private Vertx testVertx;
  private WebClient client;
  private FakeManyChat manychat;
  private MirtApp app;

  @BeforeEach
  void start(VertxTestContext ctx) {
    testVertx = Vertx.vertx();
    client = WebClient.create(testVertx);
    manychat = new FakeManyChat(testVertx, KEY);
    manychat.start().onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    for (RecordedRequest r : manychat.requests()) {
      VALIDATOR.assertValid(r.path(), r.json());
    }
    Future<Void> stopApp = app == null ? Future.succeededFuture() : app.vertx().close();
    stopApp.compose(v -> testVertx.close()).onComplete(ctx.succeedingThenComplete());
  }

  /** Where this suite keeps state: in memory here. */
  protected JsonObject stateSettings() {
    return new JsonObject();
  }

  /**
   * Mirt in response mode with the offline assistant.
   *
   * @param key           the ManyChat API key; empty: none
   * @param quietSeconds  the quiet window; longer than the deadline makes every reply late
   * @param deadline      the response deadline in seconds
   */
  private Future<MirtConfig> startApp(String key, double quietSeconds, double deadline) {
    JsonObject json = PipelineTest.config(manychat.baseUrl(), key, null).toJson()
      .put("manychat.push-mode", false)
      .put("response-mode.deadline-seconds", deadline)
      .put("response-mode.interim-text", INTERIM)
      .put("debounce.quiet-seconds", quietSeconds)
      .put("debounce.max-wait-seconds", quietSeconds * 4)
      .put("push.sweep-ms", 50)
      .mergeIn(stateSettings());
    MirtConfig cfg = MirtConfig.fromJson(json);
    return MirtApp.start(MirtApp.newVertx(), cfg).map(a -> {
      app = a;
      return cfg;
    });
  }

  private Future<HttpResponse<Buffer>> post(String subscriber, String text) {
    JsonObject body = new JsonObject().put("subscriber", new JsonObject().put("id", Long.parseLong(subscriber)))
      .put("message", new JsonObject().put("text", text)).put("type", "instagram");
    return client.post(app.port(), "127.0.0.1", "/webhooks/manychat")
      .putHeader("X-ManyChat-Token", TOKEN).putHeader("Content-Type", "application/json")
      .timeout(15_000).sendBuffer(body.toBuffer());
  }

  /** The answer as ManyChat reads it: HTTP 200 with a valid Dynamic Block v2. */
  private static JsonObject block(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = r.bodyAsJsonObject();
    assertThat(VALIDATOR.dynamicBlockViolations(body)).as(body.encode()).isEmpty();
    return body;
  }

  private static List<String> texts(JsonObject block) {
    return block.getJsonObject("content").getJsonArray("messages").stream().map(JsonObject.class::cast)
      .filter(m -> "text".equals(m.getString("type"))).map(m -> m.getString("text")).toList();
  }

  /** What the offline assistant answers a first turn with these texts, as the block that carries it. */
  private static JsonObject expected(MirtConfig cfg, String subscriber, String text) throws Exception {
    Answer a = Assistant.create(cfg.agent()).answer(new Turn(subscriber, "expected", Channel.INSTAGRAM, text,
      List.of(), Contact.EMPTY, 1, 0, 1, 0, "expected"), Conversation.empty());
    Reply r = new Reply(subscriber, "expected", Channel.INSTAGRAM, a.messages(), a.quickReplies(), a.stage().name(),
      a.intent().name(), a.fields(), a.addTags(), a.removeTags(), "expected");
    return new DynamicBlockBuilder(cfg.manychat().names()).forResponse(r, cfg.manychat().quickReplyFlow()).block();
  }

  private Future<JsonObject> admin(String path) {
    return client.get(app.port(), "127.0.0.1", path).putHeader("Authorization", "Bearer " + ADMIN).send()
      .map(r -> {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        return r.bodyAsJsonObject();
      });
  }

  private Future<JsonObject> health() {
    return client.get(app.port(), "127.0.0.1", "/health").send().map(r -> r.bodyAsJsonObject()
      .getJsonObject("components"));
  }

  /** Polls {@code probe} every 20 ms until it yields a value that passes; fails after 15 s. */
  private <T> Future<T> until(java.util.function.Supplier<Future<T>> probe, Predicate<T> done, String what) {
    long deadline = System.currentTimeMillis() + 15_000;
    return check(probe, done, what, deadline);
  }

  private <T> Future<T> check(java.util.function.Supplier<Future<T>> probe, Predicate<T> done, String what,
                              long deadline) {
    return probe.get().compose(value -> {
      if (done.test(value)) {
        return Future.succeededFuture(value);
      }
      if (System.currentTimeMillis() > deadline) {
        return Future.failedFuture(new AssertionError("timed out waiting for " + what + "; last: " + value));
      }
      Promise<T> next = Promise.promise();
      testVertx.setTimer(20, id -> check(probe, done, what, deadline).onComplete(next));
      return next.future();
    });
  }

  /**
   * The outbox view once this many replies are finished: the held request is answered as soon as the block arrives,
   * a moment before push records the reply as finished.
   */
  private Future<JsonObject> finished(int replies) {
    return until(() -> admin("/admin/outbox"), o -> o.getJsonArray("payloads").size() >= replies,
      replies + " finished replies");
  }

  /** Until debounce has stored this many messages (none claimed yet: the quiet window is running). */
  private Future<JsonObject> buffered(int messages) {
    return until(this::health, c -> c.getJsonObject("debounce").getInteger("pendingMessages", -1) == messages,
      messages + " message(s) buffered");
  }

  /** Until nothing is buffered, in flight or waiting in the outbox: the turn is complete. */
  private Future<JsonObject> idle() {
    return until(this::health, c -> c.getJsonObject("debounce").getInteger("pendingMessages", -1) == 0
      && c.getJsonObject("debounce").getInteger("inFlight", -1) == 0
      && c.getJsonObject("push").getInteger("pending", -1) == 0, "Mirt to be idle");
  }

  @Test
  void oneMessageIsAnsweredWithTheOfflineAssistantsReplyAsADynamicBlock(VertxTestContext ctx) {
    String text = "Добрий день! Які у вас є сукні?";
    startApp("", 0.3, 8)
      .compose(cfg -> post("1101", text).compose(r -> finished(1).map(outbox -> {
        ctx.verify(() -> {
          JsonObject body = block(r);
          JsonObject expected = expected(cfg, "1101", text);
          assertThat(texts(body)).isNotEmpty().isEqualTo(texts(expected));
          assertThat(body).isEqualTo(expected);
          assertThat(body.getJsonObject("content").getJsonArray("actions").encode()).contains("ai_responded");
          JsonArray payloads = outbox.getJsonArray("payloads");
          assertThat(payloads).hasSize(1);
          assertThat(payloads.getJsonObject(0).getString("status")).isEqualTo("responded");
          assertThat(payloads.getJsonObject(0).getJsonObject("response")).isEqualTo(body);
          assertThat(manychat.requests()).isEmpty();
        });
        return outbox;
      })))
      .compose(v -> admin("/admin/dead-letters"))
      .onComplete(ctx.succeeding(dead -> ctx.verify(() -> {
        assertThat(dead.getJsonArray("deadLetters")).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void aBurstOfThreeGetsEmptyBlocksOnTheFirstTwoRequestsAndTheReplyOnTheLast(VertxTestContext ctx) {
    String sub = "1201";
    startApp("", 0.6, 8)
      .compose(cfg -> {
        Future<HttpResponse<Buffer>> first = post(sub, Bursts.text(1201, 1));
        return buffered(1).compose(h -> {
          Future<HttpResponse<Buffer>> second = post(sub, Bursts.text(1201, 2));
          return buffered(2).compose(h2 -> {
            Future<HttpResponse<Buffer>> third = post(sub, Bursts.text(1201, 3));
            return Future.all(first, second, third);
          });
        }).compose(all -> finished(1).compose(outbox -> idle().map(outbox)).map(outbox -> {
          ctx.verify(() -> {
            assertThat(texts(block(all.resultAt(0)))).as("first").isEmpty();
            assertThat(texts(block(all.resultAt(1)))).as("second").isEmpty();
            JsonObject reply = block(all.resultAt(2));
            assertThat(reply).isEqualTo(expected(cfg, sub, Bursts.burst(1201)));
            assertThat(texts(reply)).isNotEmpty();
            assertThat(outbox.getJsonArray("payloads")).as("one turn").hasSize(1);
          });
          return outbox;
        }));
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void pastTheDeadlineWithoutAKeyTheInterimTextAnswersAndTheReplyBecomesADeadLetter(VertxTestContext ctx) {
    startApp("", 1.5, 1)
      .compose(cfg -> post("1301", "Є сукні на випускний?"))
      .compose(r -> {
        ctx.verify(() -> assertThat(texts(block(r))).containsExactly(INTERIM));
        return until(() -> admin("/admin/dead-letters"), d -> !d.getJsonArray("deadLetters").isEmpty(),
          "the late reply dead-lettered");
      })
      .compose(dead -> idle().map(dead))
      .onComplete(ctx.succeeding(dead -> ctx.verify(() -> {
        assertThat(dead.getJsonArray("deadLetters")).singleElement().satisfies(o -> {
          JsonObject letter = (JsonObject) o;
          assertThat(letter.getString("source")).isEqualTo("push");
          assertThat(letter.getString("code")).isEqualTo("deadline");
          assertThat(letter.getString("subscriberId")).isEqualTo("1301");
          assertThat(letter.getJsonObject("payload").getJsonArray("calls")).isNotEmpty();
        });
        assertThat(manychat.requests()).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void pastTheDeadlineWithAKeyTheInterimTextAnswersAndTheReplyArrivesBySendContent(VertxTestContext ctx) {
    String text = "Є сукні на випускний?";
    startApp(KEY, 1.5, 1)
      .compose(cfg -> post("1401", text).compose(r -> {
        ctx.verify(() -> assertThat(texts(block(r))).containsExactly(INTERIM));
        return manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, Duration.ofSeconds(15));
      }).compose(sent -> idle().map(h -> {
        ctx.verify(() -> {
          assertThat(sent).hasSize(1);
          JsonObject data = sent.get(0).json().getJsonObject("data");
          assertThat(sent.get(0).json().getLong("subscriber_id")).isEqualTo(1401L);
          assertThat(data).isEqualTo(expected(cfg, "1401", text));
        });
        return h;
      })))
      .compose(h -> admin("/admin/dead-letters"))
      .onComplete(ctx.succeeding(dead -> ctx.verify(() -> {
        assertThat(dead.getJsonArray("deadLetters")).isEmpty();
        assertThat(manychat.requests(FakeManyChat.SEND_CONTENT)).hasSize(1);
        ctx.completeNow();
      })));
  }
}
