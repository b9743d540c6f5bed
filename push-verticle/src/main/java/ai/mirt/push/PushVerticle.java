package ai.mirt.push;

import ai.mirt.common.Addresses;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Reply;
import ai.mirt.common.TurnCompleted;
import ai.mirt.common.TurnCompleted.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
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
import java.util.concurrent.CancellationException;

/**
 * Delivers each {@link Reply} on {@link Addresses#PUSH_REPLY} to ManyChat and reports the outcome on
 * {@link Addresses#TURN_COMPLETED}. Calls of a reply go out in order; a failed call is retried with a doubling
 * backoff and the reply resumes from it, so a call ManyChat accepted is never sent twice. Replies of one subscriber
 * are delivered one after the other, in arrival order. Without an API key nothing leaves the process (dry run).
 */
public class PushVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PushVerticle.class);

  private final OutboxStore store;
  private final MeterRegistry givenRegistry;
  private final DynamicBlockBuilder builder = new DynamicBlockBuilder();

  /** Replies per subscriber: the head is being delivered, the rest wait for it. */
  private final Map<String, Deque<Pending>> queues = new HashMap<>();
  private final Deque<JsonObject> outbox = new ArrayDeque<>();
  private final Deque<JsonObject> deadLetters = new ArrayDeque<>();
  private long deadLetterCount;
  private boolean stopping;

  private MirtConfig config;
  private ManyChatClient client;
  private MeterRegistry registry;

  public PushVerticle() {
    this(new MemoryOutboxStore(), null);
  }

  public PushVerticle(OutboxStore store) {
    this(store, null);
  }

  /** @param registry where metrics go; {@code null}: the Vert.x Micrometer registry, or a private one without it */
  public PushVerticle(OutboxStore store, MeterRegistry registry) {
    this.store = store;
    this.givenRegistry = registry;
  }

  private record Pending(Reply reply, Future<Void> stored, long arrivedNanos) {
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
    registry = givenRegistry != null ? givenRegistry : defaultRegistry();
    client = new ManyChatClient(vertx, config.manychat(), config.push());
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.<Object>consumer(Addresses.PUSH_REPLY, this::onReply).completion(),
        // Health and outbox describe this instance, so they are answered only for requests from this process.
        bus.<Object>localConsumer(Addresses.PUSH_OUTBOX, this::onOutbox).completion(),
        bus.<Object>localConsumer(Addresses.HEALTH_PUSH, this::onHealth).completion())
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

  private static MeterRegistry defaultRegistry() {
    MeterRegistry r = BackendRegistries.getDefaultNow();
    return r != null ? r : new SimpleMeterRegistry();
  }

  private boolean dryRun() {
    return config.manychat().dryRun();
  }

  private void onReply(Message<Object> msg) {
    Reply reply;
    try {
      if (!(msg.body() instanceof JsonObject json)) {
        throw new IllegalArgumentException("body is not a JSON object");
      }
      reply = Reply.fromJson(json);
    } catch (RuntimeException e) {
      LOG.warn("rejected malformed {} message: {}", Addresses.PUSH_REPLY, e.getMessage());
      if (msg.body() instanceof JsonObject json && json.getValue("subscriberId") != null && json.getValue("turnId") != null) {
        // Release the subscriber at once rather than when its lease runs out; the reason is logged by debounce too.
        vertx.eventBus().send(Addresses.TURN_COMPLETED, new TurnCompleted(String.valueOf(json.getValue("subscriberId")),
          String.valueOf(json.getValue("turnId")), Outcome.DEAD_LETTERED, "malformed reply: " + e.getMessage()).toJson());
      }
      return;
    }
    accept(reply);
  }

  private void accept(Reply reply) {
    String sub = reply.subscriberId();
    Deque<Pending> queue = queues.get(sub);
    if (queue != null && queue.stream().anyMatch(p -> p.reply().turnId().equals(reply.turnId()))) {
      LOG.warn("ignored duplicate reply for subscriber {} turn {}: it is already queued", sub, reply.turnId());
      return;
    }
    Pending pending = new Pending(reply, store.put(reply), System.nanoTime());
    if (queue != null) {
      queue.add(pending);
      LOG.debug("reply for subscriber {} turn {} waits behind {} earlier", sub, reply.turnId(), queue.size() - 1);
      return;
    }
    queue = new ArrayDeque<>();
    queue.add(pending);
    queues.put(sub, queue);
    deliverHead(sub);
  }

  private void deliverHead(String sub) {
    Deque<Pending> queue = queues.get(sub);
    Reply head = queue.peek().reply();
    Future<Void> done;
    try {
      done = deliver(queue.peek());
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.onComplete(ar -> {
      if (ar.failed() && (stopping || ar.cause() instanceof CancellationException)) {
        // Not an outcome: the reply stays in the outbox store for whoever resumes it.
        LOG.info("delivery for subscriber {} turn {} interrupted by shutdown", sub, head.turnId());
        return;
      }
      if (ar.failed()) {
        // A bug, not a ManyChat answer: still release the subscriber, or its next turns would wait for the lease.
        LOG.error("push failed for subscriber {} turn {}: {}", sub, head.turnId(), ar.cause().toString());
        vertx.eventBus().send(Addresses.TURN_COMPLETED, new TurnCompleted(sub, head.turnId(), Outcome.DEAD_LETTERED,
          "internal error: " + ar.cause()).toJson());
      }
      queue.poll();
      if (queue.isEmpty()) {
        queues.remove(sub);
      } else if (!stopping) {
        deliverHead(sub);
      }
    });
  }

  private Future<Void> deliver(Pending p) {
    Reply r = p.reply();
    List<ManyChatCall> calls;
    try {
      calls = builder.build(r, config.manychat().quickReplyFlow());
    } catch (RuntimeException e) {
      return finish(p, List.of(), Delivery.dead("invalid_reply", "reply cannot be built: " + e.getMessage()));
    }
    Future<Void> stored = p.stored().recover(err -> {
      LOG.warn("outbox store failed for subscriber {} turn {}: {}; delivering anyway", r.subscriberId(), r.turnId(),
        err.toString());
      return Future.succeededFuture();
    });
    if (dryRun()) {
      return stored.compose(v -> {
        LOG.info("dry run: reply for subscriber {} turn {} ({} calls)", r.subscriberId(), r.turnId(), calls.size());
        if (LOG.isDebugEnabled()) {
          LOG.debug("dry run payload for subscriber {} turn {}: {}", r.subscriberId(), r.turnId(), callsJson(calls).encode());
        }
        return finish(p, calls, Delivery.DELIVERED);
      });
    }
    return stored.compose(v -> sendFrom(r, calls, 0, 1)).compose(d -> finish(p, calls, d));
  }

  /** Sends {@code calls[index..]} in order, retrying the call at {@code index}; never resends an accepted call. */
  private Future<Delivery> sendFrom(Reply r, List<ManyChatCall> calls, int index, int attempt) {
    if (index == calls.size()) {
      return Future.succeededFuture(Delivery.DELIVERED);
    }
    if (stopping) {
      return Future.failedFuture(new CancellationException("push is stopping"));
    }
    ManyChatCall call = calls.get(index);
    return client.post(call).compose(res -> {
      countCall(call, res);
      switch (res.outcome()) {
        case OK -> {
          return sendFrom(r, calls, index + 1, 1);
        }
        case PERMANENT -> {
          return Future.succeededFuture(failed(calls, index, res.code(), res.reason()));
        }
        default -> {
          int maxAttempts = config.push().maxAttempts();
          if (res.maybeDelivered()) {
            LOG.warn("ManyChat call {} for subscriber {} turn {} timed out: it may have been delivered",
              call.path(), r.subscriberId(), r.turnId());
          }
          if (attempt >= maxAttempts) {
            return Future.succeededFuture(failed(calls, index, "retries_exhausted", "retries exhausted: "
              + call.path() + " failed " + attempt + " times, last: " + res.reason()));
          }
          // While the breaker is open a call cannot pass: wait for its trial call rather than failing at once. The
          // attempt still counts, so a long outage ends in a dead letter instead of holding the subscriber forever.
          long delay = Math.max(backoff(attempt), client.msUntilHalfOpen());
          LOG.warn("push failed for subscriber {} turn {}: {} (call {}/{}, attempt {}/{}); retrying in {} ms",
            r.subscriberId(), r.turnId(), res.reason(), index + 1, calls.size(), attempt, maxAttempts, delay);
          return vertx.timer(delay).compose(v -> sendFrom(r, calls, index, attempt + 1));
        }
      }
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

  private Future<Void> finish(Pending p, List<ManyChatCall> calls, Delivery d) {
    Reply r = p.reply();
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
    bounded(outbox, record);

    TurnCompleted completed;
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
      completed = new TurnCompleted(r.subscriberId(), r.turnId(), Outcome.DELIVERED, d.reason());
    } else {
      LOG.error("push failed for subscriber {} turn {} (trace {}): dead-lettered: {}", r.subscriberId(), r.turnId(),
        r.traceId(), d.reason());
      deadLetterCount++;
      bounded(deadLetters, record);
      Counter.builder("mirt.push.dead.letters").description("replies that could not be delivered")
        .tag("reason", d.code()).register(registry).increment();
      completed = new TurnCompleted(r.subscriberId(), r.turnId(), Outcome.DEAD_LETTERED, d.reason());
    }
    Timer.builder("mirt.push.delivery").description("time from accepting a reply to its outcome")
      .tag("outcome", status.replace('-', '_')).register(registry)
      .record(Duration.ofNanos(System.nanoTime() - p.arrivedNanos()));

    return store.remove(r.subscriberId(), r.turnId())
      .recover(err -> {
        LOG.warn("outbox store could not drop the reply of subscriber {} turn {}: {}", r.subscriberId(), r.turnId(),
          err.toString());
        return Future.succeededFuture();
      })
      .onComplete(v -> vertx.eventBus().send(Addresses.TURN_COMPLETED, completed.toJson()));
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
    outbox.forEach(payloads::add);
    JsonArray dead = new JsonArray();
    deadLetters.forEach(dead::add);
    msg.reply(new JsonObject().put("dryRun", dryRun()).put("payloads", payloads).put("deadLetters", dead));
  }

  private void onHealth(Message<Object> msg) {
    int local = queues.values().stream().mapToInt(Deque::size).sum();
    store.pending().map(List::size).otherwise(local).onComplete(ar -> {
      CircuitBreakerState state = client.breakerState();
      JsonObject details = new JsonObject()
        .put("manychat", dryRun() ? "dry-run" : "live")
        .put("breaker", state.name())
        .put("pending", ar.result())
        .put("deadLetters", deadLetterCount);
      msg.reply(new ComponentHealth(state != CircuitBreakerState.OPEN, details).toJson());
    });
  }
}
