package ai.mirt.agent;

import ai.mirt.common.Addresses;
import ai.mirt.common.Metrics;
import ai.mirt.common.Presence;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.HandoffDecision;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.ReplyReady;
import ai.mirt.common.Turn;
import ai.mirt.common.WorkHours;
import ai.mirt.state.ControlStore;
import ai.mirt.state.ConversationStore;
import ai.mirt.state.FollowUpStore;
import ai.mirt.state.MessageCounter;
import ai.mirt.state.OrderStore;
import ai.mirt.state.TurnStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Turns a due {@link Turn} into a {@link Reply}: loads the conversation, runs the {@link SalesGraph} while renewing the
 * turn's lease, and hands reply and conversation to the {@link TurnStore} in one step that also decides whether the
 * turn is still current. Only a stored reply is announced to push, so a crash after the handoff never runs the model
 * again. A failure is reported to the store, which retries the turn or dead-letters it. Deployed with
 * {@code ThreadingModel.WORKER}.
 *
 * <p>Before the graph runs, {@link Attendance} decides whether the assistant answers at all: while a manager has the
 * conversation (a pause, started by an escalation or by the manager) or outside the assistant's hours, the customer's
 * messages go into the conversation and are not answered (outside the hours the contact is tagged for a manager and
 * the away text goes out once per off period). With an answered turn {@link FollowUps} schedules the reminder; the
 * agent also serves the subscriber view and the takeover ({@link SubscriberDesk}).
 */
public class AgentVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AgentVerticle.class);

  private static final JsonObject TAKEN = new JsonObject().put("taken", true);

  /** How long to wait between tries of a handoff the store did not answer. */
  private static final long HANDOFF_RETRY_MS = 500;

  /**
   * A reply ready to go and the conversation to store with it (empty: cleared).
   *
   * @param answer the assistant's answer it came from; {@code null} for the message-limit notice
   */
  private record Prepared(Reply reply, String conversation, Answer answer) {
  }

  /** How often due follow-ups are looked for. */
  static final long FOLLOW_UP_SWEEP_MS = 1_000;

  private static final long MINUTE_MS = TimeUnit.MINUTES.toMillis(1);
  /** How often the catalog file is checked for changes. */
  static final long CATALOG_CHECK_MS = 2_000;
  private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);

  private final TurnStore turns;
  private final ConversationStore conversations;
  private final MessageCounter counters;
  private final OrderStore orders;
  private final ControlStore controls;
  private final FollowUpStore followUpStore;
  private final LongSupplier clock;
  private final String owner;
  private final MeterRegistry givenRegistry;
  // Completion callbacks of concurrent graph runs may land on different worker threads.
  private final AtomicLong answered = new AtomicLong();
  private final AtomicInteger active = new AtomicInteger();
  private Assistant assistant;
  private MirtConfig.Agent config;
  private MirtConfig full;
  private Attendance attendance;
  private FollowUps followUps;
  private Counter paused;
  private Counter away;
  private Counter controlErrors;
  private long leaseMs;
  private Counter deadLetters;
  private Counter superseded;
  private Counter timeouts;
  private Counter escalations;
  private Counter limited;

  /**
   * @param turns         where the turn's lease is renewed and its reply handed over
   * @param conversations where conversations are read
   * @param counters      where each subscriber's messages are counted against the limits
   * @param orders        where confirmed orders are stored for the admin API and the shop's CRM
   * @param controls      the managers' pauses and the away-text markers
   * @param followUps     the scheduled reminders
   * @param instance      this instance's name, the owner of the leases it renews
   * @param registry      where metrics go; {@code null}: the Vert.x Micrometer registry, or a private one without it
   * @param clock         the time of the work hours and follow-ups (a test's clock, or the system's)
   */
  public AgentVerticle(TurnStore turns, ConversationStore conversations, MessageCounter counters, OrderStore orders,
                       ControlStore controls, FollowUpStore followUps, String instance, MeterRegistry registry,
                       LongSupplier clock) {
    this.turns = turns;
    this.conversations = conversations;
    this.counters = counters;
    this.orders = orders;
    this.controls = controls;
    this.followUpStore = followUps;
    this.owner = instance;
    this.givenRegistry = registry;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    try {
      MirtConfig cfg = MirtConfig.fromJson(config());
      full = cfg;
      config = cfg.agent();
      leaseMs = cfg.debounce().leaseMs();
      assistant = Assistant.create(config);
      LOG.info("agent answers with {} from a catalog of {} products", assistant.model(),
        assistant.catalog().current().products().size());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    MeterRegistry registry = Metrics.registry(givenRegistry);
    deadLetters = Counter.builder("mirt.debounce.dead.letters").description("turns given up after all attempts")
      .register(registry);
    superseded = Counter.builder("mirt.debounce.superseded")
      .description("turn replies discarded: newer messages arrived, or the turn was taken over").register(registry);
    timeouts = Counter.builder("mirt.agent.timeouts")
      .description("turns past their budget, answered with the timeout text").register(registry);
    escalations = Counter.builder("mirt.agent.escalations")
      .description("turns handed to a person (complaint, injection, model failure, timeout, validation)")
      .register(registry);
    limited = Counter.builder("mirt.agent.limited")
      .description("turns of subscribers over the message limit: one notice, then not answered").register(registry);
    paused = Counter.builder("mirt.agent.paused")
      .description("turns stored but not answered because a manager has the conversation").register(registry);
    away = Counter.builder("mirt.agent.off.hours")
      .description("turns stored but not answered because the assistant is off by the schedule").register(registry);
    controlErrors = Counter.builder("mirt.agent.control.errors")
      .description("pauses that could not be stored after an escalation").register(registry);
    attendance = new Attendance(controls, WorkHours.of(full.schedule()), clock);
    followUps = new FollowUps(vertx, turns, conversations, controls, followUpStore, attendance, assistant, full,
      registry, clock);
    SubscriberDesk desk = new SubscriberDesk(vertx, turns, conversations, controls, followUpStore, full.handover(),
      clock);
    if (followUps.enabled()) {
      vertx.setPeriodic(FOLLOW_UP_SWEEP_MS, id -> followUps.sweep());
    }
    // A worker verticle: the check reads the file on this verticle's worker thread, never on an event loop.
    vertx.setPeriodic(CATALOG_CHECK_MS, id -> {
      if (assistant.catalog().reloadIfChanged()) {
        LOG.info("catalog reloaded: {} products", assistant.catalog().current().products().size());
      }
    });
    EventBus bus = vertx.eventBus();
    return Future.all(
      bus.consumer(Addresses.AGENT_TURN, this::onTurn).completion(),
      bus.localConsumer(Addresses.HEALTH_AGENT, this::onHealth).completion(),
      bus.consumer(Addresses.SUBSCRIBER_DESK, desk::handle).completion(),
      Presence.announce(vertx, "agent", owner));
  }

  private void onTurn(Message<Object> message) {
    // Taken: from here on the turn is this instance's, or its lease's when this instance goes away.
    message.reply(TAKEN);
    Turn turn;
    try {
      turn = Turn.fromJson((JsonObject) message.body());
    } catch (RuntimeException e) {
      // Without a readable turn there is nothing to report; its lease ends and debounce takes it back.
      LOG.error("ignoring malformed {} message: {}", Addresses.AGENT_TURN, e.getMessage());
      return;
    }
    active.incrementAndGet();
    // The lease ran from the claim, and the turn may have waited in this verticle's queue: renew it before any
    // work, and leave a turn that was taken back meanwhile to the instance that now holds it.
    turns.renew(turn.subscriberId(), turn.turnId(), owner).onComplete(held -> {
      if (held.succeeded() && !held.result()) {
        LOG.info("turn {} for subscriber {} is no longer in flight; not answering it [trace {}]", turn.turnId(),
          turn.subscriberId(), turn.traceId());
        active.decrementAndGet();
      } else {
        work(turn);
      }
    });
  }

  private void work(Turn turn) {
    // Renewed until the handoff starts: a handed-over turn needs no lease, and a renewal that races the handoff
    // must not report the turn as lost.
    AtomicBoolean renewing = new AtomicBoolean(true);
    long renewal = vertx.setPeriodic(Math.max(100, leaseMs / 3), id -> {
      if (renewing.get()) {
        renew(turn, renewing);
      }
    });
    // Composed from a completed future so that even an exception thrown while starting the work fails the turn.
    Future.succeededFuture(turn).compose(t -> answer(t, () -> {
        renewing.set(false);
        vertx.cancelTimer(renewal);
      }))
      .onComplete(ar -> {
        vertx.cancelTimer(renewal);
        active.decrementAndGet();
      })
      .onFailure(e -> fail(turn, AgentFailure.describe(e)));
  }

  private void renew(Turn turn, AtomicBoolean renewing) {
    turns.renew(turn.subscriberId(), turn.turnId(), owner)
      .onSuccess(held -> {
        if (!held && renewing.get()) {
          LOG.warn("turn {} for subscriber {} is no longer leased to this instance; its reply will be discarded",
            turn.turnId(), turn.subscriberId());
        }
      })
      .onFailure(e -> LOG.warn("renewing the lease of turn {} for subscriber {} failed: {}", turn.turnId(),
        turn.subscriberId(), e.getMessage()));
  }

  /** @param handingOver called once the reply is ready, before it is handed over */
  private Future<Void> answer(Turn turn, Runnable handingOver) {
    String sub = turn.subscriberId();
    Future<Prepared> prepared = overLimit(turn).compose(limit -> switch (limit) {
      // The conversation is handed back as it was: what a limited turn said is stored, but not answered.
      case NOTICE -> {
        limited.increment();
        yield conversations.load(sub).map(json -> notice(turn, json));
      }
      case SILENT -> {
        limited.increment();
        yield conversations.load(sub).map(json -> silent(turn, json));
      }
      case NONE -> conversations.load(sub).map(json -> SavedConversation.decode(sub, json))
        .compose(saved -> attendance.decide(sub).compose(decision -> switch (decision.kind()) {
          case PAUSED -> {
            paused.increment();
            yield Future.succeededFuture(quiet(turn, saved, null, false));
          }
          case OFF -> {
            away.increment();
            yield awayText(sub, decision).map(text -> quiet(turn, saved, text, true));
          }
          case ANSWER -> withinBudget(turn, saved.conversation())
            .compose(answer -> saveOrder(turn, answer).map(answer))
            .compose(answer -> pauseIfEscalated(turn, answer).map(answer))
            .map(answer -> new Prepared(reply(turn, answer), new SavedConversation(answer.conversation(),
              turn.channel(), clock.getAsLong(), answer.intent().name()).encode(), answer));
        }));
    });
    return prepared.compose(p -> followUps.beforeHandoff(sub, p.answer() == null ? null : p.answer().conversation(),
      p.answer() != null).map(p)).compose(p -> {
      handingOver.run();
      return handoff(turn, p, System.currentTimeMillis() + leaseMs).map(decision -> {
        if (!decision.deliver()) {
          superseded.increment();
          LOG.info("reply of turn {} for subscriber {} discarded: {} [trace {}]", turn.turnId(), sub,
            decision.reason(), turn.traceId());
          return null;
        }
        answered.incrementAndGet();
        vertx.eventBus().send(Addresses.PUSH_REPLY, new ReplyReady(sub, turn.turnId(), turn.traceId()).toJson());
        if (p.answer() != null && p.answer().order() != null) {
          vertx.eventBus().send(Addresses.ORDERS_NEW, new JsonObject().put("id", p.answer().order().getString("id")));
        }
        logAnswer(turn, p);
        return null;
      });
    });
  }

  private void logAnswer(Turn turn, Prepared p) {
    Answer a = p.answer();
    if (a == null) {
      LOG.info("reply for subscriber {} turn {} stored: not answered ({}), {} messages [trace {}]",
        turn.subscriberId(), turn.turnId(), p.reply().addTags().isEmpty() && p.reply().messages().isEmpty()
          ? "paused or over the limit" : "over the limit or off hours", p.reply().messages().size(), turn.traceId());
      return;
    }
    if (a.escalation() != null) {
      escalations.increment();
    }
    // Texts never go to the log: customers write their names, phones and addresses.
    LOG.info("reply for subscriber {} turn {} stored: node {}, intent {}, state {}, {} messages{}{} [trace {}]",
      turn.subscriberId(), turn.turnId(), a.step() == null ? "restart" : a.step().node(), a.intent(), a.stage(),
      a.messages().size(), a.escalation() == null ? "" : ", escalated: " + a.escalation(),
      a.failure() == null ? "" : ", model failed: " + a.failure(), turn.traceId());
  }

  /**
   * A turn the assistant does not answer: the customer's messages go into the conversation's history, so that the
   * assistant knows them later, and nothing else changes. Outside the hours ({@code offHours}) the contact is tagged
   * {@code needs_human} (the conversation remembers it, so the next answered turn removes it) and {@code text}, the
   * away text, goes out when given.
   */
  private Prepared quiet(Turn turn, SavedConversation saved, String text, boolean offHours) {
    Conversation c = saved.conversation().withMessage(Conversation.USER, customerText(turn), config.historyMessages());
    if (text != null) {
      c = c.withMessage(Conversation.ASSISTANT, text, config.historyMessages());
    }
    if (offHours) {
      c = c.toBuilder().flag(Conversation.NEEDS_HUMAN, true).build();
    }
    Reply r = new Reply(turn.subscriberId(), turn.turnId(), turn.channel(),
      text == null ? List.of() : List.of(OutMessage.text(text)), List.of(), null, null, Map.of(),
      offHours ? List.of(Names.NEEDS_HUMAN) : List.of(), List.of(), turn.traceId(), turn.replyTo());
    return new Prepared(r, new SavedConversation(c, turn.channel(), clock.getAsLong(), saved.intent()).encode(), null);
  }

  /** What the customer wrote, for the history: the text, and a note of the photos. */
  private static String customerText(Turn turn) {
    String photos = turn.images().isEmpty() ? "" : "[фото: " + turn.images().size() + "]";
    return turn.text().isBlank() ? photos : photos.isEmpty() ? turn.text() : turn.text() + "\n" + photos;
  }

  /** The away text when this off period has not had it yet for the subscriber; {@code null} otherwise. */
  private Future<String> awayText(String sub, Attendance.Decision off) {
    String text = full.schedule().awayText().strip();
    if (text.isEmpty()) {
      return Future.succeededFuture(null);
    }
    return controls.once(sub, "away", String.valueOf(off.offSince().toEpochMilli())).map(first -> first ? text : null);
  }

  /**
   * An escalated turn hands the conversation to a manager: the assistant is silent for the subscriber for
   * {@code handover.pause-hours} (0: until resumed). A pause that cannot be stored is logged and counted; the reply,
   * which tells the manager, still goes out.
   */
  private Future<Void> pauseIfEscalated(Turn turn, Answer answer) {
    if (answer.escalation() == null) {
      return Future.succeededFuture();
    }
    long pauseMs = full.handover().pauseMs();
    long until = pauseMs == 0 ? ControlStore.Pause.UNTIL_RESUMED : clock.getAsLong() + pauseMs;
    return controls.pause(turn.subscriberId(), until, answer.escalation())
      .onSuccess(v -> LOG.info("assistant paused for subscriber {} after escalation {} [trace {}]", turn.subscriberId(),
        answer.escalation(), turn.traceId()))
      .recover(e -> {
        controlErrors.increment();
        LOG.error("pausing the assistant for subscriber {} after escalation {} failed, it keeps answering: {} "
          + "[trace {}]", turn.subscriberId(), answer.escalation(), e.getMessage(), turn.traceId());
        return Future.succeededFuture();
      });
  }

  private enum Limit { NONE, NOTICE, SILENT }

  /**
   * Counts the turn's messages against the subscriber's limits. The turn that crosses a limit gets the one notice of
   * its window; later turns in the window are stored but not answered. Counting that fails lets the turn through:
   * the limit protects the shop from a flood, and must not silence a customer while Redis hiccups.
   */
  private Future<Limit> overLimit(Turn turn) {
    // A retried turn holds the messages its first attempt already counted.
    long n = turn.attempt() > 1 ? 0 : Math.max(1, turn.messageCount());
    String sub = turn.subscriberId();
    return Future.all(counters.add("m:" + sub, n, MINUTE_MS), counters.add("h:" + sub, n, HOUR_MS))
      .map(all -> {
        long minute = all.resultAt(0);
        long hour = all.resultAt(1);
        boolean crossedMinute = minute > config.limitPerMinute() && minute - n <= config.limitPerMinute();
        boolean crossedHour = hour > config.limitPerHour() && hour - n <= config.limitPerHour();
        if (crossedMinute || crossedHour) {
          return Limit.NOTICE;
        }
        return minute > config.limitPerMinute() || hour > config.limitPerHour() ? Limit.SILENT : Limit.NONE;
      })
      .recover(e -> {
        LOG.warn("counting the messages of subscriber {} failed, answering without the limit: {}", sub,
          e.getMessage());
        return Future.succeededFuture(Limit.NONE);
      });
  }

  private Prepared notice(Turn turn, String conversation) {
    Reply r = new Reply(turn.subscriberId(), turn.turnId(), turn.channel(),
      List.of(OutMessage.text(assistant.limitText())), List.of(), null, null, Map.of(), List.of(), List.of(),
      turn.traceId(), turn.replyTo());
    return new Prepared(r, conversation, null);
  }

  private static Prepared silent(Turn turn, String conversation) {
    Reply r = new Reply(turn.subscriberId(), turn.turnId(), turn.channel(), List.of(), List.of(), null, null, Map.of(),
      List.of(), List.of(), turn.traceId(), turn.replyTo());
    return new Prepared(r, conversation, null);
  }

  /**
   * Runs the graph within the turn's budget. Past {@code interim-after-seconds} one interim message goes out; past
   * the budget the turn is answered with the honest timeout text and the graph's late result is discarded.
   */
  private Future<Answer> withinBudget(Turn turn, Conversation conversation) {
    Promise<Answer> result = Promise.promise();
    AtomicBoolean done = new AtomicBoolean();
    long budgetMs = TimeUnit.SECONDS.toMillis(turn.images().isEmpty() ? config.budgetSeconds()
      : config.budgetImagesSeconds());
    // In response mode the webhook answers a slow turn's held request with its own interim text.
    long interim = config.interimAfterSeconds() <= 0 || !full.manychat().pushMode() ? -1 : vertx.setTimer(
      TimeUnit.SECONDS.toMillis(config.interimAfterSeconds()), id -> {
        if (!done.get()) {
          sendInterim(turn);
        }
      });
    long budget = vertx.setTimer(budgetMs, id -> {
      if (done.compareAndSet(false, true)) {
        timeouts.increment();
        LOG.warn("turn {} for subscriber {} ran past its budget of {} s; answering with the timeout text [trace {}]",
          turn.turnId(), turn.subscriberId(), budgetMs / 1000, turn.traceId());
        context.executeBlocking(() -> assistant.timedOut(turn, conversation), false).onComplete(result);
      }
    });
    // Unordered, so one subscriber's slow model call does not hold up the other subscribers' turns.
    context.executeBlocking(() -> assistant.answer(turn, conversation), false).onComplete(ar -> {
      if (done.compareAndSet(false, true)) {
        vertx.cancelTimer(budget);
        if (interim >= 0) {
          vertx.cancelTimer(interim);
        }
        result.handle(ar);
      } else if (ar.succeeded()) {
        LOG.info("late answer of turn {} for subscriber {} discarded [trace {}]", turn.turnId(), turn.subscriberId(),
          turn.traceId());
      }
    });
    return result.future();
  }

  private void sendInterim(Turn turn) {
    Reply interim = new Reply(turn.subscriberId(), turn.turnId() + ":interim", turn.channel(),
      List.of(OutMessage.text(assistant.interimText())), List.of(), null, null, Map.of(), List.of(), List.of(),
      turn.traceId());
    vertx.eventBus().request(Addresses.PUSH_INTERIM, interim.toJson())
      .onFailure(e -> LOG.info("interim message for subscriber {} not sent: {} [trace {}]", turn.subscriberId(),
        e.getMessage(), turn.traceId()));
  }

  /** Stored before the handoff, so a crash after it never loses a confirmed order; saving is idempotent by id. */
  private Future<Void> saveOrder(Turn turn, Answer answer) {
    if (answer.order() == null) {
      return Future.succeededFuture();
    }
    return orders.save(answer.order()).<Void>mapEmpty()
      .onFailure(e -> LOG.warn("storing order {} of subscriber {} failed: {} [trace {}]",
        answer.order().getString("id"), turn.subscriberId(), e.getMessage(), turn.traceId()));
  }

  /** Hands the reply over, trying again while the store does not answer, for at most one lease. */
  private Future<HandoffDecision> handoff(Turn turn, Prepared p, long deadline) {
    return turns.handoff(turn, p.reply(), p.conversation()).recover(e -> {
      if (System.currentTimeMillis() + HANDOFF_RETRY_MS > deadline) {
        return Future.failedFuture(new AgentFailure("handoff failed: " + e.getMessage()));
      }
      LOG.warn("handoff of turn {} for subscriber {} failed, trying again: {}", turn.turnId(), turn.subscriberId(),
        e.getMessage());
      Promise<HandoffDecision> again = Promise.promise();
      vertx.setTimer(HANDOFF_RETRY_MS, id -> handoff(turn, p, deadline).onComplete(again));
      return again.future();
    });
  }

  private void fail(Turn turn, String reason) {
    LOG.warn("agent failed for subscriber {} turn {} (attempt {}): {} [trace {}]", turn.subscriberId(),
      turn.turnId(), turn.attempt(), reason, turn.traceId());
    turns.fail(turn, reason)
      .onSuccess(outcome -> {
        if (outcome == TurnStore.FailOutcome.DEAD_LETTERED) {
          deadLetters.increment();
          LOG.error("turn {} for subscriber {} dead-lettered after {} attempts; the contact gets the needs_human tag: "
            + "{} [trace {}]", turn.turnId(), turn.subscriberId(), turn.attempt(), reason, turn.traceId());
        }
      })
      // The turn stays in flight; when its lease ends debounce takes it back.
      .onFailure(e -> LOG.error("recording the failure of turn {} for subscriber {} failed: {}", turn.turnId(),
        turn.subscriberId(), e.getMessage()));
  }

  private static Reply reply(Turn turn, Answer a) {
    return new Reply(turn.subscriberId(), turn.turnId(), turn.channel(), a.messages(), a.quickReplies(),
      a.stage().name(), a.intent().name(), a.fields(), a.addTags(), a.removeTags(), turn.traceId(), turn.replyTo());
  }

  private void onHealth(Message<Object> message) {
    JsonObject details = new JsonObject().put("model", assistant.model())
      .put("catalogProducts", assistant.catalog().current().products().size());
    assistant.breaker().ifPresent(state -> details.put("llmBreaker", state));
    message.reply(new ComponentHealth(true, details
      .put("turns", answered.get())
      .put("active", active.get())).toJson());
  }
}
