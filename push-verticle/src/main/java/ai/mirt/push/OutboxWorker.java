package ai.mirt.push;

import ai.mirt.common.MirtConfig;
import ai.mirt.common.Reply;
import ai.mirt.state.DeadLetter;
import ai.mirt.state.OutboxEntry;
import ai.mirt.state.OutboxStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Claims the replies stored in the {@link OutboxStore} and sees each through: at once when the agent announces one,
 * otherwise by a periodic sweep, oldest first, never more than {@link #MAX_ACTIVE} at a time and not while the
 * breaker is open. A claim's lease is renewed while its calls wait; the {@link Sender}'s result is then written back
 * in one store step: finished (delivered, or dead-lettered, which also frees the subscriber) or given back to be
 * claimed again after a delay. Without an API key nothing leaves the process (dry run). In response mode a reply whose
 * customer's webhook request is held for it takes the {@link ResponseRoute} first.
 */
final class OutboxWorker {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxWorker.class);
  /** Replies this instance delivers at once; further due replies wait in the outbox. */
  static final int MAX_ACTIVE = 64;

  private final Vertx vertx;
  private final OutboxStore outbox;
  private final String owner;
  private final MirtConfig config;
  private final Sender sender;
  private final Supplier<CircuitBreakerState> breaker;
  private final MeterRegistry registry;
  private final DynamicBlockBuilder builder;
  private final ResponseRoute route;

  /** Subscribers whose reply this instance is delivering, with the claim it holds and how far it got. */
  private final Map<String, Progress> active = new HashMap<>();
  private final Deque<JsonObject> recent = new ArrayDeque<>();
  private boolean stopping;
  private boolean sweeping;
  private boolean storeUp = true;

  OutboxWorker(Vertx vertx, OutboxStore outbox, String owner, MirtConfig config, Sender sender,
               Supplier<CircuitBreakerState> breaker, MeterRegistry registry) {
    this.vertx = vertx;
    this.outbox = outbox;
    this.owner = owner;
    this.config = config;
    this.builder = new DynamicBlockBuilder(config.manychat().names());
    this.sender = sender;
    this.breaker = breaker;
    this.registry = registry;
    this.route = new ResponseRoute(vertx, outbox, config, registry, System::currentTimeMillis);
  }

  /**
   * A delivery in hand: how many calls ManyChat accepted so far, and the timer that keeps the claim's lease alive
   * while a call waits for its turn or for ManyChat.
   */
  private static final class Progress {
    final String claim;
    final long renewal;
    int accepted;

    Progress(String claim, long renewal, int accepted) {
      this.claim = claim;
      this.renewal = renewal;
      this.accepted = accepted;
    }
  }

  void stop() {
    stopping = true;
  }

  boolean stopping() {
    return stopping;
  }

  int active() {
    return active.size();
  }

  /** The latest outcomes, oldest first, for the outbox view. */
  JsonArray recent() {
    JsonArray out = new JsonArray();
    recent.forEach(out::add);
    return out;
  }

  private boolean dryRun() {
    return config.manychat().dryRun();
  }

  /**
   * How many replies may be claimed now: none while the breaker is open (they wait in the outbox without using up
   * anything), one at a time while it lets its trial call through.
   */
  private int room() {
    if (stopping) {
      return 0;
    }
    return roomWith(breaker.get());
  }

  private int roomWith(CircuitBreakerState state) {
    if (state == CircuitBreakerState.OPEN) {
      return 0;
    }
    if (state == CircuitBreakerState.HALF_OPEN) {
      return active.isEmpty() ? 1 : 0;
    }
    return MAX_ACTIVE - active.size();
  }

  /** The agent stored this subscriber's reply: claim it now rather than at the next sweep. */
  void ready(String subscriberId, String turnId) {
    // In response mode a fresh reply usually answers a held webhook request, which needs no ManyChat call: the
    // breaker must not keep it until the request's deadline has passed. Calls that do need the API are held back by
    // the sender while the breaker is open.
    int room = stopping ? 0 : config.manychat().pushMode() ? room() : roomWith(CircuitBreakerState.CLOSED);
    if (active.containsKey(subscriberId) || room <= 0) {
      return;
    }
    outbox.claim(subscriberId, owner)
      .onSuccess(entry -> entry.ifPresent(this::deliver))
      .onFailure(e -> LOG.warn("claiming the reply of subscriber {} turn {} failed, the sweep retries: {}",
        subscriberId, turnId, e.getMessage()));
  }

  void sweep() {
    int room = room();
    if (sweeping || room <= 0) {
      return;
    }
    sweeping = true;
    outbox.claimDue(room, owner)
      .onSuccess(entries -> entries.forEach(this::deliver))
      .onComplete(ar -> {
        sweeping = false;
        if (ar.failed() && storeUp) {
          LOG.error("push sweep failed, stored replies wait until the store answers: {}", ar.cause().getMessage());
        } else if (ar.succeeded() && !storeUp) {
          LOG.info("push sweep works again");
        }
        storeUp = ar.succeeded();
      });
  }

  private void deliver(OutboxEntry e) {
    long renewal = vertx.setPeriodic(Math.max(100, config.debounce().leaseMs() / 3), id -> renew(e));
    Progress previous = active.put(e.subscriberId(), new Progress(e.claim(), renewal, e.accepted()));
    if (previous != null) {
      // A claim of ours that lapsed and was taken again: only the new one is renewed.
      vertx.cancelTimer(previous.renewal);
    }
    long started = System.nanoTime();
    if (ResponseRoute.carries(e)) {
      respond(e, started);
      return;
    }
    Reply r = e.reply();
    List<ManyChatCall> calls;
    try {
      calls = builder.build(r, config.manychat().quickReplyFlow());
    } catch (RuntimeException ex) {
      String reason = "reply cannot be built: " + ex.getMessage();
      DeadLetter dead = new DeadLetter("push", r.subscriberId(), r.turnId(), "invalid_reply", reason,
        System.currentTimeMillis(), Sender.payload(r, List.of()));
      conclude(e, List.of(), new Sender.Result(Sender.Kind.DEAD, null, dead, false), started, null, null);
      return;
    }
    if (e.accepted() > 0 || e.attempts() > 0) {
      LOG.info("resuming reply for subscriber {} turn {} at call {}/{} (attempt {}) [trace {}]", r.subscriberId(),
        r.turnId(), e.accepted() + 1, calls.size(), e.attempts() + 1, r.traceId());
    }
    if (dryRun()) {
      LOG.info("dry run: reply for subscriber {} turn {} ({} calls)", r.subscriberId(), r.turnId(), calls.size());
      if (LOG.isDebugEnabled()) {
        LOG.debug("dry run payload for subscriber {} turn {}: {}", r.subscriberId(), r.turnId(), callsJson(calls));
      }
      conclude(e, calls, Sender.Result.of(Sender.Kind.DELIVERED), started, null, null);
      return;
    }
    send(e, calls, started, null, null);
  }

  /** The reply's held webhook request first; then whatever the route says. */
  private void respond(OutboxEntry e, long started) {
    route.route(e, accepted -> progress(e, accepted)).onComplete(ar -> {
      if (ar.failed()) {
        Reply r = e.reply();
        LOG.error("answering the webhook request for subscriber {} turn {} failed unexpectedly; it resumes when its "
          + "lease ends: {}", r.subscriberId(), r.turnId(), String.valueOf(ar.cause()));
        release(e);
        return;
      }
      ResponseRoute.Step step = ar.result();
      if (step instanceof ResponseRoute.GiveBack g) {
        giveBack(e, e.attempts(), e.timeouts(), g.delayMs());
      } else if (step instanceof ResponseRoute.Send s) {
        send(s.entry(), s.calls(), started, s.status(), s.view());
      } else if (step instanceof ResponseRoute.Finish f && f.result().kind() != Sender.Kind.LOST) {
        conclude(e, f.calls(), f.result(), started, f.status(), f.view());
      } else {
        release(e);
      }
    });
  }

  private void progress(OutboxEntry e, int accepted) {
    Progress p = active.get(e.subscriberId());
    if (p != null && p.claim.equals(e.claim())) {
      p.accepted = accepted;
    }
  }

  /**
   * Sends the calls from {@code e.accepted()} on and writes the outcome back.
   *
   * @param deliveredAs how a delivered reply shows in the outbox view; {@code null}: delivered
   * @param view        further fields of the outbox view's record; may be {@code null}
   */
  private void send(OutboxEntry e, List<ManyChatCall> calls, long started, String deliveredAs, JsonObject view) {
    Reply r = e.reply();
    sender.send(e, calls, accepted -> progress(e, accepted)).onComplete(ar -> {
      Sender.Result res = ar.succeeded() ? ar.result() : Sender.Result.of(Sender.Kind.LOST);
      if (ar.failed()) {
        LOG.error("delivering the reply for subscriber {} turn {} failed unexpectedly; it resumes when its lease "
          + "ends: {}", r.subscriberId(), r.turnId(), String.valueOf(ar.cause()));
      }
      switch (res.kind()) {
        case DELIVERED, DEAD -> conclude(e, calls, res, started, deliveredAs, view);
        case RETRY -> retryLater(e, res.decision(), calls);
        case STOPPED -> giveBack(e, e.attempts(), e.timeouts(), 0);
        default -> release(e);
      }
    });
  }

  private void retryLater(OutboxEntry e, RetryRule.Decision d, List<ManyChatCall> calls) {
    Reply r = e.reply();
    Progress p = active.get(e.subscriberId());
    int at = p == null ? e.accepted() : p.accepted;
    if (d.attempts() > e.attempts()) {
      LOG.warn("push failed for subscriber {} turn {}: {} (call {}/{}, attempt {}); retrying in {} ms [trace {}]",
        r.subscriberId(), r.turnId(), d.reason(), at + 1, calls.size(), d.attempts(), d.delayMs(), r.traceId());
    } else {
      LOG.debug("reply for subscriber {} turn {} held back {} ms: {}", r.subscriberId(), r.turnId(), d.delayMs(),
        d.reason());
    }
    giveBack(e, d.attempts(), d.timeouts(), d.delayMs());
  }

  private void giveBack(OutboxEntry e, int attempts, int timeouts, long delayMs) {
    outbox.retryLater(e, attempts, timeouts, delayMs).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("giving back the reply of subscriber {} turn {} failed; it resumes when its lease ends: {}",
          e.subscriberId(), e.turnId(), ar.cause().getMessage());
      }
      release(e);
    });
  }

  /**
   * @param deliveredAs how a delivered reply shows in the outbox view; {@code null}: {@code delivered}, or
   *                    {@code dry-run} without a key
   * @param view        further fields of the outbox view's record; may be {@code null}
   */
  private void conclude(OutboxEntry e, List<ManyChatCall> calls, Sender.Result res, long started, String deliveredAs,
                        JsonObject view) {
    Reply r = e.reply();
    boolean delivered = res.kind() == Sender.Kind.DELIVERED;
    String status = !delivered ? "dead-lettered" : deliveredAs != null ? deliveredAs
      : dryRun() ? "dry-run" : "delivered";
    DeadLetter dead = res.deadLetter();
    JsonObject record = new JsonObject()
      .put("subscriberId", r.subscriberId())
      .put("turnId", r.turnId())
      .put("at", Instant.now().toString())
      .put("status", status);
    if (dead != null) {
      record.put("reason", dead.reason());
    }
    record.put("calls", callsJson(calls));
    if (view != null) {
      record.mergeIn(view);
    }
    if (delivered && dead != null) {
      LOG.warn("reply for subscriber {} turn {} (trace {}) reached the customer, but not all of it: {}",
        r.subscriberId(), r.turnId(), r.traceId(), dead.reason());
      PushMetrics.partial(registry, dead.code());
    } else if (delivered && ResponseRoute.RESPONDED.equals(deliveredAs)) {
      LOG.info("reply for subscriber {} turn {} (trace {}) went out as the answer to its webhook request{}",
        r.subscriberId(), r.turnId(), r.traceId(), dryRun() ? "" : ", with " + calls.size() + " calls in all");
    } else if (delivered && !dryRun()) {
      LOG.info("reply delivered for subscriber {} turn {} (trace {}): {} calls", r.subscriberId(), r.turnId(),
        r.traceId(), calls.size());
    } else if (!delivered) {
      LOG.error("push failed for subscriber {} turn {} (trace {}): dead-lettered: {}", r.subscriberId(), r.turnId(),
        r.traceId(), dead.reason());
    }
    outbox.finish(e, dead).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        bounded(record);
        if (dead != null) {
          PushMetrics.deadLetter(registry, dead.code());
        }
        Timer.builder("mirt.push.delivery").description("time from claiming a reply to its outcome")
          .tag("outcome", status.replace('-', '_')).register(registry)
          .record(Duration.ofNanos(System.nanoTime() - started));
      } else {
        LOG.warn("reply for subscriber {} turn {} ended as {} but {}; it is finished when its lease ends",
          r.subscriberId(), r.turnId(), status,
          ar.failed() ? "the store did not answer: " + ar.cause().getMessage() : "the claim was lost");
      }
      release(e);
    });
  }

  /** Extends the claim's lease; recording the accepted count again changes nothing else. */
  private void renew(OutboxEntry e) {
    Progress p = active.get(e.subscriberId());
    if (p == null || !p.claim.equals(e.claim())) {
      return;
    }
    outbox.accepted(e, p.accepted).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("renewing the claim on the reply of subscriber {} turn {} failed: {}", e.subscriberId(),
          e.turnId(), ar.cause().getMessage());
      } else if (!ar.result()) {
        LOG.warn("the claim on the reply of subscriber {} turn {} lapsed and was taken by another claim",
          e.subscriberId(), e.turnId());
      }
    });
  }

  /**
   * Sends an interim message ("one moment…") of a turn still being answered: texts only, without fields or tags,
   * straight through the breaker and the rate limit. It is not stored: if it is lost the answer still follows.
   *
   * @return {@code sent}, {@code dry-run}, or a failure naming why it was not sent
   */
  Future<String> interim(Reply r) {
    List<ManyChatCall> calls = builder.build(r, "").stream().filter(ManyChatCall::isSendContent)
      .map(DynamicBlockBuilder::withoutActions).toList();
    JsonObject record = new JsonObject()
      .put("subscriberId", r.subscriberId())
      .put("turnId", r.turnId())
      .put("at", Instant.now().toString())
      .put("calls", callsJson(calls));
    if (dryRun()) {
      LOG.info("dry run: interim message for subscriber {} turn {} [trace {}]", r.subscriberId(), r.turnId(),
        r.traceId());
      bounded(record.put("status", "dry-run"));
      return Future.succeededFuture("dry-run");
    }
    Future<CallResult> sent = Future.succeededFuture(CallResult.ok(200));
    for (ManyChatCall call : calls) {
      sent = sent.compose(res -> res.outcome() == CallResult.Outcome.OK ? sender.call(call)
        : Future.succeededFuture(res));
    }
    return sent.compose(res -> {
      if (res.outcome() != CallResult.Outcome.OK) {
        return Future.failedFuture("not sent: " + res.code() + " " + res.reason());
      }
      bounded(record.put("status", "delivered"));
      return Future.succeededFuture("sent");
    });
  }

  private void release(OutboxEntry e) {
    Progress p = active.get(e.subscriberId());
    if (p != null && p.claim.equals(e.claim())) {
      vertx.cancelTimer(p.renewal);
      active.remove(e.subscriberId());
    }
  }

  private void bounded(JsonObject entry) {
    int size = Math.max(0, config.push().outboxSize());
    recent.addLast(entry);
    while (recent.size() > size) {
      recent.removeFirst();
    }
  }

  private static JsonArray callsJson(List<ManyChatCall> calls) {
    JsonArray out = new JsonArray();
    calls.forEach(c -> out.add(c.toJson()));
    return out;
  }
}
