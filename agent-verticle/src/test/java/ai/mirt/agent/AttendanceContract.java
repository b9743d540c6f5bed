package ai.mirt.agent;

import ai.mirt.common.Addresses;
import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.Turn;
import ai.mirt.state.ControlStore;
import ai.mirt.state.OutboxEntry;
import ai.mirt.state.Stores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The agent with real stores and a clock the test moves: the takeover after an escalation, the three ways to resume,
 * the work hours with the away text, and the follow-ups. Turns are claimed and replies read and finished as
 * debounce and push would, so the stores' own rules (one turn in flight, own replies) take part.
 */
abstract class AttendanceContract {

  static final String CONF = "../conf/";
  static final long HOUR = TimeUnit.HOURS.toMillis(1);
  static final Duration WAIT = Duration.ofSeconds(15);
  /** A Monday, 12:00 in Kyiv. */
  static final long MONDAY_NOON = LocalDateTime.parse("2026-12-07T12:00").atZone(ZoneId.of("Europe/Kyiv"))
    .toInstant().toEpochMilli();

  protected Vertx vertx;
  protected final AtomicLong now = new AtomicLong(MONDAY_NOON);
  protected final LongSupplier clock = now::get;
  private final List<String> deployments = new ArrayList<>();
  private final List<Stores> opened = new ArrayList<>();
  private final List<SimpleMeterRegistry> registries = new ArrayList<>();
  /** The push hints the agent sent: {@code turnId}s of replies stored. */
  protected final List<String> hints = new java.util.concurrent.CopyOnWriteArrayList<>();
  protected Stores stores;
  private MirtConfig config;
  private int turnSeq;

  /** The stores of one instance; called again to stand for another instance or a restart. */
  abstract Stores stores(Vertx vertx, MirtConfig config, LongSupplier clock);

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.PUSH_REPLY, m -> hints.add(m.body().getString("turnId")));
  }

  @AfterEach
  void stop() throws Exception {
    for (Stores s : opened) {
      await(s.close());
    }
    await(vertx.close());
  }

  /** Deploys the agent with these settings over the conf/ shop; the stores are this instance's. */
  String deploy(JsonObject settings) throws Exception {
    JsonObject c = new JsonObject().put("agent.catalog", CONF + "catalog.json").put("agent.shop", CONF + "shop.yaml")
      .put("agent.prompts", CONF + "prompts.yaml").put("agent.interim-after-seconds", 0).mergeIn(settings);
    config = MirtConfig.fromJson(c);
    stores = stores(vertx, config, clock);
    opened.add(stores);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registries.add(registry);
    String id = await(vertx.deployVerticle(new AgentVerticle(stores.turns(), stores.conversations(),
        stores.counters(), stores.orders(), stores.controls(), stores.followUps(), "node-" + deployments.size(),
        registry, clock),
      new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setConfig(c)));
    deployments.add(id);
    return id;
  }

  String deploy() throws Exception {
    return deploy(new JsonObject());
  }

  /** One customer message, claimed as a turn and answered; returns the stored reply, delivered (finished). */
  Reply say(String sub, String text) throws Exception {
    await(stores.turns().append(new InboundMessage(sub, Channel.INSTAGRAM, text, List.of(), "m" + (++turnSeq),
      Contact.EMPTY, now.get(), "trace-" + turnSeq)));
    List<Turn> turns = await(stores.turns().claimDue(10, "debounce", true));
    assertThat(turns).extracting(Turn::subscriberId).containsExactly(sub);
    await(vertx.eventBus().request(Addresses.AGENT_TURN, turns.get(0).toJson()));
    return deliver(sub);
  }

  /** Waits for the subscriber's stored reply, and finishes it as push does when ManyChat took it. */
  Reply deliver(String sub) throws Exception {
    OutboxEntry entry = ai.mirt.testkit.Poll.await(() -> {
      try {
        return await(stores.outbox().claim(sub, "push")).orElse(null);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, WAIT, "a stored reply for " + sub);
    assertThat(await(stores.outbox().finish(entry, null))).isTrue();
    return entry.reply();
  }

  /** Whether a stored reply waits for the subscriber now. */
  boolean replyWaiting(String sub) throws Exception {
    return await(stores.outbox().backlog()).replies() > 0
      && await(stores.outbox().claim(sub, "peek")).map(e -> {
        try {
          return await(stores.outbox().retryLater(e, e.attempts(), e.timeouts(), 0));
        } catch (Exception ex) {
          throw new IllegalStateException(ex);
        }
      }).isPresent();
  }

  /** Follow-ups of every instance with this outcome. */
  double followUps(String outcome) {
    return registries.stream().mapToDouble(r -> r.find("mirt.agent.followups").tag("outcome", outcome).counters()
      .stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum()).sum();
  }

  /** Waits until the instances counted {@code n} follow-ups with this outcome. */
  void awaitFollowUps(String outcome, double n) throws Exception {
    ai.mirt.testkit.Poll.await(() -> followUps(outcome) >= n ? true : null, WAIT, n + " follow-ups " + outcome);
    assertThat(followUps(outcome)).isEqualTo(n);
    assertThat(followUps("sweep_failed")).isZero();
  }

  SavedConversation conversation(String sub) throws Exception {
    return SavedConversation.decode(sub, await(stores.conversations().load(sub)));
  }

  JsonObject desk(JsonObject request) throws Exception {
    return await(vertx.eventBus().<JsonObject>request(Addresses.SUBSCRIBER_DESK, request)).body();
  }

  static List<String> texts(Reply r) {
    return r.messages().stream().filter(m -> m.kind() == OutMessage.Kind.TEXT).map(OutMessage::value).toList();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  static String sub() {
    return String.valueOf(1_000_000 + (UUID.randomUUID().getMostSignificantBits() & 0xffffff));
  }

  // ---- takeover ----

  @Test
  void anEscalationPausesTheAssistantAndItsMessagesAreKeptUnanswered() throws Exception {
    deploy();
    String sub = sub();
    Reply complaint = say(sub, "Хочу подати скаргу, мені прийшла брудна сукня");
    assertThat(complaint.addTags()).contains(Names.NEEDS_HUMAN);
    Optional<ControlStore.Pause> pause = await(stores.controls().paused(sub));
    assertThat(pause).isPresent();
    assertThat(pause.get().until()).isEqualTo(MONDAY_NOON + 12 * HOUR);
    assertThat(pause.get().reason()).isNotBlank();

    now.addAndGet(HOUR);
    Reply silent = say(sub, "Алло, ви тут? Коли відповісте?");
    assertThat(silent.messages()).isEmpty();
    assertThat(silent.addTags()).isEmpty();
    assertThat(silent.removeTags()).isEmpty();
    assertThat(conversation(sub).conversation().history())
      .extracting(Conversation.Entry::text).contains("Алло, ви тут? Коли відповісте?");
    assertThat(conversation(sub).conversation().has(Conversation.NEEDS_HUMAN)).isTrue();
  }

  @Test
  void thePauseEndsByItselfAndTheNextAnswerRemovesTheTag() throws Exception {
    deploy(new JsonObject().put("handover.pause-hours", 2.5));
    String sub = sub();
    say(sub, "Хочу подати скаргу, мені прийшла брудна сукня");
    now.addAndGet(2 * HOUR);
    assertThat(say(sub, "Привіт").messages()).isEmpty();
    now.addAndGet(HOUR);
    Reply back = say(sub, "Покажіть сукні");
    assertThat(back.messages()).isNotEmpty();
    assertThat(back.removeTags()).contains(Names.NEEDS_HUMAN);
    assertThat(await(stores.controls().paused(sub))).isEmpty();
  }

  @Test
  void aZeroPauseLastsUntilResumed() throws Exception {
    deploy(new JsonObject().put("handover.pause-hours", 0));
    String sub = sub();
    say(sub, "Хочу подати скаргу, мені прийшла брудна сукня");
    assertThat(await(stores.controls().paused(sub))).hasValueSatisfying(p -> assertThat(p.untilResumed()).isTrue());
    now.addAndGet(1_000 * HOUR);
    assertThat(say(sub, "Покажіть сукні").messages()).isEmpty();
  }

  @Test
  void resumingRemovesTheTagAtOnceAndTheAssistantKnowsWhatWasSaidMeanwhile() throws Exception {
    deploy(new JsonObject().put("handover.pause-hours", 0));
    String sub = sub();
    say(sub, "Хочу подати скаргу, мені прийшла брудна сукня");
    say(sub, "Мене звати Оксана");
    JsonObject resumed = desk(new JsonObject().put("action", "resume").put("subscriber", sub));
    assertThat(resumed.getBoolean("wasPaused")).isTrue();
    Reply removal = deliver(sub);
    assertThat(removal.removeTags()).containsExactly(Names.NEEDS_HUMAN);
    assertThat(removal.messages()).isEmpty();
    assertThat(conversation(sub).conversation().has(Conversation.NEEDS_HUMAN)).isFalse();
    assertThat(conversation(sub).conversation().history()).extracting(Conversation.Entry::text)
      .contains("Мене звати Оксана");
    Reply answered = say(sub, "Покажіть сукні");
    assertThat(answered.messages()).isNotEmpty();
    assertThat(answered.removeTags()).as("already removed on resume").doesNotContain(Names.NEEDS_HUMAN);
    assertThat(desk(new JsonObject().put("action", "resume").put("subscriber", sub)).getBoolean("wasPaused"))
      .isFalse();
  }

  @Test
  void aManagerPausesForSomeMinutesThroughTheDesk() throws Exception {
    deploy();
    String sub = sub();
    say(sub, "Привіт");
    JsonObject paused = desk(new JsonObject().put("action", "pause").put("subscriber", sub).put("minutes", 30)
      .put("by", "manychat"));
    assertThat(paused.getJsonObject("pause").getString("until"))
      .isEqualTo(Instant.ofEpochMilli(MONDAY_NOON + 30 * 60_000).toString());
    assertThat(paused.getJsonObject("pause").getString("reason")).isEqualTo("paused by manychat");
    assertThat(say(sub, "Покажіть сукні").messages()).isEmpty();
    now.addAndGet(31 * 60_000);
    assertThat(say(sub, "Покажіть сукні").messages()).isNotEmpty();
    JsonObject forever = desk(new JsonObject().put("action", "pause").put("subscriber", sub).put("minutes", 0));
    assertThat(forever.getJsonObject("pause").getBoolean("untilResumed")).isTrue();
    JsonObject byDefault = desk(new JsonObject().put("action", "pause").put("subscriber", sub));
    assertThat(byDefault.getJsonObject("pause").getString("until"))
      .isEqualTo(Instant.ofEpochMilli(now.get() + 12 * HOUR).toString());
  }

  @Test
  void resumingWhileATurnIsInFlightRemovesTheTagOnceItIsDone() throws Exception {
    deploy();
    String sub = sub();
    say(sub, "Хочу подати скаргу, мені прийшла брудна сукня");
    await(stores.turns().append(new InboundMessage(sub, Channel.INSTAGRAM, "Де менеджер?", List.of(), "busy",
      Contact.EMPTY, now.get(), "t-busy")));
    List<Turn> inFlight = await(stores.turns().claimDue(10, "debounce", true));
    assertThat(inFlight).hasSize(1);
    desk(new JsonObject().put("action", "resume").put("subscriber", sub));
    // The removal waits for the turn; given back (as when no agent took it), the next try stores it.
    await(stores.turns().release(inFlight.get(0)));
    Reply removal = deliver(sub);
    assertThat(removal.removeTags()).containsExactly(Names.NEEDS_HUMAN);
    assertThat(hints).contains(removal.turnId());
  }

  @Test
  void resumingASubscriberWithoutAConversationStillRemovesTheTag() throws Exception {
    deploy();
    String sub = sub();
    desk(new JsonObject().put("action", "pause").put("subscriber", sub).put("minutes", 525_600));
    JsonObject view = desk(new JsonObject().put("action", "view").put("subscriber", sub));
    assertThat(view.getJsonObject("pause").getString("until"))
      .isEqualTo(Instant.ofEpochMilli(MONDAY_NOON + 525_600L * 60_000).toString());
    assertThat(view.getString("state")).isEqualTo(Stage.STATE_0_INIT.name());
    desk(new JsonObject().put("action", "resume").put("subscriber", sub));
    Reply removal = deliver(sub);
    assertThat(removal.removeTags()).containsExactly(Names.NEEDS_HUMAN);
    assertThat(await(stores.conversations().load(sub))).as("no conversation is made up").isEmpty();
    String waiting = sub();
    await(stores.turns().append(new InboundMessage(waiting, Channel.INSTAGRAM, "Привіт", List.of(), "w1",
      Contact.EMPTY, now.get(), "t-w1")));
    assertThat(desk(new JsonObject().put("action", "view").put("subscriber", waiting)).getJsonArray("pending"))
      .hasSize(1);
  }

  @Test
  void theDeskRefusesWhatItCannotDo() throws Exception {
    deploy();
    assertThatThrownBy(() -> desk(new JsonObject().put("action", "view").put("subscriber", "424242")))
      .hasCauseInstanceOf(ReplyException.class).hasMessageContaining("424242")
      .satisfies(e -> assertThat(((ReplyException) e.getCause()).failureCode()).isEqualTo(404));
    assertThatThrownBy(() -> desk(new JsonObject().put("action", "pause").put("subscriber", "1").put("minutes", -5)))
      .satisfies(e -> assertThat(((ReplyException) e.getCause()).failureCode()).isEqualTo(400))
      .hasMessageContaining("minutes");
    assertThatThrownBy(() -> desk(new JsonObject().put("action", "pause").put("subscriber", "1")
      .put("minutes", 525_601))).satisfies(e -> assertThat(((ReplyException) e.getCause()).failureCode()).isEqualTo(400));
    assertThatThrownBy(() -> desk(new JsonObject().put("action", "pause").put("subscriber", "1").put("minutes", 1.5)))
      .satisfies(e -> assertThat(((ReplyException) e.getCause()).failureCode()).isEqualTo(400));
    assertThatThrownBy(() -> desk(new JsonObject().put("action", "pause").put("subscriber", "1")
      .put("minutes", "ten"))).satisfies(e -> assertThat(((ReplyException) e.getCause()).failureCode()).isEqualTo(400));
    assertThatThrownBy(() -> desk(new JsonObject().put("action", "stop").put("subscriber", "1")))
      .satisfies(e -> assertThat(((ReplyException) e.getCause()).failureCode()).isEqualTo(400))
      .hasMessageContaining("stop");
    assertThatThrownBy(() -> desk(new JsonObject().put("action", "view")))
      .satisfies(e -> assertThat(((ReplyException) e.getCause()).failureCode()).isEqualTo(400))
      .hasMessageContaining("subscriber");
  }

  @Test
  void theViewShowsStatePausePendingAndLatestMessages() throws Exception {
    deploy();
    String sub = sub();
    Reply first = say(sub, "Покажіть сукні");
    desk(new JsonObject().put("action", "pause").put("subscriber", sub).put("minutes", 0));
    await(stores.turns().append(new InboundMessage(sub, Channel.INSTAGRAM, "А є рожева?", List.of(), "p1",
      Contact.EMPTY, now.get(), "t-p1")));
    JsonObject view = desk(new JsonObject().put("action", "view").put("subscriber", sub));
    assertThat(view.getString("subscriber")).isEqualTo(sub);
    assertThat(view.getString("state")).isEqualTo(first.state());
    assertThat(view.getString("intent")).isEqualTo(first.intent());
    assertThat(view.getString("channel")).isEqualTo("instagram");
    assertThat(view.getJsonObject("pause").getBoolean("untilResumed")).isTrue();
    assertThat(view.getJsonArray("pending")).hasSize(1);
    assertThat(view.getJsonArray("pending").getJsonObject(0).getString("text")).isEqualTo("А є рожева?");
    assertThat(view.getJsonArray("lastMessages").getJsonObject(0).getString("text")).isEqualTo("Покажіть сукні");
    assertThat(view.getString("lastReply")).startsWith(texts(first).get(0))
      .endsWith(texts(first).get(texts(first).size() - 1));
    assertThat(view.getString("followUpAt")).isEqualTo(Instant.ofEpochMilli(MONDAY_NOON + 3 * HOUR).toString());
    assertThat(view.getString("lastCustomerAt")).isEqualTo(Instant.ofEpochMilli(MONDAY_NOON).toString());
  }

  // ---- work hours ----

  private static JsonObject insideHours(String awayText) {
    return new JsonObject().put("schedule.mode", "inside-hours").put("schedule.hours", "mon-fri 09:00-18:00")
      .put("schedule.away-text", awayText);
  }

  @Test
  void outsideTheHoursTheMessageIsTaggedAndTheAwayTextGoesOncePerOffPeriod() throws Exception {
    deploy(insideHours("Ми повернемося о 9:00"));
    String sub = sub();
    now.set(MONDAY_NOON + 8 * HOUR);
    Reply away = say(sub, "Добрий вечір, є сукні?");
    assertThat(texts(away)).containsExactly("Ми повернемося о 9:00");
    assertThat(away.addTags()).containsExactly(Names.NEEDS_HUMAN);
    now.addAndGet(4 * HOUR);
    Reply again = say(sub, "Ау?");
    assertThat(again.messages()).as("once per off period").isEmpty();
    assertThat(again.addTags()).containsExactly(Names.NEEDS_HUMAN);
    assertThat(await(stores.followUps().scheduled(sub))).isEmpty();
    now.set(MONDAY_NOON + 22 * HOUR);
    Reply morning = say(sub, "Покажіть сукні");
    assertThat(morning.messages()).isNotEmpty();
    assertThat(morning.removeTags()).contains(Names.NEEDS_HUMAN);
    assertThat(conversation(sub).conversation().history()).extracting(Conversation.Entry::text)
      .contains("Добрий вечір, є сукні?", "Ау?");
    now.set(MONDAY_NOON + 31 * HOUR);
    assertThat(texts(say(sub, "Ще питання"))).as("the next evening is a new period")
      .containsExactly("Ми повернемося о 9:00");
  }

  @Test
  void anEmptyAwayTextSendsNothingButStillTags() throws Exception {
    deploy(insideHours(""));
    String sub = sub();
    now.set(MONDAY_NOON - 4 * HOUR);
    Reply away = say(sub, "Доброго ранку");
    assertThat(away.messages()).isEmpty();
    assertThat(away.addTags()).containsExactly(Names.NEEDS_HUMAN);
  }

  @Test
  void outsideHoursModeAnswersOnlyWhenTheManagersAreOff() throws Exception {
    deploy(new JsonObject().put("schedule.mode", "outside-hours").put("schedule.hours", "mon-fri 09:00-18:00"));
    String sub = sub();
    Reply managers = say(sub, "Покажіть сукні");
    assertThat(managers.addTags()).containsExactly(Names.NEEDS_HUMAN);
    assertThat(texts(managers)).hasSize(1);
    now.set(MONDAY_NOON + 7 * HOUR);
    assertThat(say(sub, "Покажіть сукні").removeTags()).contains(Names.NEEDS_HUMAN);
  }

  // ---- follow-ups ----

  @Test
  void aQuietCustomerGetsOneReminderWithFieldAndTag() throws Exception {
    deploy();
    String sub = sub();
    Reply offer = say(sub, "Покажіть сукні");
    assertThat(Shop.FOLLOW_UP_STAGES).extracting(Stage::name).contains(offer.state());
    assertThat(await(stores.followUps().scheduled(sub))).contains(MONDAY_NOON + 3 * HOUR);
    now.addAndGet(3 * HOUR);
    Reply reminder = deliver(sub);
    assertThat(texts(reminder)).hasSize(1);
    assertThat(reminder.fields()).containsEntry(FollowUps.SENT, Instant.ofEpochMilli(now.get()).toString());
    assertThat(reminder.addTags()).containsExactly(FollowUps.SENT);
    assertThat(reminder.channel()).isEqualTo(Channel.INSTAGRAM);
    assertThat(await(stores.followUps().scheduled(sub))).isEmpty();
    assertThat(conversation(sub).conversation().history()).extracting(Conversation.Entry::text)
      .contains(texts(reminder).get(0));
    assertThat(hints).as("push is told at once").contains(reminder.turnId());
    awaitFollowUps("sent", 1);
    // Another silence gets none: only an answered turn schedules one.
    String other = sub();
    say(other, "Покажіть сукні");
    now.addAndGet(3 * HOUR);
    deliver(other);
    assertThat(replyWaiting(sub)).isFalse();
    awaitFollowUps("sent", 2);
  }

  @Test
  void aReminderDueWhileTheCustomersNewMessageWaitsIsNotSent() throws Exception {
    deploy();
    String sub = sub();
    say(sub, "Покажіть сукні");
    await(stores.turns().append(new InboundMessage(sub, Channel.INSTAGRAM, "А ще?", List.of(), "late",
      Contact.EMPTY, now.get(), "t-late")));
    now.addAndGet(3 * HOUR);
    awaitFollowUps("busy", 1);
    assertThat(await(stores.followUps().scheduled(sub))).isEmpty();
    assertThat(replyWaiting(sub)).isFalse();
  }

  @Test
  void aCustomerWhoWritesAgainMovesTheReminder() throws Exception {
    deploy();
    String sub = sub();
    say(sub, "Покажіть сукні");
    now.addAndGet(2 * HOUR);
    say(sub, "А які є кольори?");
    assertThat(await(stores.followUps().scheduled(sub))).contains(now.get() + 3 * HOUR);
  }

  @Test
  void noReminderWhilePausedNorAfterTheConversationEnded() throws Exception {
    deploy();
    String paused = sub();
    say(paused, "Покажіть сукні");
    desk(new JsonObject().put("action", "pause").put("subscriber", paused).put("minutes", 0));
    String ended = sub();
    say(ended, "Покажіть сукні");
    say(ended, "/restart");
    assertThat(await(stores.followUps().scheduled(ended))).as("the restart's stage gets none").isEmpty();
    String control = sub();
    say(control, "Покажіть сукні");
    now.addAndGet(3 * HOUR);
    deliver(control);
    ai.mirt.testkit.Poll.await(() -> {
      try {
        return await(stores.followUps().scheduled(paused)).isEmpty() ? true : null;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, WAIT, "the paused subscriber's follow-up dropped");
    assertThat(replyWaiting(paused)).isFalse();
    awaitFollowUps("dropped", 1);
    awaitFollowUps("sent", 1);
  }

  @Test
  void outsideTheHoursTheReminderWaitsForTheMorningWithinTheWindow() throws Exception {
    deploy(insideHours("").put("schedule.hours", "mon-fri 09:00-18:00").put("followup.after-hours", 5));
    String sub = sub();
    now.set(MONDAY_NOON + 4 * HOUR);
    say(sub, "Покажіть сукні");
    now.addAndGet(5 * HOUR);
    long morning = LocalDateTime.parse("2026-12-08T09:00").atZone(ZoneId.of("Europe/Kyiv")).toInstant()
      .toEpochMilli();
    ai.mirt.testkit.Poll.await(() -> {
      try {
        return await(stores.followUps().scheduled(sub)).filter(t -> t == morning).orElse(null);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, WAIT, "the follow-up moved to 09:00");
    awaitFollowUps("postponed", 1);
    now.set(morning);
    assertThat(texts(deliver(sub))).hasSize(1);
    awaitFollowUps("sent", 1);
  }

  @Test
  void aReminderPastTheMessagingWindowIsDropped() throws Exception {
    deploy();
    String sub = sub();
    say(sub, "Покажіть сукні");
    // Exactly at the window's end (less the margin): the reminder would be too late.
    now.addAndGet(FollowUps.WINDOW_MS);
    ai.mirt.testkit.Poll.await(() -> {
      try {
        return await(stores.followUps().scheduled(sub)).isEmpty() ? true : null;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, WAIT, "the follow-up dropped");
    assertThat(replyWaiting(sub)).isFalse();
    awaitFollowUps("dropped", 1);
  }

  @Test
  void followUpsCanBeSwitchedOff() throws Exception {
    deploy(new JsonObject().put("followup.after-hours", 0));
    String sub = sub();
    say(sub, "Покажіть сукні");
    assertThat(await(stores.followUps().scheduled(sub))).isEmpty();
  }
}
