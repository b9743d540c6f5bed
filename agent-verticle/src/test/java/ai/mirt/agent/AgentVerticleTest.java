package ai.mirt.agent;

import ai.mirt.common.Addresses;
import ai.mirt.common.Commands;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.OutMessage;
import ai.mirt.common.TurnCompleted;
import ai.mirt.testkit.FakeOpenAi;
import ai.mirt.testkit.FakeServer.Fault;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class AgentVerticleTest {

  private FakeDebounce debounce;
  private MemoryConversationStore store;

  @BeforeEach
  void setUp(Vertx vertx) {
    debounce = new FakeDebounce(vertx);
    store = new MemoryConversationStore();
  }

  private Future<String> deploy(Vertx vertx, JsonObject config) {
    return vertx.deployVerticle(new AgentVerticle(store), new DeploymentOptions()
      .setThreadingModel(ThreadingModel.WORKER)
      .setConfig(config.put("agent.catalog", config.getString("agent.catalog", TestCatalog.PATH))));
  }

  private Future<String> deployOffline(Vertx vertx) {
    return deploy(vertx, new JsonObject());
  }

  @Test
  void deliveredTurnGetsOneReplyAndSavesConversation(Vertx vertx, VertxTestContext ctx) {
    deployOffline(vertx)
      .compose(id -> debounce.ask(FakeDebounce.turn("100", "t1", "Привіт! Які у вас є сукні?")))
      .compose(reply -> {
        ctx.verify(() -> {
          assertThat(reply.subscriberId()).isEqualTo("100");
          assertThat(reply.traceId()).isEqualTo("trace-t1");
          assertThat(reply.intent()).isEqualTo("category");
          assertThat(reply.state()).isEqualTo(Stages.OFFER);
          assertThat(reply.messages()).extracting(OutMessage::kind)
            .contains(OutMessage.Kind.TEXT, OutMessage.Kind.IMAGE);
          assertThat(reply.messages().get(0).value()).startsWith("Вітаю, Олена!");
        });
        // A later turn's reply proves the agent is done with the first one.
        return debounce.ask(FakeDebounce.turn("101", "t2", "Дякую"));
      })
      .compose(v -> store.load("100"))
      .onComplete(ctx.succeeding(conversation -> ctx.verify(() -> {
        assertThat(debounce.repliesTo("t1")).isEqualTo(1);
        assertThat(debounce.handoffs).extracting(h -> h.turnId()).containsExactly("t1", "t2");
        assertThat(conversation.history()).hasSize(2);
        assertThat(conversation.shownProductIds()).containsExactly("dress-01", "dress-02", "dress-03");
        ctx.completeNow();
      })));
  }

  @Test
  void supersededTurnSendsNoReplyAndLeavesConversationUnchanged(Vertx vertx, VertxTestContext ctx) {
    Conversation before = new Conversation(List.of(new Conversation.Entry("user", "Ромашка"),
      new Conversation.Entry("assistant", "Сукня «Ромашка» — 1250 грн.")), Stages.OFFER, List.of("dress-01"),
      "dress-01", "Олена");
    debounce.supersede("t-old");
    deployOffline(vertx)
      .compose(id -> store.save("200", before))
      .compose(v -> {
        debounce.send(FakeDebounce.turn("200", "t-old", "а костюми є?"));
        return debounce.handoff("t-old");
      })
      .compose(h -> debounce.ask(FakeDebounce.turn("201", "t-barrier", "Привіт")))
      .compose(r -> store.load("200"))
      .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
        assertThat(debounce.repliesTo("t-old")).isZero();
        assertThat(debounce.completionsOf("t-old")).isZero();
        assertThat(after).isEqualTo(before);
        ctx.completeNow();
      })));
  }

  @Test
  void restartClearsConversationWithoutTheModel(Vertx vertx, VertxTestContext ctx) {
    Conversation before = new Conversation(List.of(new Conversation.Entry("user", "Привіт"),
      new Conversation.Entry("assistant", "Вітаю!")), Stages.SIZE, List.of("dress-01"), "dress-01", "Олена");
    deployOffline(vertx)
      .compose(id -> store.save("300", before))
      .compose(v -> debounce.ask(FakeDebounce.turn("300", "t-restart", ".;/restart")))
      .compose(reply -> {
        ctx.verify(() -> {
          assertThat(reply.messages()).containsExactly(OutMessage.text(Commands.RESTART_REPLY));
          assertThat(reply.state()).isEqualTo(Stages.NEW);
          assertThat(reply.intent()).isEqualTo("restart");
        });
        return store.load("300");
      })
      .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
        assertThat(after.isNew()).isTrue();
        assertThat(after.focusProductId()).isNull();
        ctx.completeNow();
      })));
  }

  @Test
  void restartFollowedByAQuestionAnswersItInAFreshConversation(Vertx vertx, VertxTestContext ctx) {
    Conversation before = new Conversation(List.of(new Conversation.Entry("user", "Ромашка"),
      new Conversation.Entry("assistant", "Сукня «Ромашка» — 1250 грн.")), Stages.SIZE, List.of("dress-01"),
      "dress-01", "Олена");
    deployOffline(vertx)
      .compose(id -> store.save("310", before))
      .compose(v -> debounce.ask(FakeDebounce.turn("310", "t-restart-q", "/restart\nЯкі у вас є костюми?")))
      .compose(reply -> {
        ctx.verify(() -> {
          assertThat(reply.messages().get(0)).isEqualTo(OutMessage.text(Commands.RESTART_REPLY));
          assertThat(reply.messages().size()).isGreaterThan(1);
          assertThat(reply.intent()).isEqualTo("category");
          assertThat(reply.messages()).extracting(OutMessage::value).anyMatch(t -> t.contains("Костюм"));
        });
        return store.load("310");
      })
      .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
        assertThat(after.history()).extracting(Conversation.Entry::text).noneMatch(t -> t.contains("Ромашка"));
        assertThat(after.history()).extracting(Conversation.Entry::text).anyMatch(t -> t.contains("костюми"));
        ctx.completeNow();
      })));
  }

  @Test
  void failingModelCompletesTurnAsFailedAndKeepsConsuming(Vertx vertx, VertxTestContext ctx) {
    FakeOpenAi openAi = new FakeOpenAi(vertx);
    openAi.inject(Fault.status(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
    openAi.start()
      .compose(port -> deploy(vertx, new JsonObject().put("agent.openai-base-url", openAi.v1Url())))
      .compose(id -> {
        debounce.send(FakeDebounce.turn("400", "t-fail", "Привіт"));
        return debounce.completion("t-fail");
      })
      .compose(done -> {
        ctx.verify(() -> {
          assertThat(done.outcome()).isEqualTo(TurnCompleted.Outcome.FAILED);
          assertThat(done.subscriberId()).isEqualTo("400");
          assertThat(done.reason()).isNotBlank();
        });
        return debounce.ask(FakeDebounce.turn("400", "t-retry", "Привіт"));
      })
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(debounce.repliesTo("t-fail")).isZero();
        assertThat(reply.messages()).isNotEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void badTurnJsonCompletesAsFailed(Vertx vertx, VertxTestContext ctx) {
    deployOffline(vertx)
      .compose(id -> {
        vertx.eventBus().send(Addresses.AGENT_TURN, new JsonObject().put("subscriberId", "500").put("turnId", "t-bad"));
        return debounce.completion("t-bad");
      })
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.outcome()).isEqualTo(TurnCompleted.Outcome.FAILED);
        assertThat(done.reason()).contains("channel");
        assertThat(debounce.handoffs).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void handoffFailureCompletesAsFailedAndSavesNothing(Vertx vertx, VertxTestContext ctx) {
    debounce.failHandoff("t-h");
    deployOffline(vertx)
      .compose(id -> {
        debounce.send(FakeDebounce.turn("600", "t-h", "Привіт"));
        return debounce.completion("t-h");
      })
      .compose(done -> {
        ctx.verify(() -> {
          assertThat(done.outcome()).isEqualTo(TurnCompleted.Outcome.FAILED);
          assertThat(done.reason()).contains("handoff");
        });
        return store.load("600");
      })
      .onComplete(ctx.succeeding(conversation -> ctx.verify(() -> {
        assertThat(conversation.isNew()).isTrue();
        assertThat(debounce.repliesTo("t-h")).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void healthReportsOfflineModelAndAnsweredTurns(Vertx vertx, VertxTestContext ctx) {
    deployOffline(vertx)
      .compose(id -> debounce.ask(FakeDebounce.turn("700", "t-1", "Привіт")))
      .compose(r -> vertx.eventBus().<JsonObject>request(Addresses.HEALTH_AGENT, new JsonObject()))
      .onComplete(ctx.succeeding(msg -> ctx.verify(() -> {
        ComponentHealth health = ComponentHealth.fromJson(msg.body());
        assertThat(health.up()).isTrue();
        assertThat(health.details().getString("model")).isEqualTo("offline");
        assertThat(health.details().getLong("turns")).isEqualTo(1L);
        ctx.completeNow();
      })));
  }

  @Test
  void missingCatalogFailsStartNamingTheSetting(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, new JsonObject().put("agent.catalog", "no/such/catalog.json"))
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(e).hasMessageContaining("agent.catalog").hasMessageContaining("no/such/catalog.json");
        ctx.completeNow();
      })));
  }
}
