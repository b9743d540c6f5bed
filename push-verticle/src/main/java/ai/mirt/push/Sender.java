package ai.mirt.push;

import ai.mirt.common.Reply;
import ai.mirt.push.CallResult.Outcome;
import ai.mirt.state.DeadLetter;
import ai.mirt.state.DeadLetterStore;
import ai.mirt.state.OutboxEntry;
import ai.mirt.state.OutboxStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Sends the calls of one claimed reply in order, each when the rate limit allows it and the breaker is not open,
 * recording every accepted call before the next one goes out, and says how the attempt ended. A call naming a field
 * or tag ManyChat does not know goes again without its actions, so that the customer still gets the answer; the
 * actions become a dead letter at once, before the reply goes on (a later call of the reply may still fail and be
 * retried in another attempt, which would not know of them).
 */
final class Sender {

  private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

  /** ManyChat takes automated messages only within this long of the customer's last message. */
  static final long WINDOW_MS = 24 * 3600 * 1000L;
  /** A 429 without {@code Retry-After}: how long to hold every call back. */
  static final long DEFAULT_RATE_PAUSE_MS = 1_000;

  /** How an attempt at a reply ended. */
  enum Kind {
    /** Every call went out (some actions may have been refused: see the dead letter). */
    DELIVERED,
    /** A call did not go through; the reply is claimed again later. */
    RETRY,
    /** The reply is given up. */
    DEAD,
    /** The claim was lost: another claim finishes the reply. */
    LOST,
    /** The verticle is stopping: give the claim back at once. */
    STOPPED
  }

  /**
   * @param decision   for {@link Kind#RETRY} and {@link Kind#DEAD}: the counts, delay, code and reason
   * @param deadLetter what was given up (the whole reply, or the calls and actions the customer went without);
   *                   {@code null} when nothing was
   * @param partial    the customer got the messages, but not every call went through
   */
  record Result(Kind kind, RetryRule.Decision decision, DeadLetter deadLetter, boolean partial) {
    static Result of(Kind kind) {
      return new Result(kind, null, null, false);
    }
  }

  /** What an attempt carries from call to call. */
  private static final class Attempt {
    final OutboxEntry entry;
    final List<ManyChatCall> calls;
    /** Calls and actions given up on the way; they form the dead letter. */
    final List<ManyChatCall> dropped = new ArrayList<>();
    final List<String> droppedReasons = new ArrayList<>();
    String droppedCode;

    Attempt(OutboxEntry entry, List<ManyChatCall> calls) {
      this.entry = entry;
      this.calls = calls;
    }

    boolean customerHasReply(int index) {
      return calls.subList(0, index).stream().anyMatch(ManyChatCall::isSendContent);
    }
  }

  private final ManyChatClient client;
  private final Throttle throttle;
  private final RetryRule rule;
  private final OutboxStore outbox;
  private final DeadLetterStore deadLetters;
  private final MeterRegistry registry;
  private final BooleanSupplier stopping;
  private final LongSupplier clock;

  Sender(ManyChatClient client, Throttle throttle, RetryRule rule, OutboxStore outbox, DeadLetterStore deadLetters,
         MeterRegistry registry, BooleanSupplier stopping, LongSupplier clock) {
    this.client = client;
    this.throttle = throttle;
    this.rule = rule;
    this.outbox = outbox;
    this.deadLetters = deadLetters;
    this.registry = registry;
    this.stopping = stopping;
    this.clock = clock;
  }

  /**
   * Sends {@code calls[entry.accepted()..]}.
   *
   * @param onAccepted told each time ManyChat accepted a call and it was recorded, with the new accepted count
   */
  Future<Result> send(OutboxEntry entry, List<ManyChatCall> calls, IntConsumer onAccepted) {
    Attempt a = new Attempt(entry, calls);
    if (rule.tooOld(entry, clock.getAsLong())) {
      CallResult old = CallResult.of(Outcome.PERMANENT, 0, "max_age", "not delivered within "
        + rule.maxAgeMs() / 1000 + " s of being stored");
      int from = Math.min(entry.accepted(), calls.size());
      if (a.customerHasReply(from)) {
        // The messages went out in an earlier attempt: what is left is dead-lettered, the reply counts as delivered.
        drop(a, calls.subList(from, calls.size()), old);
        return Future.succeededFuture(delivered(a));
      }
      return Future.succeededFuture(dead(a, from, "max_age", old.reason()));
    }
    return sendFrom(a, entry.accepted(), false, onAccepted);
  }

  private Future<Result> sendFrom(Attempt a, int index, boolean stripped, IntConsumer onAccepted) {
    if (index >= a.calls.size()) {
      return Future.succeededFuture(delivered(a));
    }
    if (stopping.getAsBoolean()) {
      return Future.succeededFuture(Result.of(Kind.STOPPED));
    }
    ManyChatCall call = stripped ? DynamicBlockBuilder.withoutActions(a.calls.get(index)) : a.calls.get(index);
    return call(a.entry, call).compose(res -> switch (res.outcome()) {
      case OK -> outbox.accepted(a.entry, index + 1).transform(rec -> {
        if (rec.succeeded() && rec.result()) {
          onAccepted.accept(index + 1);
          return sendFrom(a, index + 1, false, onAccepted);
        }
        Reply r = a.entry.reply();
        LOG.warn("reply for subscriber {} turn {}: call {}/{} was accepted but {}; the reply resumes when its lease "
            + "ends and this call may be sent again", r.subscriberId(), r.turnId(), index + 1, a.calls.size(),
          rec.failed() ? "recording it failed: " + rec.cause().getMessage() : "the claim was lost");
        return Future.succeededFuture(Result.of(Kind.LOST));
      });
      case UNKNOWN_TARGET -> unknownTarget(a, index, stripped, call, res, onAccepted);
      default -> Future.succeededFuture(failed(a, index, call, res));
    });
  }

  /** ManyChat does not know a field or tag: the messages go without the actions, and the actions are dead letters. */
  private Future<Result> unknownTarget(Attempt a, int index, boolean stripped, ManyChatCall call, CallResult res,
                                       IntConsumer onAccepted) {
    Reply r = a.entry.reply();
    if (call.isSendContent() && !stripped && hasActions(call)) {
      LOG.warn("ManyChat refused an action of the reply for subscriber {} turn {}: {}; sending the messages without "
        + "their actions, which are dead-lettered", r.subscriberId(), r.turnId(), res.reason());
      return bury(r, DynamicBlockBuilder.actionCalls(call), res).compose(v -> sendFrom(a, index, true, onAccepted));
    }
    if (!call.isSendContent()) {
      LOG.warn("ManyChat refused {} for subscriber {} turn {}: {}; dead-lettered, the reply goes on", call.endpoint(),
        r.subscriberId(), r.turnId(), res.reason());
      return bury(r, List.of(call), res)
        .compose(v -> outbox.accepted(a.entry, index + 1))
        .transform(rec -> rec.succeeded() && rec.result()
          ? sendFrom(a, index + 1, false, onAccepted) : Future.succeededFuture(Result.of(Kind.LOST)));
    }
    return Future.succeededFuture(failed(a, index, call, res));
  }

  /**
   * Records the calls the customer goes without as a dead letter of their own. When the store does not take it the
   * reply still goes on (the customer's answer matters more); the ERROR line keeps what was lost.
   */
  private Future<Void> bury(Reply r, List<ManyChatCall> calls, CallResult res) {
    DeadLetter letter = new DeadLetter("push", r.subscriberId(), r.turnId(), res.code(),
      "delivered without some actions: " + res.reason(), clock.getAsLong(), payload(r, calls));
    PushMetrics.partial(registry, res.code());
    PushMetrics.deadLetter(registry, res.code());
    return deadLetters.add(letter).recover(e -> {
      LOG.error("recording the dead letter of subscriber {} turn {} failed: {}; lost: {}", r.subscriberId(),
        r.turnId(), e.getMessage(), payload(r, calls).getJsonArray("calls").encode());
      return Future.succeededFuture();
    });
  }

  private Result failed(Attempt a, int index, ManyChatCall call, CallResult res) {
    Reply r = a.entry.reply();
    if (res.outcome() == Outcome.RATE_LIMITED) {
      throttle.pause(res.retryAfterMs() >= 0 ? res.retryAfterMs() : DEFAULT_RATE_PAUSE_MS);
    }
    RetryRule.Decision d = rule.decide(a.entry, call, res, client.msUntilHalfOpen(), clock.getAsLong());
    if (d.action() == RetryRule.Action.RETRY) {
      if (d.attempts() > a.entry.attempts()) {
        Counter.builder("mirt.push.retries").description("ManyChat calls to be tried again, by reason")
          .tag("reason", d.code()).register(registry).increment();
      }
      if (d.timeouts() > a.entry.timeouts()) {
        Counter.builder("mirt.push.possible.duplicates")
          .description("sendContent calls that timed out and are sent again: the customer may see them twice")
          .register(registry).increment();
        LOG.warn("ManyChat call {} for subscriber {} turn {} timed out: it may have been delivered; sending it once "
          + "more", call.endpoint(), r.subscriberId(), r.turnId());
      }
      return new Result(Kind.RETRY, d, null, false);
    }
    if (a.customerHasReply(index)) {
      drop(a, a.calls.subList(index, a.calls.size()), CallResult.of(res.outcome(), res.httpStatus(), d.code(),
        d.reason()));
      return delivered(a);
    }
    return dead(a, index, d.code(), d.reason());
  }

  private Result delivered(Attempt a) {
    if (a.dropped.isEmpty()) {
      return Result.of(Kind.DELIVERED);
    }
    Reply r = a.entry.reply();
    DeadLetter letter = new DeadLetter("push", r.subscriberId(), r.turnId(), a.droppedCode,
      "delivered without some actions or calls: " + String.join("; ", a.droppedReasons), clock.getAsLong(),
      payload(r, a.dropped));
    return new Result(Kind.DELIVERED, null, letter, true);
  }

  private Result dead(Attempt a, int index, String code, String reason) {
    Reply r = a.entry.reply();
    List<ManyChatCall> rest = new ArrayList<>(a.dropped);
    rest.addAll(a.calls.subList(Math.min(index, a.calls.size()), a.calls.size()));
    DeadLetter letter = new DeadLetter("push", r.subscriberId(), r.turnId(), code, reason, clock.getAsLong(),
      payload(r, rest));
    return new Result(Kind.DEAD, new RetryRule.Decision(RetryRule.Action.DEAD, 0, a.entry.attempts(),
      a.entry.timeouts(), code, reason), letter, false);
  }

  private static void drop(Attempt a, List<ManyChatCall> calls, CallResult res) {
    a.dropped.addAll(calls);
    a.droppedReasons.add(res.reason());
    if (a.droppedCode == null) {
      a.droppedCode = res.code();
    }
  }

  private static boolean hasActions(ManyChatCall call) {
    JsonArray actions = call.body().getJsonObject("data").getJsonObject("content").getJsonArray("actions");
    return actions != null && !actions.isEmpty();
  }

  static JsonObject payload(Reply r, List<ManyChatCall> calls) {
    JsonArray out = new JsonArray();
    calls.forEach(c -> out.add(c.toJson()));
    return new JsonObject().put("reply", r.toJson()).put("calls", out);
  }

  /**
   * One call: refused here when the customer's window is closed or the breaker is open, otherwise sent when the rate
   * limit allows.
   */
  Future<CallResult> call(OutboxEntry e, ManyChatCall call) {
    long now = clock.getAsLong();
    if (e != null && call.isSendContent() && e.lastInboundAt() > 0 && now - e.lastInboundAt() > WINDOW_MS) {
      return Future.succeededFuture(count(call, CallResult.of(Outcome.WINDOW_CLOSED, 0, "window_closed",
        "the customer's last message is " + (now - e.lastInboundAt()) / 3_600_000 + " h old; ManyChat takes "
          + "automated messages only within 24 h of it (not sent)")));
    }
    return call(call);
  }

  /** One call through the breaker and the rate limit, without the window check (a manager's retry). */
  Future<CallResult> call(ManyChatCall call) {
    if (client.breakerState() == CircuitBreakerState.OPEN) {
      return Future.succeededFuture(count(call, CallResult.breakerOpen()));
    }
    return throttle.acquire(call.group())
      .transform(granted -> {
        if (granted.failed()) {
          return Future.succeededFuture(CallResult.of(Outcome.NOT_SENT, 0, "rate_limiter",
            "the rate limiter's store did not answer: " + granted.cause().getMessage()));
        }
        long started = System.nanoTime();
        return client.post(call).onSuccess(res -> {
          if (res.outcome() != Outcome.BREAKER_OPEN) {
            Timer.builder("mirt.push.call.latency").description("ManyChat call latency by endpoint")
              .tag("endpoint", call.endpoint()).register(registry)
              .record(Duration.ofNanos(System.nanoTime() - started));
          }
        });
      })
      .map(res -> count(call, res));
  }

  private CallResult count(ManyChatCall call, CallResult res) {
    Counter.builder("mirt.push.calls").description("ManyChat API calls by endpoint and outcome")
      .tag("endpoint", call.endpoint())
      .tag("result", res.outcome().name().toLowerCase(Locale.ROOT))
      .register(registry).increment();
    return res;
  }
}
