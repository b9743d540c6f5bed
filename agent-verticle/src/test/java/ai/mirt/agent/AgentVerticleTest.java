package ai.mirt.agent;

import ai.mirt.common.Addresses;
import ai.mirt.common.Commands;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.state.MessageCounter;
import ai.mirt.state.OrderStore;
import ai.mirt.state.Stores;
import ai.mirt.testkit.FakeOpenAi;
import ai.mirt.testkit.FakeServer.Fault;
import ai.mirt.testkit.Poll;
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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class AgentVerticleTest {

  private static final String CONF = "../conf/";

  private FakeTurnStore debounce;
  private MessageCounter counters;
  private OrderStore orders;
  private ai.mirt.state.ControlStore controls;
  private ai.mirt.state.FollowUpStore followUps;
  private final List<Reply> interims = new CopyOnWriteArrayList<>();
  private final List<JsonObject> newOrders = new CopyOnWriteArrayList<>();
  private final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
    new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

  @BeforeEach
  void setUp(Vertx vertx) {
    debounce = new FakeTurnStore(vertx);
    Stores stores = Stores.memory(MirtConfig.fromJson(new JsonObject()));
    counters = stores.counters();
    orders = stores.orders();
    controls = stores.controls();
    followUps = stores.followUps();
    vertx.eventBus().<JsonObject>consumer(Addresses.PUSH_INTERIM, m -> {
      interims.add(Reply.fromJson(m.body()));
      m.reply(new JsonObject().put("sent", true));
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.ORDERS_NEW, m -> newOrders.add(m.body()));
  }

  private Future<String> deploy(Vertx vertx, JsonObject config) {
    JsonObject c = new JsonObject().put("agent.catalog", CONF + "catalog.json").put("agent.shop", CONF + "shop.yaml")
      .put("agent.prompts", CONF + "prompts.yaml").mergeIn(config);
    return vertx.deployVerticle(new AgentVerticle(debounce, debounce, counters, orders, controls, followUps, "node-a",
      registry, System::currentTimeMillis),
      new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setConfig(c));
  }

  private Future<String> deployOffline(Vertx vertx) {
    return deploy(vertx, new JsonObject());
  }

  private Future<String> deployModel(Vertx vertx, FakeOpenAi model, JsonObject config) {
    return model.start().compose(port -> deploy(vertx, config.put("agent.openai-base-url", model.v1Url())));
  }

  private static List<String> texts(Reply reply) {
    return reply.messages().stream().filter(m -> m.kind() == OutMessage.Kind.TEXT).map(OutMessage::value).toList();
  }

  /** A model answer in the structured form the assistant asks for. */
  static String modelSays(String text) {
    return new JsonObject().put("messages", new JsonArray().add(text)).put("product_ids", new JsonArray())
      .put("state", "STATE_1_DISCOVERY").put("intent", "DISCOVERY_OR_QUESTION").put("escalation", "")
      .put("client", new JsonObject().put("name", "").put("phone", "").put("city", "").put("branch", "")).encode();
  }

  private static Shop shop() {
    return Shop.load(CONF + "shop.yaml");
  }

  @Test
  void aTurnGetsOneReplyWithStateAndIntentAndItsConversationInTheSameHandoff(Vertx vertx, VertxTestContext ctx) {
    deployOffline(vertx)
      .compose(id -> debounce.ask(FakeTurnStore.turn("100", "t1", "Привіт! Які у вас є сукні?")))
      .compose(reply -> {
        ctx.verify(() -> {
          assertThat(reply.subscriberId()).isEqualTo("100");
          assertThat(reply.traceId()).isEqualTo("trace-t1");
          assertThat(reply.intent()).isEqualTo(Intent.DISCOVERY_OR_QUESTION.name());
          assertThat(Stage.fromWire(reply.state())).isPresent();
          assertThat(reply.messages()).extracting(OutMessage::kind).contains(OutMessage.Kind.TEXT);
        });
        return debounce.ask(FakeTurnStore.turn("101", "t2", "Дякую"));
      })
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        Conversation conversation = debounce.conversation("100");
        assertThat(debounce.repliesTo("t1")).isEqualTo(1);
        assertThat(debounce.handoffs).extracting(FakeTurnStore.Handoff::turnId).containsExactly("t1", "t2");
        SavedConversation saved = SavedConversation.decode("100", debounce.handoffs.get(0).conversation());
        assertThat(saved.conversation()).as("stored with the reply, in the same step").isEqualTo(conversation);
        assertThat(saved.channel()).isEqualTo(ai.mirt.common.Channel.INSTAGRAM);
        assertThat(saved.intent()).isEqualTo(debounce.handoffs.get(0).reply().intent());
        assertThat(saved.lastCustomerAt()).isPositive();
        assertThat(conversation.history()).hasSize(2);
        assertThat(conversation.history().get(0).text()).isEqualTo("Привіт! Які у вас є сукні?");
        ctx.completeNow();
      })));
  }

  @Test
  void supersededTurnSendsNoReplyAndLeavesConversationUnchanged(Vertx vertx, VertxTestContext ctx) {
    Conversation before = Conversation.empty().toBuilder().stage(Stage.STATE_4_OFFER).focus("dress-01")
      .customerName("Олена").build().withExchange("Ромашка", "Сукня «Ромашка» — 1250 грн.", 20);
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
  void restartClearsTheConversationWithoutTheModel(Vertx vertx, VertxTestContext ctx) {
    FakeOpenAi model = new FakeOpenAi(vertx).answerWith(r -> modelSays("Вітаю!"));
    debounce.save("300", Conversation.empty().toBuilder().stage(Stage.STATE_3_SIZE_COLOR).focus("dress-01").build()
      .withExchange("Привіт", "Вітаю!", 20));
    deployModel(vertx, model, new JsonObject())
      .compose(v -> debounce.ask(FakeTurnStore.turn("300", "t-restart", ".;/restart")))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(reply.messages()).containsExactly(OutMessage.text(Commands.RESTART_REPLY));
        assertThat(reply.state()).isEqualTo(Stage.STATE_0_INIT.name());
        assertThat(reply.intent()).isEqualTo(Intent.UNKNOWN_OR_EMPTY.name());
        assertThat(model.requests(FakeOpenAi.COMPLETIONS)).isEmpty();
        Conversation after = debounce.conversation("300");
        assertThat(after.stage()).isEqualTo(Stage.STATE_0_INIT);
        assertThat(after.focusProductId()).isNull();
        assertThat(after.history()).extracting(Conversation.Entry::text).doesNotContain("Привіт");
        ctx.completeNow();
      })));
  }

  @Test
  void restartFollowedByAQuestionAnswersItFromAFreshConversation(Vertx vertx, VertxTestContext ctx) {
    debounce.save("310", Conversation.empty().toBuilder().stage(Stage.STATE_3_SIZE_COLOR).focus("dress-01").build()
      .withExchange("Ромашка", "Сукня «Ромашка» — 1250 грн.", 20));
    deployOffline(vertx)
      .compose(v -> debounce.ask(FakeTurnStore.turn("310", "t-restart-q", "/restart\nЯкі у вас є костюми?")))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(reply.messages().get(0)).isEqualTo(OutMessage.text(Commands.RESTART_REPLY));
        assertThat(reply.messages().size()).isGreaterThan(1);
        Conversation after = debounce.conversation("310");
        assertThat(after.history()).extracting(Conversation.Entry::text).noneMatch(t -> t.contains("Ромашка"));
        assertThat(after.history()).extracting(Conversation.Entry::text).anyMatch(t -> t.contains("костюми"));
        ctx.completeNow();
      })));
  }

  @Test
  void aFailingModelGetsTheHonestTextAndNeedsHumanInsteadOfSilence(Vertx vertx, VertxTestContext ctx) {
    FakeOpenAi model = new FakeOpenAi(vertx);
    model.inject(Fault.status(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
    deployModel(vertx, model, new JsonObject())
      .compose(id -> debounce.ask(FakeTurnStore.turn("400", "t-fail", "Які є сукні?")))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(texts(reply)).containsExactly(shop().text("model_failure"));
        assertThat(reply.addTags()).containsExactly(Names.NEEDS_HUMAN);
        assertThat(debounce.failures).as("answered, so not retried").isEmpty();
      })))
      // Counted once the handoff has answered, on the agent's thread.
      .compose(r -> ai.mirt.testkit.Poll.until(vertx,
        () -> registry.get("mirt.agent.escalations").counter().count() == 1 ? true : null, Duration.ofSeconds(5),
        "one escalation counted"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aFailingModelDoesNotTagNeedsHumanWhenEscalationOnFailureIsOff(Vertx vertx, VertxTestContext ctx) {
    FakeOpenAi model = new FakeOpenAi(vertx);
    model.inject(Fault.status(500, "{}"));
    deployModel(vertx, model, new JsonObject().put("agent.escalate-on-failure", false))
      .compose(id -> debounce.ask(FakeTurnStore.turn("410", "t-fail", "Які є сукні?")))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(texts(reply)).containsExactly(shop().text("model_failure"));
        assertThat(reply.addTags()).doesNotContain(Names.NEEDS_HUMAN);
        ctx.completeNow();
      })));
  }

  @Test
  void aSlowModelSendsOneInterimMessageThenTheTimeoutTextAndDiscardsTheLateAnswer(Vertx vertx,
                                                                                   VertxTestContext ctx) {
    FakeOpenAi model = new FakeOpenAi(vertx).answerWith(r -> modelSays("Запізніла відповідь"));
    model.inject(Fault.delay(3_500));
    deployModel(vertx, model, new JsonObject().put("agent.budget-seconds", 2).put("agent.interim-after-seconds", 1)
      .put("agent.timeout-seconds", 10).put("debounce.lease-seconds", 1.0))
      .compose(id -> debounce.ask(FakeTurnStore.turn("420", "t-slow", "Які є сукні?")))
      .compose(reply -> {
        ctx.verify(() -> {
          assertThat(interims).singleElement().satisfies(i -> {
            assertThat(texts(i)).containsExactly(shop().text("interim"));
            assertThat(i.subscriberId()).isEqualTo("420");
            assertThat(i.addTags()).isEmpty();
          });
          assertThat(texts(reply)).containsExactly(shop().text("timeout"));
          assertThat(reply.addTags()).containsExactly(Names.NEEDS_HUMAN);
          assertThat(registry.get("mirt.agent.timeouts").counter().count()).isEqualTo(1);
        });
        // The model's answer arrives after the budget: it must not become a second reply.
        return model.awaitRequests(FakeOpenAi.COMPLETIONS, 1, Duration.ofSeconds(5))
          .compose(r -> Poll.until(vertx, () -> registry.find("mirt.agent.timeouts").counter() != null
            && debounce.handoffs.size() == 1 ? Boolean.TRUE : null, Duration.ofSeconds(5), "one handoff"));
      })
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(debounce.repliesTo("t-slow")).isEqualTo(1);
        assertThat(interims).hasSize(1);
        ctx.completeNow();
      })));
  }

  @Test
  void aTurnWithPhotosHasTheLongerBudget(Vertx vertx, VertxTestContext ctx) {
    FakeOpenAi model = new FakeOpenAi(vertx).answerWith(r -> modelSays("Це схоже на сукню «Ромашка»."));
    model.inject(Fault.delay(1_500));
    deployModel(vertx, model, new JsonObject().put("agent.budget-seconds", 1).put("agent.budget-images-seconds", 10)
      .put("agent.interim-after-seconds", 0))
      .compose(id -> debounce.ask(FakeTurnStore.turn("430", "t-photo", "",
        List.of("https://cdn.example.com/photo.jpg"))))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(texts(reply)).containsExactly("Це схоже на сукню «Ромашка».");
        assertThat(interims).as("interim messages are off").isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void overTheMinuteLimitOneNoticeGoesOutThenTurnsAreStoredButNotAnswered(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, new JsonObject().put("agent.limit-per-minute", 2).put("agent.limit-per-hour", 100))
      .compose(id -> debounce.ask(FakeTurnStore.turn("440", "t-1", "Привіт")))
      .compose(r -> debounce.ask(FakeTurnStore.turn("440", "t-2", "Які є сукні?")))
      .compose(r -> debounce.ask(FakeTurnStore.turn("440", "t-3", "А костюми?")))
      .compose(notice -> {
        ctx.verify(() -> {
          assertThat(texts(notice)).containsExactly(shop().text("limit"));
          assertThat(notice.state()).as("the conversation did not move").isNull();
        });
        return debounce.ask(FakeTurnStore.turn("440", "t-4", "А тренчі?"));
      })
      .onComplete(ctx.succeeding(silent -> ctx.verify(() -> {
        assertThat(silent.messages()).isEmpty();
        assertThat(silent.addTags()).isEmpty();
        assertThat(silent.fields()).isEmpty();
        Conversation c = debounce.conversation("440");
        assertThat(c.history()).as("limited turns are not answered").hasSize(4);
        assertThat(registry.get("mirt.agent.limited").counter().count()).isEqualTo(2);
        ctx.completeNow();
      })));
  }

  @Test
  void aRetriedTurnIsNotCountedAgainstTheLimitTwice(Vertx vertx, VertxTestContext ctx) {
    ai.mirt.common.Turn first = FakeTurnStore.turn("470", "t-1", "Привіт");
    ai.mirt.common.Turn retry = new ai.mirt.common.Turn("470", "t-2", first.channel(), "Які є сукні?", List.of(),
      first.contact(), 1, first.firstAt(), 2, 0, "trace-t-2");
    deploy(vertx, new JsonObject().put("agent.limit-per-minute", 1).put("agent.limit-per-hour", 100))
      .compose(id -> debounce.ask(first))
      .compose(r -> debounce.ask(retry))
      .onComplete(ctx.succeeding(answered -> ctx.verify(() -> {
        assertThat(texts(answered)).isNotEmpty().doesNotContain(shop().text("limit"));
        assertThat(registry.get("mirt.agent.limited").counter().count()).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void theLimitCountsEveryMessageOfABurstAndOtherSubscribersAreNotLimited(Vertx vertx, VertxTestContext ctx) {
    ai.mirt.common.Turn burst = FakeTurnStore.turn("450", "t-burst", "раз\nдва\nтри");
    ai.mirt.common.Turn many = new ai.mirt.common.Turn(burst.subscriberId(), burst.turnId(), burst.channel(),
      burst.text(), burst.images(), burst.contact(), 3, burst.firstAt(), 1, 0, burst.traceId());
    deploy(vertx, new JsonObject().put("agent.limit-per-minute", 2).put("agent.limit-per-hour", 100))
      .compose(id -> debounce.ask(many))
      .compose(notice -> {
        ctx.verify(() -> assertThat(texts(notice)).containsExactly(shop().text("limit")));
        return debounce.ask(FakeTurnStore.turn("451", "t-other", "Привіт"));
      })
      .onComplete(ctx.succeeding(other -> ctx.verify(() -> {
        assertThat(texts(other)).isNotEmpty().doesNotContain(shop().text("limit"));
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
    FakeOpenAi openAi = new FakeOpenAi(vertx).answerWith(r -> modelSays("Вітаю!"));
    // The first turn is answered at once; the second takes 1.5 s, long enough for several renewals to be due.
    openAi.inject(Fault.delay(1)).inject(Fault.delay(1_500));
    deployModel(vertx, openAi, new JsonObject().put("debounce.lease-seconds", 1.0))
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
    FakeOpenAi openAi = new FakeOpenAi(vertx).answerWith(r -> modelSays("Вітаю!"));
    openAi.inject(Fault.delay(1_500));
    deployModel(vertx, openAi, new JsonObject().put("debounce.lease-seconds", 1.0))
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
  void healthReportsTheModelTheBreakerAndAnsweredTurns(Vertx vertx, VertxTestContext ctx) {
    FakeOpenAi model = new FakeOpenAi(vertx).answerWith(r -> modelSays("Вітаю!"));
    deployModel(vertx, model, new JsonObject().put("agent.openai-model", "test-model"))
      .compose(id -> debounce.ask(FakeTurnStore.turn("700", "t-1", "Привіт")))
      .compose(r -> vertx.eventBus().<JsonObject>request(Addresses.HEALTH_AGENT, new JsonObject()))
      .onComplete(ctx.succeeding(msg -> ctx.verify(() -> {
        ComponentHealth health = ComponentHealth.fromJson(msg.body());
        assertThat(health.up()).isTrue();
        assertThat(health.details().getString("model")).isEqualTo("test-model");
        assertThat(health.details().getString("llmBreaker")).isEqualTo("closed");
        assertThat(health.details().getLong("turns")).isEqualTo(1L);
        assertThat(health.details().getInteger("active")).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void offlineHealthHasNoBreaker(Vertx vertx, VertxTestContext ctx) {
    deployOffline(vertx)
      .compose(id -> vertx.eventBus().<JsonObject>request(Addresses.HEALTH_AGENT, new JsonObject()))
      .onComplete(ctx.succeeding(msg -> ctx.verify(() -> {
        ComponentHealth health = ComponentHealth.fromJson(msg.body());
        assertThat(health.details().getString("model")).isEqualTo("offline");
        assertThat(health.details().containsKey("llmBreaker")).isFalse();
        ctx.completeNow();
      })));
  }

  @Test
  void aMissingCatalogFailsStartNamingTheSetting(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, new JsonObject().put("agent.catalog", "no/such/catalog.json"))
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(e).hasMessageContaining("agent.catalog").hasMessageContaining("no/such/catalog.json");
        ctx.completeNow();
      })));
  }

  @Test
  void aMissingShopFileFailsStartNamingTheSetting(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, new JsonObject().put("agent.shop", "no/such/shop.yaml"))
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(e).hasMessageContaining("agent.shop").hasMessageContaining("no/such/shop.yaml");
        ctx.completeNow();
      })));
  }

  @Test
  void aChangedCatalogFileIsReloadedWithoutARestart(Vertx vertx, VertxTestContext ctx) throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("catalog", ".json");
    JsonObject catalog = new JsonObject(java.nio.file.Files.readString(java.nio.file.Path.of(CONF + "catalog.json")));
    java.nio.file.Files.writeString(file, catalog.encode());
    int before = catalog.getJsonArray("products").size();
    deploy(vertx, new JsonObject().put("agent.catalog", file.toString()))
      .compose(id -> {
        catalog.getJsonArray("products").remove(0);
        try {
          java.nio.file.Files.writeString(file, catalog.encodePrettily());
        } catch (java.io.IOException e) {
          return Future.failedFuture(e);
        }
        return catalogSize(vertx, before - 1, System.currentTimeMillis() + 10_000);
      })
      .onComplete(ctx.succeeding(n -> ctx.verify(() -> {
        assertThat(n).isEqualTo(before - 1);
        ctx.completeNow();
      })));
  }

  @Test
  void aConfirmedOrderIsStoredBeforeTheReplyAndAnnouncedForPosting(Vertx vertx, VertxTestContext ctx) {
    Conversation awaiting = Conversation.empty().toBuilder().stage(Stage.STATE_5_PAYMENT_DELIVERY)
      .cart(List.of(new Conversation.Line("dress-01", "Сукня «Ромашка»", 116, "рожевий", 1250)))
      .client(new Conversation.Client("Олена Петренко", "+380671234567", "Київ", "12"))
      .flag(Conversation.AWAITING_CONFIRMATION, true).flag(Conversation.ORDER_STARTED, true).build()
      .withExchange("відділення 12", "Перевірте, будь ласка, дані", 20);
    debounce.save("460", awaiting);
    deployOffline(vertx)
      .compose(id -> debounce.ask(FakeTurnStore.turn("460", "t-confirm", "Так, все вірно")))
      .compose(reply -> {
        ctx.verify(() -> assertThat(reply.state()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY.name()));
        return orders.recent(10);
      })
      .compose(stored -> Poll.until(vertx, () -> newOrders.isEmpty() ? null : stored, Duration.ofSeconds(5),
        "the order announced"))
      .onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
        assertThat(stored).singleElement().satisfies(o -> {
          assertThat(o.order().getString("subscriberId")).isEqualTo("460");
          assertThat(o.order().getString("status")).isEqualTo(Conversation.CONFIRMED);
          assertThat(o.order().getInteger("sum")).isEqualTo(1250);
          assertThat(o.order().getJsonObject("customer").getString("phone")).isEqualTo("+380671234567");
          assertThat(newOrders).containsExactly(new JsonObject().put("id", o.id()));
        });
        assertThat(debounce.conversation("460").orderId()).isEqualTo(stored.get(0).id());
        ctx.completeNow();
      })));
  }

  /** The catalog size health reports, once it is {@code expected} (asked again every 100 ms until the deadline). */
  private static Future<Integer> catalogSize(Vertx vertx, int expected, long deadline) {
    return vertx.eventBus().<JsonObject>request(Addresses.HEALTH_AGENT, new JsonObject()).compose(m -> {
      int n = ComponentHealth.fromJson(m.body()).details().getInteger("catalogProducts");
      if (n == expected || System.currentTimeMillis() > deadline) {
        return Future.succeededFuture(n);
      }
      io.vertx.core.Promise<Integer> next = io.vertx.core.Promise.promise();
      vertx.setTimer(100, id -> catalogSize(vertx, expected, deadline).onComplete(next));
      return next.future();
    });
  }
}
