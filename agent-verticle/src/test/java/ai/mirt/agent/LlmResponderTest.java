package ai.mirt.agent;

import ai.mirt.common.Addresses;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.OutMessage;
import ai.mirt.testkit.FakeOpenAi;
import ai.mirt.testkit.FakeServer.Fault;
import ai.mirt.testkit.RecordedRequest;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The LLM path, through the verticle, against an OpenAI-compatible test server. */
@ExtendWith(VertxExtension.class)
class LlmResponderTest {

  private static final String MODEL = "gpt-test-mini";
  private static final String KEY = "sk-test-key";

  private FakeTurnStore debounce;
  private FakeOpenAi openAi;

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) {
    debounce = new FakeTurnStore(vertx);
    openAi = new FakeOpenAi(vertx);
    openAi.start().onComplete(ctx.succeedingThenComplete());
  }

  private Future<String> deploy(Vertx vertx, int timeoutSeconds) {
    JsonObject config = new JsonObject()
      .put("agent.catalog", TestCatalog.PATH)
      .put("agent.openai-base-url", openAi.v1Url())
      .put("agent.openai-api-key", KEY)
      .put("agent.openai-model", MODEL)
      .put("agent.timeout-seconds", timeoutSeconds);
    return vertx.deployVerticle(new AgentVerticle(debounce, debounce, "node-a", null),
      new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setConfig(config));
  }

  private static String answer(String reply, List<String> productIds, boolean needsHuman) {
    return new JsonObject().put("reply", reply).put("product_ids", new JsonArray(productIds))
      .put("needs_human", needsHuman).encode();
  }

  private static String content(JsonObject message) {
    return String.valueOf(message.getValue("content"));
  }

  @Test
  void requestCarriesModelCatalogAndCustomerTextAndProductIdsBecomeImages(Vertx vertx, VertxTestContext ctx) {
    openAi.answerWith(req -> answer("Ось наша «Ромашка» 🌼", List.of("dress-01", "no-such-product"), false));
    deploy(vertx, 5)
      .compose(id -> debounce.ask(FakeTurnStore.turn("900", "t-llm", "Покажіть Ромашку, будь ласка",
        List.of("https://cdn.example.com/customer.jpg"))))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(reply.messages()).containsExactly(OutMessage.text("Ось наша «Ромашка» 🌼"),
          OutMessage.image("https://shop.example.com/img/dress-01-1.jpg"));
        assertThat(reply.addTags()).isEmpty();
        assertThat(reply.intent()).isEqualTo("product");

        RecordedRequest request = openAi.requests(FakeOpenAi.COMPLETIONS).get(0);
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
        JsonObject body = request.json();
        assertThat(body.getString("model")).isEqualTo(MODEL);
        JsonArray messages = body.getJsonArray("messages");
        JsonObject system = messages.getJsonObject(0);
        assertThat(system.getString("role")).isEqualTo("system");
        assertThat(content(system)).contains("українською").contains("dress-01").contains("Сукня «Ромашка»")
          .contains("trench-03").contains("Олена");
        JsonObject user = messages.getJsonObject(messages.size() - 1);
        assertThat(user.getString("role")).isEqualTo("user");
        assertThat(content(user)).contains("Покажіть Ромашку, будь ласка")
          .contains("https://cdn.example.com/customer.jpg");
        JsonObject format = body.getJsonObject("response_format");
        assertThat(format.getString("type")).isEqualTo("json_schema");
        assertThat(format.getJsonObject("json_schema").getBoolean("strict")).isTrue();
        assertThat(format.getJsonObject("json_schema").getJsonObject("schema").getJsonArray("required"))
          .containsExactlyInAnyOrder("reply", "product_ids", "needs_human");
        assertThat(format.getJsonObject("json_schema").getJsonObject("schema").getBoolean("additionalProperties"))
          .isFalse();
        ctx.completeNow();
      })));
  }

  @Test
  void needsHumanBecomesTagAndHumanState(Vertx vertx, VertxTestContext ctx) {
    openAi.answerWith(req -> answer("Перепрошуємо! Менеджер відповість найближчим часом.", List.of(), true));
    deploy(vertx, 5)
      .compose(id -> debounce.ask(FakeTurnStore.turn("901", "t-human", "Покличте людину")))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(reply.addTags()).containsExactly(Answer.TAG_NEEDS_HUMAN);
        assertThat(reply.state()).isEqualTo(Stages.HUMAN);
        assertThat(reply.messages()).hasSize(1);
        ctx.completeNow();
      })));
  }

  @Test
  void plainTextAnswerIsUsedAsTheReply(Vertx vertx, VertxTestContext ctx) {
    openAi.answerWith(req -> "Вітаю! Чим можу допомогти?");
    deploy(vertx, 5)
      .compose(id -> debounce.ask(FakeTurnStore.turn("902", "t-plain", "Привіт")))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(reply.messages()).containsExactly(OutMessage.text("Вітаю! Чим можу допомогти?"));
        assertThat(reply.state()).isEqualTo(Stages.DISCOVERY);
        ctx.completeNow();
      })));
  }

  @Test
  void historyReachesTheModelOnTheNextTurn(Vertx vertx, VertxTestContext ctx) {
    openAi.answerWith(req -> answer("Відповідь " + req.getJsonArray("messages").size(), List.of(), false));
    deploy(vertx, 5)
      .compose(id -> debounce.ask(FakeTurnStore.turn("903", "t-a", "Є сукні?")))
      .compose(r -> debounce.ask(FakeTurnStore.turn("903", "t-b", "А на зріст 116?")))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        JsonArray messages = openAi.requests(FakeOpenAi.COMPLETIONS).get(1).json().getJsonArray("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.getJsonObject(1).getString("role")).isEqualTo("user");
        assertThat(content(messages.getJsonObject(1))).isEqualTo("Є сукні?");
        assertThat(messages.getJsonObject(2).getString("role")).isEqualTo("assistant");
        assertThat(content(messages.getJsonObject(2))).isEqualTo("Відповідь 2");
        assertThat(content(messages.getJsonObject(3))).isEqualTo("А на зріст 116?");
        ctx.completeNow();
      })));
  }

  @Test
  void serverErrorFailsTheTurnWithoutRetryingInside(Vertx vertx, VertxTestContext ctx) {
    openAi.inject(Fault.status(500, "{\"error\":{\"message\":\"upstream exploded\",\"type\":\"server_error\"}}"));
    deploy(vertx, 5)
      .compose(id -> {
        debounce.send(FakeTurnStore.turn("904", "t-500", "Привіт"));
        return debounce.failure("t-500");
      })
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.reason()).contains("upstream exploded");
        assertThat(openAi.requests(FakeOpenAi.COMPLETIONS)).hasSize(1);
        assertThat(debounce.handoffs).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void hangingModelFailsTheTurnAfterTheTimeout(Vertx vertx, VertxTestContext ctx) {
    openAi.inject(Fault.hang());
    deploy(vertx, 1)
      .compose(id -> {
        debounce.send(FakeTurnStore.turn("905", "t-hang", "Привіт"));
        return debounce.failure("t-hang");
      })
      .compose(done -> {
        ctx.verify(() -> {
            assertThat(debounce.repliesTo("t-hang")).isZero();
        });
        return debounce.ask(FakeTurnStore.turn("905", "t-after", "Привіт"));
      })
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(reply.messages()).isNotEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void healthNamesTheModel(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, 5)
      .compose(id -> vertx.eventBus().<JsonObject>request(Addresses.HEALTH_AGENT, new JsonObject()))
      .onComplete(ctx.succeeding(msg -> ctx.verify(() -> {
        ComponentHealth health = ComponentHealth.fromJson(msg.body());
        assertThat(health.details().getString("model")).isEqualTo(MODEL);
        assertThat(health.details().getLong("turns")).isZero();
        ctx.completeNow();
      })));
  }
}
