package ai.mirt.agent;

import ai.mirt.common.Addresses;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.ReplyReady;
import ai.mirt.state.ConversationStore;
import ai.mirt.state.ControlStore;
import ai.mirt.state.FollowUpStore;
import ai.mirt.state.FollowUpStore.FollowUp;
import ai.mirt.state.TurnStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One reminder to a customer who went quiet mid-sale. Each answered turn in {@code STATE_1_DISCOVERY} …
 * {@code STATE_5_PAYMENT_DELIVERY} schedules the subscriber's follow-up in the {@link FollowUpStore}
 * {@code followup.after-hours} later (replacing the one before); any other turn cancels it. A periodic sweep claims
 * the due ones, exactly one instance each, and stores the reminder as a reply of its own
 * ({@link TurnStore#storeOwnReply}), so push delivers it like any reply and the follow-up is gone in the same step:
 * once per silence, across instances and restarts.
 *
 * <p>A reminder goes only inside the 24 h messaging window (counted from the customer's latest turn, with a margin),
 * only when the assistant is on (outside its hours it is moved to the next on-time, if that is still inside the
 * window), never while a manager has the conversation, and only while the conversation is still in its stage.
 */
final class FollowUps {

  private static final Logger LOG = LoggerFactory.getLogger(FollowUps.class);

  /** The field and tag a reminder sets, for the shop's flows and reports. */
  static final String SENT = "followup_sent";
  /** Follow-ups taken by one sweep. */
  static final int BATCH = 32;
  /** A claimed follow-up not settled by then (its instance died) is due again. */
  static final long LEASE_MS = TimeUnit.MINUTES.toMillis(2);
  /** Automated messages are allowed for 24 h after the customer's last message; a reminder keeps clear of the end. */
  static final long WINDOW_MS = TimeUnit.HOURS.toMillis(24) - TimeUnit.MINUTES.toMillis(15);

  private final Vertx vertx;
  private final TurnStore turns;
  private final ConversationStore conversations;
  private final ControlStore controls;
  private final FollowUpStore followUps;
  private final Attendance attendance;
  private final Assistant assistant;
  private final MirtConfig.FollowUp config;
  private final int historyMessages;
  private final LongSupplier clock;
  private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private volatile boolean sweeping;
  private volatile boolean storeUp = true;

  FollowUps(Vertx vertx, TurnStore turns, ConversationStore conversations, ControlStore controls,
            FollowUpStore followUps, Attendance attendance, Assistant assistant, MirtConfig config,
            MeterRegistry registry, LongSupplier clock) {
    this.vertx = vertx;
    this.turns = turns;
    this.conversations = conversations;
    this.controls = controls;
    this.followUps = followUps;
    this.attendance = attendance;
    this.assistant = assistant;
    this.config = config.followUp();
    this.historyMessages = config.agent().historyMessages();
    this.registry = registry;
    this.clock = clock;
  }

  boolean enabled() {
    return config.enabled();
  }

  /**
   * Before a turn's reply is handed over: schedules the subscriber's reminder when the conversation will wait for the
   * customer in a stage that has one, and cancels it otherwise. Done first, so that a reply stored is never without
   * its reminder; a turn superseded after this is re-run and schedules again. A store that fails costs only the
   * reminder, never the reply: the future always succeeds.
   */
  Future<Void> beforeHandoff(String subscriberId, Conversation after, boolean answered) {
    if (!enabled()) {
      return Future.succeededFuture();
    }
    boolean remind = answered && assistant.followUpText(after).isPresent();
    Future<Void> done = remind ? followUps.schedule(subscriberId, clock.getAsLong() + config.afterMs())
      : followUps.cancel(subscriberId);
    return done.recover(e -> {
      count("store_failed");
      LOG.warn("{} the follow-up of subscriber {} failed: {}", remind ? "scheduling" : "cancelling", subscriberId,
        e.getMessage());
      return Future.succeededFuture();
    });
  }

  /** Claims the due follow-ups and settles each. */
  void sweep() {
    if (!enabled() || sweeping) {
      return;
    }
    sweeping = true;
    followUps.claimDue(BATCH, LEASE_MS)
      .compose(due -> Future.all(due.stream().map(this::settle).toList()))
      .onComplete(ar -> {
        sweeping = false;
        if (ar.failed()) {
          count("sweep_failed");
        }
        if (ar.failed() && storeUp) {
          LOG.error("follow-up sweep failed, reminders wait until the store answers: {}", ar.cause().getMessage());
        } else if (ar.succeeded() && !storeUp) {
          LOG.info("follow-up sweep works again");
        }
        storeUp = ar.succeeded();
      });
  }

  private Future<Void> settle(FollowUp f) {
    String sub = f.subscriberId();
    return Future.all(conversations.load(sub), controls.paused(sub)).compose(both -> {
      SavedConversation saved = SavedConversation.decode(sub, both.resultAt(0));
      Optional<ControlStore.Pause> pause = both.resultAt(1);
      long now = clock.getAsLong();
      long windowEnd = saved.lastCustomerAt() + WINDOW_MS;
      Optional<String> text = assistant.followUpText(saved.conversation());
      if (text.isEmpty()) {
        return drop(f, "the conversation left the stages that get a reminder");
      }
      if (saved.channel() == null || saved.lastCustomerAt() == 0) {
        return drop(f, "the conversation does not say its channel and time");
      }
      if (pause.isPresent()) {
        return drop(f, "a manager has the conversation");
      }
      if (now >= windowEnd) {
        return drop(f, "the 24 h messaging window has closed");
      }
      if (!attendance.on()) {
        Optional<Instant> next = attendance.hours().nextOn(Instant.ofEpochMilli(now));
        if (next.isPresent() && next.get().toEpochMilli() < windowEnd) {
          count("postponed");
          LOG.info("follow-up of subscriber {} moved to {}, when the assistant is on", sub, next.get());
          return followUps.reschedule(f, next.get().toEpochMilli()).mapEmpty();
        }
        return drop(f, "the assistant is off until the messaging window closes");
      }
      return remind(f, saved, text.get(), now);
    });
  }

  private Future<Void> remind(FollowUp f, SavedConversation saved, String text, long now) {
    String sub = f.subscriberId();
    String traceId = UUID.randomUUID().toString().substring(0, 8);
    Conversation c = saved.conversation();
    Reply reply = new Reply(sub, "followup-" + now, saved.channel(), List.of(OutMessage.text(text)),
      assistant.shop().quickReplies(c.stage()), null, null, Map.of(SENT, Instant.ofEpochMilli(now).toString()),
      List.of(SENT), List.of(), traceId);
    String conversation = saved.with(c.withMessage(Conversation.ASSISTANT, text, historyMessages)).encode();
    return turns.storeOwnReply(reply, conversation, f).map(result -> {
      switch (result) {
        case STORED -> {
          count("sent");
          LOG.info("follow-up for subscriber {} stored in {} [trace {}]", sub, c.stage(), traceId);
          vertx.eventBus().send(Addresses.PUSH_REPLY, new ReplyReady(sub, reply.turnId(), traceId).toJson());
        }
        case BUSY -> {
          count("busy");
          LOG.info("follow-up of subscriber {} not sent: the customer wrote again", sub);
        }
        case GONE -> LOG.debug("follow-up of subscriber {} was rescheduled meanwhile", sub);
      }
      return null;
    });
  }

  private Future<Void> drop(FollowUp f, String why) {
    count("dropped");
    LOG.info("follow-up of subscriber {} dropped: {}", f.subscriberId(), why);
    return followUps.drop(f).mapEmpty();
  }

  private void count(String outcome) {
    outcomes.computeIfAbsent(outcome, o -> Counter.builder("mirt.agent.followups")
      .description("follow-up reminders by outcome: sent, busy, postponed, dropped; store_failed and sweep_failed "
        + "when the store did not answer")
      .tag("outcome", o).register(registry)).increment();
  }
}
