package ai.mirt.push;

import ai.mirt.common.Addresses;
import ai.mirt.common.Metrics;
import ai.mirt.common.Presence;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Reply;
import ai.mirt.common.ReplyReady;
import ai.mirt.state.DeadLetter;
import ai.mirt.state.DeadLetterStore;
import ai.mirt.state.OutboxEntry;
import ai.mirt.state.OutboxStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
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
import java.util.Locale;
import java.util.Map;

/**
 * Delivers the replies stored in the {@link OutboxStore} to ManyChat. A reply is claimed under a lease (at once when
 * the agent announces it on {@link Addresses#PUSH_REPLY}, otherwise by a periodic sweep), its calls go out in order,
 * and every call ManyChat accepted is recorded before the next one, so a delivery resumed by another claim never
 * resends an accepted call. A failed attempt gives the claim back with a doubling delay; a reply is finished, in one
 * store step that also releases the subscriber, once delivered or dead-lettered. Without an API key nothing leaves the
 * process (dry run).
 */
public class PushVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PushVerticle.class);
  /** Replies this instance delivers at once; further due replies wait in the outbox. */
  private static final int MAX_ACTIVE = 64;

  private final OutboxStore outbox;
  private final DeadLetterStore deadLetters;
  private final String owner;
  private final MeterRegistry givenRegistry;
  private final DynamicBlockBuilder builder = new DynamicBlockBuilder();

  /** Subscribers whose reply this instance is delivering, with the claim it holds and how far it got. */
  private final Map<String, Progress> active = new HashMap<>();
  private final Deque<JsonObject> recent = new ArrayDeque<>();
  private boolean stopping;
  private boolean sweeping;
  private boolean storeUp = true;

  private MirtConfig config;
  private ManyChatClient client;
  private MeterRegistry registry;

  /**
   * @param outbox      where stored replies are claimed and finished
   * @param deadLetters shown by the outbox view
   * @param instance    this instance's name, the owner of its claims
   * @param registry    where metrics go; {@code null}: the Vert.x Micrometer registry, or a private one without it
   */
  public PushVerticle(OutboxStore outbox, DeadLetterStore deadLetters, String instance, MeterRegistry registry) {
    this.outbox = outbox;
    this.deadLetters = deadLetters;
    this.owner = instance;
    this.givenRegistry = registry;
  }

  /**
   * A delivery in hand: how many calls ManyChat accepted so far, and the timer that keeps the claim's lease alive
   * while a call waits for ManyChat (a call may take longer than a lease).
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

  /** How a reply ended: delivered, or dead-lettered with a short code and a reason. */
  private record Delivery(boolean delivered, String code, String reason) {
    static final Delivery DELIVERED = new Delivery(true, "", "");

    static Delivery dead(String code, String reason) {
      return new Delivery(false, code, reason);
    }
  }

  @Override
  public Future<?> start() {
    config = MirtConfig.fromJson(config());
    registry = Metrics.registry(givenRegistry);
    client = new ManyChatClient(vertx, config.manychat(), config.push());
    EventBus bus = vertx.eventBus();
    vertx.setPeriodic(config.push().sweepMs(), id -> sweep());
    return Future.all(List.of(
        bus.<Object>consumer(Addresses.PUSH_REPLY, this::onReady).completion(),
        // Health and outbox describe this instance, so they are answered only for requests from this process...
        bus.<Object>localConsumer(Addresses.PUSH_OUTBOX, this::onOutbox).completion(),
        bus.<Object>localConsumer(Addresses.HEALTH_PUSH, this::onHealth).completion(),
        // ...but a node without push shows the outbox of one that has it.
        bus.<Object>consumer(Addresses.PUSH_OUTBOX_ANY, this::onOutbox).completion(),
        Presence.announce(vertx, "push", owner)))
      .onSuccess(v -> LOG.info("push started: {}", dryRun()
        ? "dry run (no ManyChat API key), replies go to the log and the outbox"
        : "live, ManyChat at " + config.manychat().apiUrl()));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (client != null) {
      client.close();
    }
    return Future.succeededFuture();
  }

  private boolean dryRun() {
    return config.manychat().dryRun();
  }

  private void onReady(Message<Object> msg) {
    ReplyReady ready;
    try {
      if (!(msg.body() instanceof JsonObject json)) {
        throw new IllegalArgumentException("body is not a JSON object");
      }
      ready = ReplyReady.fromJson(json);
    } catch (RuntimeException e) {
      // Only a hint: the sweep finds the stored reply anyway.
      LOG.warn("ignoring malformed {} message: {}", Addresses.PUSH_REPLY, e.getMessage());
      return;
    }
    if (stopping || active.containsKey(ready.subscriberId()) || active.size() >= MAX_ACTIVE) {
      return;
    }
    outbox.claim(ready.subscriberId(), owner)
      .onSuccess(entry -> entry.ifPresent(this::deliver))
      .onFailure(e -> LOG.warn("claiming the reply of subscriber {} turn {} failed, the sweep retries: {}",
        ready.subscriberId(), ready.turnId(), e.getMessage()));
  }

  private void sweep() {
    int room = MAX_ACTIVE - active.size();
    if (sweeping || stopping || room <= 0) {
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
    Reply r = e.reply();
    List<ManyChatCall> calls;
    try {
      calls = builder.build(r, config.manychat().quickReplyFlow());
    } catch (RuntimeException ex) {
      conclude(e, List.of(), Delivery.dead("invalid_reply", "reply cannot be built: " + ex.getMessage()), started);
      return;
    }
    if (e.accepted() > 0 || e.attempts() > 0) {
      LOG.info("resuming reply for subscriber {} turn {} at call {}/{} (attempt {}) [trace {}]", r.subscriberId(),
        r.turnId(), e.accepted() + 1, calls.size(), e.attempts() + 1, r.traceId());
    }
    if (dryRun()) {
      LOG.info("dry run: reply for subscriber {} turn {} ({} calls)", r.subscriberId(), r.turnId(), calls.size());
      if (LOG.isDebugEnabled()) {
        LOG.debug("dry run payload for subscriber {} turn {}: {}", r.subscriberId(), r.turnId(), callsJson(calls).encode());
      }
      conclude(e, calls, Delivery.DELIVERED, started);
      return;
    }
    sendFrom(e, calls, e.accepted(), started);
  }

  /** Sends {@code calls[index..]} in order, recording each accepted call before the next one goes out. */
  private void sendFrom(OutboxEntry e, List<ManyChatCall> calls, int index, long started) {
    Reply r = e.reply();
    if (index >= calls.size()) {
      conclude(e, calls, Delivery.DELIVERED, started);
      return;
    }
    if (stopping) {
      // Give the claim back at once, so another instance (or the next start) resumes without waiting for the lease.
      outbox.retryLater(e, e.attempts(), 0).onComplete(ar -> release(e));
      return;
    }
    ManyChatCall call = calls.get(index);
    client.post(call).onComplete(ar -> {
      ManyChatClient.CallResult res = ar.succeeded() ? ar.result()
        : new ManyChatClient.CallResult(ManyChatClient.Outcome.RETRYABLE, 0, "error", String.valueOf(ar.cause()), false);
      countCall(call, res);
      switch (res.outcome()) {
        case OK -> outbox.accepted(e, index + 1).onComplete(rec -> {
          if (rec.succeeded() && rec.result()) {
            Progress p = active.get(e.subscriberId());
            if (p != null && p.claim.equals(e.claim())) {
              p.accepted = index + 1;
            }
            sendFrom(e, calls, index + 1, started);
          } else {
            LOG.warn("reply for subscriber {} turn {}: call {}/{} was accepted but {}; the reply resumes when its "
                + "lease ends and this call may be sent again", r.subscriberId(), r.turnId(), index + 1, calls.size(),
              rec.failed() ? "recording it failed: " + rec.cause().getMessage() : "the claim was lost");
            release(e);
          }
        });
        case PERMANENT -> conclude(e, calls, failed(calls, index, res.code(), res.reason()), started);
        default -> retry(e, calls, index, res, started);
      }
    });
  }

  private void retry(OutboxEntry e, List<ManyChatCall> calls, int index, ManyChatClient.CallResult res, long started) {
    Reply r = e.reply();
    ManyChatCall call = calls.get(index);
    int attempts = e.attempts() + 1;
    int maxAttempts = config.push().maxAttempts();
    if (res.maybeDelivered()) {
      LOG.warn("ManyChat call {} for subscriber {} turn {} timed out: it may have been delivered", call.path(),
        r.subscriberId(), r.turnId());
    }
    if (attempts >= maxAttempts) {
      conclude(e, calls, failed(calls, index, "retries_exhausted", "retries exhausted: " + call.path() + " failed "
        + attempts + " times, last: " + res.reason()), started);
      return;
    }
    // While the breaker is open a call cannot pass: wait for its trial call rather than retrying at once.
    long delay = Math.max(backoff(attempts), client.msUntilHalfOpen());
    LOG.warn("push failed for subscriber {} turn {}: {} (call {}/{}, attempt {}/{}); retrying in {} ms [trace {}]",
      r.subscriberId(), r.turnId(), res.reason(), index + 1, calls.size(), attempts, maxAttempts, delay, r.traceId());
    outbox.retryLater(e, attempts, delay).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("recording the retry of subscriber {} turn {} failed; it resumes when its lease ends: {}",
          r.subscriberId(), r.turnId(), ar.cause().getMessage());
      }
      release(e);
    });
  }

  /**
   * The outcome when {@code calls[index]} cannot be sent. If a sendContent call before it was accepted the customer
   * has the reply; only what came after (tags, fields, further messages) is missing, which is not a dead letter.
   */
  private static Delivery failed(List<ManyChatCall> calls, int index, String code, String reason) {
    boolean customerHasReply = calls.subList(0, index).stream()
      .anyMatch(c -> c.path().equals(DynamicBlockBuilder.SEND_CONTENT));
    return customerHasReply ? new Delivery(true, code, "partly delivered: " + reason) : Delivery.dead(code, reason);
  }

  private long backoff(int attempt) {
    return config.push().backoffMs() * (1L << Math.min(attempt - 1, 20));
  }

  private void conclude(OutboxEntry e, List<ManyChatCall> calls, Delivery d, long started) {
    Reply r = e.reply();
    String status = d.delivered() ? (dryRun() ? "dry-run" : "delivered") : "dead-lettered";
    JsonObject record = new JsonObject()
      .put("subscriberId", r.subscriberId())
      .put("turnId", r.turnId())
      .put("at", Instant.now().toString())
      .put("status", status);
    if (!d.reason().isEmpty()) {
      record.put("reason", d.reason());
    }
    record.put("calls", callsJson(calls));

    DeadLetter dead = null;
    if (d.delivered()) {
      if (!d.reason().isEmpty()) {
        LOG.warn("reply for subscriber {} turn {} (trace {}) reached the customer, but not all of it: {}",
          r.subscriberId(), r.turnId(), r.traceId(), d.reason());
        Counter.builder("mirt.push.partial").description("replies delivered without some of their later calls")
          .tag("reason", d.code()).register(registry).increment();
      } else if (!dryRun()) {
        LOG.info("reply delivered for subscriber {} turn {} (trace {}): {} calls", r.subscriberId(), r.turnId(),
          r.traceId(), calls.size());
      }
    } else {
      LOG.error("push failed for subscriber {} turn {} (trace {}): dead-lettered: {}", r.subscriberId(), r.turnId(),
        r.traceId(), d.reason());
      Counter.builder("mirt.push.dead.letters").description("replies that could not be delivered")
        .tag("reason", d.code()).register(registry).increment();
      dead = new DeadLetter("push", r.subscriberId(), r.turnId(), d.code(), d.reason(), System.currentTimeMillis(),
        new JsonObject().put("reply", r.toJson()).put("calls", callsJson(calls)));
    }
    outbox.finish(e, dead).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        bounded(recent, record);
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

  private void release(OutboxEntry e) {
    Progress p = active.get(e.subscriberId());
    if (p != null && p.claim.equals(e.claim())) {
      vertx.cancelTimer(p.renewal);
      active.remove(e.subscriberId());
    }
  }

  private void bounded(Deque<JsonObject> ring, JsonObject entry) {
    int size = Math.max(0, config.push().outboxSize());
    ring.addLast(entry);
    while (ring.size() > size) {
      ring.removeFirst();
    }
  }

  private void countCall(ManyChatCall call, ManyChatClient.CallResult res) {
    Counter.builder("mirt.push.calls").description("ManyChat API calls by endpoint and result")
      .tag("endpoint", call.path().substring(call.path().lastIndexOf('/') + 1))
      .tag("result", res.outcome().name().toLowerCase(Locale.ROOT))
      .register(registry).increment();
  }

  private static JsonArray callsJson(List<ManyChatCall> calls) {
    JsonArray out = new JsonArray();
    calls.forEach(c -> out.add(c.toJson()));
    return out;
  }

  private void onOutbox(Message<Object> msg) {
    JsonArray payloads = new JsonArray();
    recent.forEach(payloads::add);
    deadLetters.recent(config.push().outboxSize())
      .onComplete(ar -> {
        JsonObject out = new JsonObject().put("instance", owner).put("dryRun", dryRun()).put("payloads", payloads);
        if (ar.succeeded()) {
          JsonArray dead = new JsonArray();
          ar.result().forEach(d -> dead.add(d.toJson()));
          out.put("deadLetters", dead);
        } else {
          out.put("deadLetters", new JsonArray()).put("error", "storage unavailable: " + ar.cause().getMessage());
        }
        msg.reply(out);
      });
  }

  private void onHealth(Message<Object> msg) {
    outbox.pending().onComplete(ar -> {
      CircuitBreakerState state = client.breakerState();
      JsonObject details = new JsonObject()
        .put("manychat", dryRun() ? "dry-run" : "live")
        .put("breaker", state.name())
        .put("pending", ar.succeeded() ? ar.result() : -1)
        .put("active", active.size());
      if (ar.failed()) {
        details.put("error", "storage unavailable: " + ar.cause().getMessage());
      }
      msg.reply(new ComponentHealth(state != CircuitBreakerState.OPEN, details).toJson());
    });
  }
}
