package ai.mirt.agent;

import ai.mirt.common.Addresses;
import ai.mirt.common.Commands;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.OutMessage;
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

  private FakeTurnStore debounce;
  private final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
    new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

  @BeforeEach
  void setUp(Vertx vertx) {
    debounce = new FakeTurnStore(vertx);
  }

  private Future<String> deploy(Vertx vertx, JsonObject config) {
    return vertx.deployVerticle(new AgentVerticle(debounce, debounce, "node-a", registry), new DeploymentOptions()
      .setThreadingModel(ThreadingModel.WORKER)
      .setConfig(config.put("agent.catalog", config.getString("agent.catalog", TestCatalog.PATH))));
  }

  private Future<String> deployOffline(Vertx vertx) {
    return deploy(vertx, new JsonObject());
  }

  @Test
  void deliveredTurnGetsOneReplyAndSavesConversation(Vertx vertx, VertxTestContext ctx) {
    deployOffline(vertx)
      .compose(id -> debounce.ask(FakeTurnStore.turn("100", "t1", "Привіт! Які у вас є сукні?")))
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
        return debounce.ask(FakeTurnStore.turn("101", "t2", "Дякую"));
      })
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        Conversation conversation = debounce.conversation("100");
        assertThat(debounce.repliesTo("t1")).isEqualTo(1);
        assertThat(debounce.handoffs).extracting(FakeTurnStore.Handoff::turnId).containsExactly("t1", "t2");
        assertThat(debounce.handoffs.get(0).conversation()).as("stored with the reply, in the same step")
          .isEqualTo(conversation.toJson().encode());
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
    debounce.save("200", before);
    deployOffline(vertx)
      .compose(v -> {
        debounce.send(FakeTurnStore.turn("200", "t-old", "а костюми є?"));
        return debounce.handoff("t-old");
      })
      .compose(h -> debounce.ask(FakeTurnStore.turn("201", "t-barrier", "Привіт")))
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(debounce.repliesTo("t-old")).isZero();
        assertThat(debounce.failures).isEmpty();
        assertThat(registry.get("mirt.debounce.superseded").counter().count()).isEqualTo(1);
        assertThat(debounce.conversation("200")).isEqualTo(before);
        ctx.completeNow();
      })));
  }

  @Test
  void restartClearsConversationWithoutTheModel(Vertx vertx, VertxTestContext ctx) {
    Conversation before = new Conversation(List.of(new Conversation.Entry("user", "Привіт"),
      new Conversation.Entry("assistant", "Вітаю!")), Stages.SIZE, List.of("dress-01"), "dress-01", "Олена");
    debounce.save("300", before);
    deployOffline(vertx)
      .compose(v -> debounce.ask(FakeTurnStore.turn("300", "t-restart", ".;/restart")))
      .compose(reply -> {
        ctx.verify(() -> {
          assertThat(reply.messages()).containsExactly(OutMessage.text(Commands.RESTART_REPLY));
          assertThat(reply.state()).isEqualTo(Stages.NEW);
          assertThat(reply.intent()).isEqualTo("restart");
          assertThat(debounce.handoffs.get(0).conversation()).as("an empty conversation clears it").isEmpty();
        });
        return Future.succeededFuture(debounce.conversation("300"));
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
    debounce.save("310", before);
    deployOffline(vertx)
      .compose(v -> debounce.ask(FakeTurnStore.turn("310", "t-restart-q", "/restart\nЯкі у вас є костюми?")))
      .compose(reply -> {
        ctx.verify(() -> {
          assertThat(reply.messages().get(0)).isEqualTo(OutMessage.text(Commands.RESTART_REPLY));
          assertThat(reply.messages().size()).isGreaterThan(1);
          assertThat(reply.intent()).isEqualTo("category");
          assertThat(reply.messages()).extracting(OutMessage::value).anyMatch(t -> t.contains("Костюм"));
        });
        return Future.succeededFuture(debounce.conversation("310"));
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
        debounce.send(FakeTurnStore.turn("400", "t-fail", "Привіт"));
        return debounce.failure("t-fail");
      })
      .compose(done -> {
        ctx.verify(() -> {
          assertThat(done.turn().subscriberId()).isEqualTo("400");
          assertThat(done.reason()).contains("boom");
        });
        return debounce.ask(FakeTurnStore.turn("400", "t-retry", "Привіт"));
      })
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(debounce.repliesTo("t-fail")).isZero();
        assertThat(reply.messages()).isNotEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void badTurnJsonIsIgnoredAndTheAgentKeepsWorking(Vertx vertx, VertxTestContext ctx) {
    deployOffline(vertx)
      .compose(id -> {
        // Without a readable turn nothing can be reported: its lease ends and debounce takes it back.
        vertx.eventBus().send(Addresses.AGENT_TURN, new JsonObject().put("subscriberId", "500").put("turnId", "t-bad"));
        return debounce.ask(FakeTurnStore.turn("501", "t-good", "Привіт"));
      })
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(debounce.handoffs).extracting(FakeTurnStore.Handoff::turnId).containsExactly("t-good");
        assertThat(debounce.failures).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void aHandoffTheStoreDidNotAnswerIsTriedAgain(Vertx vertx, VertxTestContext ctx) {
    debounce.failHandoff("t-h", 1);
    deployOffline(vertx)
      .compose(id -> debounce.ask(FakeTurnStore.turn("600", "t-h", "Привіт")))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(debounce.handoffs).extracting(FakeTurnStore.Handoff::delivered).containsExactly(false, true);
        assertThat(debounce.repliesTo("t-h")).isEqualTo(1);
        assertThat(debounce.failures).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void aHandoffThatKeepsFailingFailsTheTurnWithinItsLease(Vertx vertx, VertxTestContext ctx) {
    debounce.failHandoff("t-h", 1_000);
    deploy(vertx, new JsonObject().put("debounce.lease-seconds", 1.0))
      .compose(id -> {
        debounce.send(FakeTurnStore.turn("610", "t-h", "Привіт"));
        return debounce.failure("t-h");
      })
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(done.reason()).contains("handoff failed");
        assertThat(debounce.handoffs).hasSizeGreaterThan(1).allMatch(h -> !h.delivered());
        assertThat(debounce.repliesTo("t-h")).isZero();
        assertThat(debounce.conversation("610").isNew()).isTrue();
        ctx.completeNow();
      })));
  }

  @Test
  void aTurnThatFailedForTheLastTimeIsCountedAsADeadLetter(Vertx vertx, VertxTestContext ctx) {
    FakeOpenAi openAi = new FakeOpenAi(vertx);
    openAi.inject(Fault.status(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
    debounce.failWith(ai.mirt.state.TurnStore.FailOutcome.DEAD_LETTERED);
    openAi.start()
      .compose(port -> deploy(vertx, new JsonObject().put("agent.openai-base-url", openAi.v1Url())))
      .compose(id -> {
        debounce.send(FakeTurnStore.turn("630", "t-last", "Привіт"));
        return debounce.failure("t-last");
      })
      .compose(f -> io.vertx.core.Future.succeededFuture(f).compose(x -> ai.mirt.testkit.Poll.until(vertx,
        () -> registry.find("mirt.debounce.dead.letters").counter() != null
          && registry.get("mirt.debounce.dead.letters").counter().count() == 1 ? x : null,
        java.time.Duration.ofSeconds(5), "the dead letter counted")))
      .onComplete(ctx.succeeding(f -> ctx.verify(() -> {
        assertThat(f.reason()).contains("boom");
        ctx.completeNow();
      })));
  }

  @Test
  void aTurnTakenBackBeforeItsWorkStartsIsNotAnswered(Vertx vertx, VertxTestContext ctx) {
    debounce.gone.add("t-gone");
    deployOffline(vertx)
      .compose(id -> {
        debounce.send(FakeTurnStore.turn("660", "t-gone", "Привіт"));
        return debounce.ask(FakeTurnStore.turn("661", "t-next", "Привіт"));
      })
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(debounce.renewals).contains("t-gone@node-a");
        assertThat(debounce.handoffs).extracting(FakeTurnStore.Handoff::turnId).containsExactly("t-next");
        assertThat(debounce.failures).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void anUnreadableConversationStartsOver(Vertx vertx, VertxTestContext ctx) {
    debounce.saveRaw("640", "{not json");
    deployOffline(vertx)
      .compose(id -> debounce.ask(FakeTurnStore.turn("640", "t-fresh", "Привіт")))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(debounce.failures).isEmpty();
        assertThat(debounce.conversation("640").history()).hasSize(2);
        ctx.completeNow();
      })));
  }

  @Test
  void renewalsStopOnceTheReplyIsHandedOver(Vertx vertx, VertxTestContext ctx) {
    FakeOpenAi openAi = new FakeOpenAi(vertx);
    // The first turn is answered at once; the second takes 1.5 s, long enough for several renewals to be due.
    openAi.inject(Fault.delay(1)).inject(Fault.delay(1_500));
    openAi.start()
      .compose(port -> deploy(vertx, new JsonObject().put("agent.openai-base-url", openAi.v1Url())
        .put("debounce.lease-seconds", 1.0)))
      .compose(id -> debounce.ask(FakeTurnStore.turn("650", "t-quick", "Привіт")))
      .compose(r -> debounce.ask(FakeTurnStore.turn("651", "t-slow", "Привіт")))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(debounce.renewals).as("the slow turn was renewed meanwhile").contains("t-slow@node-a");
        assertThat(debounce.lateRenewals).as("no renewal after a handoff").isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void aSlowModelKeepsItsLease(Vertx vertx, VertxTestContext ctx) {
    FakeOpenAi openAi = new FakeOpenAi(vertx);
    openAi.inject(Fault.delay(1_500));
    openAi.start()
      .compose(port -> deploy(vertx, new JsonObject().put("agent.openai-base-url", openAi.v1Url())
        .put("debounce.lease-seconds", 1.0)))
      .compose(id -> debounce.ask(FakeTurnStore.turn("620", "t-slow", "Привіт")))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(debounce.renewals).as("renewed every third of the lease while the model worked")
          .hasSizeGreaterThanOrEqualTo(2).allMatch(r -> r.equals("t-slow@node-a"));
        ctx.completeNow();
      })));
  }

  @Test
  void aTurnIsAcknowledgedOnReceiptAndThePresenceAddressNamesThisInstance(Vertx vertx, VertxTestContext ctx) {
    deployOffline(vertx)
      .compose(id -> vertx.eventBus().<JsonObject>request(Addresses.role("agent"), new JsonObject()))
      .compose(presence -> {
        ctx.verify(() -> assertThat(presence.body().getString("instance")).isEqualTo("node-a"));
        // Sent as debounce sends it: the acknowledgement comes before the model has answered.
        return vertx.eventBus().<JsonObject>request(Addresses.AGENT_TURN,
          FakeTurnStore.turn("800", "t-ack", "Привіт").toJson());
      })
      .onComplete(ctx.succeeding(ack -> ctx.verify(() -> {
        assertThat(ack.body()).isEqualTo(new JsonObject().put("taken", true));
        ctx.completeNow();
      })));
  }

  @Test
  void healthReportsOfflineModelAndAnsweredTurns(Vertx vertx, VertxTestContext ctx) {
    deployOffline(vertx)
      .compose(id -> debounce.ask(FakeTurnStore.turn("700", "t-1", "Привіт")))
      .compose(r -> vertx.eventBus().<JsonObject>request(Addresses.HEALTH_AGENT, new JsonObject()))
      .onComplete(ctx.succeeding(msg -> ctx.verify(() -> {
        ComponentHealth health = ComponentHealth.fromJson(msg.body());
        assertThat(health.up()).isTrue();
        assertThat(health.details().getString("model")).isEqualTo("offline");
        assertThat(health.details().getLong("turns")).isEqualTo(1L);
        assertThat(health.details().getInteger("active")).isZero();
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
