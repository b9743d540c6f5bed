package ai.mirt.app;

import ai.mirt.common.Commands;
import ai.mirt.common.MirtConfig;
import ai.mirt.testkit.FakeManyChat;
import ai.mirt.testkit.FakeOpenAi;
import ai.mirt.testkit.FakeServer.Fault;
import ai.mirt.testkit.ManyChatValidator;
import ai.mirt.testkit.Poll;
import ai.mirt.testkit.RecordedRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline in one process: real webhook, debounce, agent and push verticles, with ManyChat and the
 * LLM replaced by recording HTTP servers. The fake model echoes what it was asked, so a reply shows which
 * customer texts its turn held.
 */
@ExtendWith(VertxExtension.class)
class PipelineTest {

  static final String TOKEN = "hook-token";
  static final String ADMIN = "admin-token";
  static final String KEY = "12345:page-key";
  static final long QUIET_MS = 400;
  static final long MAX_WAIT_MS = 1_500;
  static final ManyChatValidator VALIDATOR = ManyChatValidator.load();

  private Vertx testVertx;
  private FakeManyChat manychat;
  private FakeOpenAi openai;
  private MirtApp app;
  private WebClient client;

  @BeforeEach
  void start(VertxTestContext ctx) {
    testVertx = Vertx.vertx();
    manychat = new FakeManyChat(testVertx, KEY);
    openai = new FakeOpenAi(testVertx).answerWith(PipelineTest::echo);
    client = WebClient.create(testVertx);
    Future.all(manychat.start(), openai.start())
      .compose(v -> MirtApp.start(MirtApp.newVertx(), withState(config(manychat.baseUrl(), KEY, openai.v1Url()))))
      .onComplete(ctx.succeeding(a -> {
        app = a;
        ctx.completeNow();
      }));
  }

  /** Where this suite keeps state: in memory here; {@link RedisPipelineTest} runs the same tests on Redis. */
  protected JsonObject stateSettings() {
    return new JsonObject();
  }

  protected boolean redis() {
    return false;
  }

  MirtConfig withState(MirtConfig config) {
    return MirtConfig.fromJson(config.toJson().mergeIn(stateSettings()));
  }

  static MirtConfig config(String manychatUrl, String key, String openaiUrl) {
    return MirtConfig.fromJson(new JsonObject()
      .put("http.port", 0).put("http.host", "127.0.0.1")
      .put("manychat.verify-token", TOKEN).put("admin.token", ADMIN)
      .put("manychat.api-url", manychatUrl).put("manychat.api-key", key)
      .put("manychat.quick-reply-flow", "content20240101000000_000001")
      .put("manychat.timeout-ms", 2_000)
      .put("agent.catalog", "../conf/catalog.json")
      .put("agent.openai-base-url", openaiUrl == null ? "" : openaiUrl)
      .put("agent.openai-api-key", openaiUrl == null ? "" : "sk-test")
      .put("agent.timeout-seconds", 5)
      .put("debounce.quiet-seconds", QUIET_MS / 1000.0)
      .put("debounce.max-wait-seconds", MAX_WAIT_MS / 1000.0)
      .put("debounce.sweep-ms", 20)
      .put("push.backoff-ms", 50)
      .put("shutdown.grace-seconds", 10));
  }

  /** The fake model's answer: the last user message it was sent, in the strict JSON the agent asks for. */
  static String echo(JsonObject request) {
    return new JsonObject()
      .put("messages", new JsonArray().add("ECHO[" + Downstreams.lastUserMessage(request) + "]"))
      .put("product_ids", new JsonArray())
      .put("state", "STATE_1_DISCOVERY")
      .put("intent", "DISCOVERY_OR_QUESTION")
      .put("escalation", "")
      .put("client", new JsonObject().put("name", "").put("phone", "").put("city", "").put("branch", ""))
      .encode();
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    // Every request Mirt made to ManyChat in any test must be valid against the published spec and the contract.
    for (RecordedRequest r : manychat.requests()) {
      VALIDATOR.assertValid(r.path(), r.json());
    }
    Future<Void> stopApp = app == null ? Future.succeededFuture() : app.vertx().close();
    stopApp.compose(v -> testVertx.close()).onComplete(ctx.succeedingThenComplete());
  }

  Future<HttpResponse<Buffer>> post(String subscriber, String text) {
    JsonObject body = new JsonObject().put("subscriber", new JsonObject().put("id", Long.parseLong(subscriber)))
      .put("message", new JsonObject().put("text", text)).put("type", "instagram");
    return client.post(app.port(), "127.0.0.1", "/webhooks/manychat")
      .putHeader("X-ManyChat-Token", TOKEN).putHeader("Content-Type", "application/json")
      .sendBuffer(body.toBuffer())
      .map(r -> {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
        return r;
      });
  }

  Future<Void> postAll(String subscriber, String... texts) {
    Future<Void> f = Future.succeededFuture();
    for (String t : texts) {
      f = f.compose(v -> post(subscriber, t).mapEmpty());
    }
    return f;
  }

  List<RecordedRequest> sendContents() {
    return manychat.requests(FakeManyChat.SEND_CONTENT);
  }

  static String texts(RecordedRequest r) {
    JsonArray messages = r.json().getJsonObject("data").getJsonObject("content").getJsonArray("messages");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.getJsonObject(i);
      if ("text".equals(m.getString("type"))) {
        out.add(m.getString("text"));
      }
    }
    return String.join("\n", out);
  }

  /**
   * Completes once Mirt has nothing left to do: no buffered message, no turn in flight, no reply waiting in push.
   * After that no further ManyChat call can come, so counting them is final.
   */
  Future<Void> awaitIdle() {
    long deadline = System.currentTimeMillis() + 15_000;
    return idleCheck(deadline);
  }

  private Future<Void> idleCheck(long deadline) {
    return client.get(app.port(), "127.0.0.1", "/health").send().compose(r -> {
      JsonObject c = r.bodyAsJsonObject().getJsonObject("components");
      JsonObject d = c.getJsonObject("debounce");
      boolean idle = d.getInteger("pendingMessages", -1) == 0 && d.getInteger("inFlight", -1) == 0
        && c.getJsonObject("push").getInteger("pending", -1) == 0;
      if (idle) {
        return Future.succeededFuture();
      }
      if (System.currentTimeMillis() > deadline) {
        return Future.failedFuture(new AssertionError("Mirt did not become idle: " + c.encode()));
      }
      io.vertx.core.Promise<Void> next = io.vertx.core.Promise.promise();
      testVertx.setTimer(20, id -> idleCheck(deadline).onComplete(next));
      return next.future();
    });
  }

  @Test
  void burstOfThreeMessagesGetsOneReply(VertxTestContext ctx) {
    long[] lastPost = new long[1];
    postAll("1001", "Привіт", "шукаю сукню")
      .compose(v -> {
        // Taken before the last message is sent: it was stored after this, so its quiet window ends later.
        lastPost[0] = System.currentTimeMillis();
        return post("1001", "на зріст 116");
      })
      .compose(v -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, Duration.ofSeconds(10)))
      .compose(rs -> awaitIdle())
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        List<RecordedRequest> sent = sendContents();
        assertThat(sent).hasSize(1);
        RecordedRequest r = sent.get(0);
        assertThat(r.receivedAt() - lastPost[0]).isGreaterThanOrEqualTo(QUIET_MS);
        assertThat(r.json().getLong("subscriber_id")).isEqualTo(1001L);
        assertThat(texts(r)).contains("Привіт\nшукаю сукню\nна зріст 116");
        assertThat(openai.requests(FakeOpenAi.COMPLETIONS)).hasSize(1);
        JsonArray actions = r.json().getJsonObject("data").getJsonObject("content").getJsonArray("actions");
        assertThat(actions.encode()).contains("ai_responded").contains("ai_state").contains("ai_intent");
        ctx.completeNow();
      })));
  }

  @Test
  void interleavedSubscribersGetTheirOwnReplies(VertxTestContext ctx) {
    post("2001", "A1").compose(r -> post("2002", "B1")).compose(r -> post("2001", "A2")).compose(r -> post("2002", "B2"))
      .compose(v -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 2, Duration.ofSeconds(10)))
      .compose(rs -> awaitIdle())
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(sendContents()).hasSize(2);
        for (RecordedRequest r : sendContents()) {
          long id = r.json().getLong("subscriber_id");
          String own = id == 2001L ? "A1\nA2" : "B1\nB2";
          String other = id == 2001L ? "B" : "A";
          assertThat(texts(r)).contains(own).doesNotContain(other + "1").doesNotContain(other + "2");
        }
        assertThat(sendContents()).extracting(r -> r.json().getLong("subscriber_id"))
          .containsExactlyInAnyOrder(2001L, 2002L);
        ctx.completeNow();
      })));
  }

  @Test
  void maxWaitCapsAnEndlessStream(VertxTestContext ctx) {
    long start = System.currentTimeMillis();
    int[] n = {0};
    List<Throwable> postFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    long timer = testVertx.setPeriodic(QUIET_MS / 4, id -> post("3001", "ще " + n[0]++).onFailure(postFailures::add));
    manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, Duration.ofSeconds(10))
      .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
        testVertx.cancelTimer(timer);
        assertThat(postFailures).isEmpty();
        // The reply came while the customer was still typing, holding several messages. Its exact time (max wait
        // after the first message) is the store contract's, tested on an explicit clock: here a busy machine
        // may leave a gap longer than the quiet window between two posts.
        long waited = rs.get(0).receivedAt() - start;
        assertThat(waited).isLessThan(MAX_WAIT_MS + 2_000);
        assertThat(texts(rs.get(0))).contains("ще 0\nще 1");
        ctx.completeNow();
      })));
  }

  @Test
  void messageDuringTheModelCallSupersedesTheReply(VertxTestContext ctx) {
    openai.inject(Fault.delay(QUIET_MS * 3));
    post("4001", "перше")
      .compose(r -> openai.awaitRequests(FakeOpenAi.COMPLETIONS, 1, Duration.ofSeconds(10)))
      .compose(rs -> post("4001", "друге"))
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, Duration.ofSeconds(10)))
      .compose(rs -> awaitIdle())
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(sendContents()).hasSize(1);
        assertThat(texts(sendContents().get(0))).contains("перше\nдруге");
        assertThat(openai.requests(FakeOpenAi.COMPLETIONS)).hasSize(2);
        ctx.completeNow();
      })));
  }

  @Test
  void messageAfterTheReplyWasHandedOverGetsASecondTurn(VertxTestContext ctx) {
    manychat.inject(Fault.delay(QUIET_MS * 3));
    post("5001", "перше")
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, Duration.ofSeconds(10)))
      .compose(rs -> post("5001", "друге"))
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 2, Duration.ofSeconds(10)))
      .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
        assertThat(texts(rs.get(0))).contains("перше").doesNotContain("друге");
        assertThat(texts(rs.get(1))).contains("друге").doesNotContain("перше");
        assertThat(rs.get(1).receivedAt()).isGreaterThanOrEqualTo(rs.get(0).receivedAt());
        ctx.completeNow();
      })));
  }

  @Test
  void restartClearsTheConversation(VertxTestContext ctx) {
    post("6001", "хочу сукню")
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, Duration.ofSeconds(10)))
      .compose(rs -> post("6001", "/restart"))
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 2, Duration.ofSeconds(10)))
      .compose(rs -> post("6001", "а костюми?"))
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 3, Duration.ofSeconds(10)))
      .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
        assertThat(texts(rs.get(1))).isEqualTo(Commands.RESTART_REPLY);
        List<RecordedRequest> calls = openai.requests(FakeOpenAi.COMPLETIONS);
        assertThat(calls).as("/restart never reaches the model").hasSize(2);
        String afterRestart = calls.get(1).body();
        assertThat(afterRestart).contains("а костюми?").doesNotContain("хочу сукню");
        assertThat(calls.get(0).body()).contains("хочу сукню");
        ctx.completeNow();
      })));
  }

  @Test
  void conversationIsKeptBetweenTurns(VertxTestContext ctx) {
    post("6501", "хочу сукню")
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, Duration.ofSeconds(10)))
      .compose(rs -> post("6501", "а рожева є?"))
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 2, Duration.ofSeconds(10)))
      .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
        String second = openai.requests(FakeOpenAi.COMPLETIONS).get(1).body();
        assertThat(second).contains("хочу сукню").contains("ECHO[хочу сукню]").contains("а рожева є?");
        ctx.completeNow();
      })));
  }

  @Test
  void manyChatServerErrorIsRetriedAndDeliveredOnce(VertxTestContext ctx) {
    manychat.inject(Fault.status(500, "{\"status\":\"error\",\"message\":\"boom\"}"));
    post("7001", "привіт")
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 2, Duration.ofSeconds(10)))
      .compose(rs -> awaitIdle())
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(sendContents()).hasSize(2);
        assertThat(sendContents().get(1).body()).isEqualTo(sendContents().get(0).body());
        ctx.completeNow();
      })));
  }

  @Test
  void closedMessagingWindowIsNotRetriedAndTheNextTurnStillGoesOut(VertxTestContext ctx) {
    manychat.inject(Fault.status(400, FakeManyChat.WINDOW_CLOSED));
    post("8001", "привіт")
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, Duration.ofSeconds(10)))
      .compose(rs -> awaitIdle())
      .compose(v -> {
        assertThat(sendContents()).as("3011 is permanent").hasSize(1);
        return post("8001", "ще раз");
      })
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 2, Duration.ofSeconds(10)))
      .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
        assertThat(texts(rs.get(1))).contains("ще раз");
        ctx.completeNow();
      })));
  }

  Future<JsonObject> admin(HttpMethod method, String path, int expected) {
    return client.request(method, app.port(), "127.0.0.1", path).putHeader("Authorization", "Bearer " + ADMIN).send()
      .map(r -> {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(expected);
        return r.bodyAsJsonObject();
      });
  }

  @Test
  void aTurnTheModelCannotAnswerGetsTheHonestTextAndAManagerUntilResumed(VertxTestContext ctx) {
    openai.inject(Fault.status(500, "{\"error\":{\"message\":\"model down\"}}"));
    int[] modelCalls = new int[1];
    post("9101", "де моє замовлення?")
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, Duration.ofSeconds(15)))
      .compose(rs -> {
        JsonObject content = rs.get(0).json().getJsonObject("data").getJsonObject("content");
        assertThat(texts(rs.get(0))).as("never silence, never a made-up answer").contains("менеджер")
          .doesNotContain("ECHO");
        assertThat(content.getJsonArray("actions").encode()).contains("\"tag_name\":\"needs_human\"")
          .contains("\"add_tag\"");
        return awaitIdle();
      })
      .compose(v -> admin(HttpMethod.GET, "/admin/dead-letters", 200))
      .compose(list -> {
        assertThat(list.getJsonArray("deadLetters")).as("answered, so nothing is dead-lettered").isEmpty();
        modelCalls[0] = openai.requests().size();
        assertThat(modelCalls[0]).isPositive();
        return post("9101", "а зараз?");
      })
      .compose(r -> awaitIdle())
      .compose(v -> admin(HttpMethod.GET, "/admin/subscribers/9101", 200))
      .compose(view -> {
        assertThat(manychat.requests(FakeManyChat.SEND_CONTENT)).as("paused: a manager answers").hasSize(1);
        assertThat(openai.requests()).as("a paused turn never reaches the model").hasSize(modelCalls[0]);
        assertThat(view.getJsonObject("pause").getString("until")).isNotNull();
        assertThat(view.getJsonArray("lastMessages").encode()).contains("а зараз?");
        return admin(HttpMethod.POST, "/admin/subscribers/9101/resume", 200);
      })
      .compose(resumed -> {
        assertThat(resumed.getBoolean("wasPaused")).isTrue();
        return manychat.awaitRequests("/fb/subscriber/removeTagByName", 1, Duration.ofSeconds(15));
      })
      .compose(removed -> {
        assertThat(removed.get(0).json().getString("tag_name")).isEqualTo("needs_human");
        return awaitIdle();
      })
      .compose(v -> post("9101", "тепер відповісте?"))
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 2, Duration.ofSeconds(15)))
      .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
        assertThat(texts(rs.get(1))).contains("ECHO[тепер відповісте?]");
        assertThat(openai.requests().get(openai.requests().size() - 1).body()).as("it knows what was said meanwhile")
          .contains("а зараз?");
        ctx.completeNow();
      })));
  }

  @Test
  void anUndeliveredReplyIsListedAndCanBeSentAgainOrDeleted(VertxTestContext ctx) {
    manychat.inject(Fault.status(400, FakeManyChat.WINDOW_CLOSED), 2);
    String[] ids = new String[2];
    post("9201", "привіт")
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, Duration.ofSeconds(10)))
      .compose(rs -> awaitIdle())
      .compose(v -> post("9202", "добрий день"))
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 2, Duration.ofSeconds(10)))
      .compose(rs -> awaitIdle())
      .compose(v -> admin(HttpMethod.GET, "/admin/dead-letters?limit=10", 200))
      .compose(list -> {
        JsonArray letters = list.getJsonArray("deadLetters");
        assertThat(letters).hasSize(2);
        // Newest first.
        assertThat(letters.getJsonObject(0).getString("subscriberId")).isEqualTo("9202");
        for (int i = 0; i < 2; i++) {
          JsonObject letter = letters.getJsonObject(i);
          assertThat(letter.getString("source")).isEqualTo("push");
          assertThat(letter.getString("code")).isEqualTo("window_closed");
          assertThat(letter.getString("reason")).contains("3011").contains("24h");
          assertThat(letter.getJsonObject("payload").getJsonArray("calls")).isNotEmpty();
          ids[i] = letter.getString("id");
        }
        return admin(HttpMethod.POST, "/admin/dead-letters/" + ids[1] + "/retry", 200);
      })
      .compose(retried -> {
        assertThat(retried.getString("status")).isEqualTo("delivered");
        return admin(HttpMethod.DELETE, "/admin/dead-letters/" + ids[0], 200);
      })
      .compose(deleted -> admin(HttpMethod.GET, "/admin/dead-letters", 200))
      .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
        assertThat(list.getJsonArray("deadLetters")).isEmpty();
        List<RecordedRequest> sent = sendContents();
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).json()).as("the retry sends the reply as it was").isEqualTo(sent.get(0).json());
        ctx.completeNow();
      })));
  }

  @Test
  void healthAndMetricsReportThePipeline(VertxTestContext ctx) {
    post("9001", "привіт")
      .compose(r -> manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, Duration.ofSeconds(10)))
      .compose(rs -> client.get(app.port(), "127.0.0.1", "/health").send())
      .compose(h -> {
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.bodyAsJsonObject().getJsonObject("components").fieldNames())
          .contains("webhook", "debounce", "agent", "push");
        return client.get(app.port(), "127.0.0.1", "/metrics").send();
      })
      .onComplete(ctx.succeeding(m -> ctx.verify(() -> {
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.bodyAsString()).contains("mirt_webhook_requests_total").contains("mirt_webhook_ack_seconds_bucket")
          .contains("mirt_debounce_turns_total");
        ctx.completeNow();
      })));
  }

  @Test
  void shutdownFinishesBufferedTurnsBeforeClosing() throws Exception {
    // In memory a long quiet window: without draining, the buffered message would wait 60 s. In Redis the message
    // keeps its due time (2 s) for whichever instance runs then.
    double quiet = redis() ? 2.0 : 60.0;
    MirtConfig slow = MirtConfig.fromJson(withState(config(manychat.baseUrl(), KEY, openai.v1Url())).toJson()
      .put("debounce.quiet-seconds", quiet).put("debounce.max-wait-seconds", 2 * quiet));
    MirtApp other = MirtApp.start(MirtApp.newVertx(), slow).toCompletionStage().toCompletableFuture()
      .get(30, TimeUnit.SECONDS);
    JsonObject body = new JsonObject().put("subscriber", new JsonObject().put("id", 9901))
      .put("message", new JsonObject().put("text", "встигніть відповісти"));
    HttpResponse<Buffer> r = client.post(other.port(), "127.0.0.1", "/webhooks/manychat")
      .putHeader("X-ManyChat-Token", TOKEN).putHeader("Content-Type", "application/json")
      .sendBuffer(body.toBuffer()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(sendContents()).isEmpty();

    other.shutdown();

    if (redis()) {
      // Shared state: the buffered message stays in Redis, for any instance; the next one to start answers it.
      assertThat(sendContents()).isEmpty();
      MirtApp next = MirtApp.start(MirtApp.newVertx(), withState(config(manychat.baseUrl(), KEY, openai.v1Url())))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      try {
        List<RecordedRequest> sent = manychat.awaitRequests(FakeManyChat.SEND_CONTENT, 1, Duration.ofSeconds(10))
          .toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertThat(texts(sent.get(0))).contains("встигніть відповісти");
      } finally {
        next.vertx().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } else {
      assertThat(sendContents()).hasSize(1);
      assertThat(texts(sendContents().get(0))).contains("встигніть відповісти");
    }
    Throwable refused = client.post(other.port(), "127.0.0.1", "/webhooks/manychat").putHeader("X-ManyChat-Token", TOKEN)
      .putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer())
      .toCompletionStage().toCompletableFuture().handle((ok, err) -> err).get(10, TimeUnit.SECONDS);
    assertThat(refused).as("no webhook is taken after shutdown").isNotNull();
  }

  static String joined(List<RecordedRequest> rs) {
    return rs.stream().map(PipelineTest::texts).collect(Collectors.joining(" | "));
  }
}
