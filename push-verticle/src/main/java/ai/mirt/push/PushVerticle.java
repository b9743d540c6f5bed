package ai.mirt.push;

import ai.mirt.common.Addresses;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.Metrics;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Presence;
import ai.mirt.common.Reply;
import ai.mirt.common.ReplyReady;
import ai.mirt.state.DeadLetterStore;
import ai.mirt.state.OrderStore;
import ai.mirt.state.OutboxStore;
import ai.mirt.state.RateLimiter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers the replies stored in the {@link OutboxStore} to ManyChat, and answers for the dead letters. The work is
 * split: {@link OutboxWorker} claims replies and writes their outcome back, {@link Sender} sends one reply's calls
 * within the rate limit ({@link Throttle}) and decides retries ({@link RetryRule}), {@link ManyChatClient} makes the
 * calls behind the circuit breaker and {@link ManyChatAnswers} reads ManyChat's answers; in response mode
 * {@link ResponseRoute} hands a reply to the webhook request held for it first. {@link DeadLetterDesk} serves
 * the dead-letter API. Orders: {@link OrderDesk} lists them, and {@link OrderPoster} posts them to the shop's CRM when
 * {@code orders.webhook-url} is set. This class wires them to the event bus, health and metrics.
 */
public class PushVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PushVerticle.class);
  /** How often the outbox's depth and oldest age are read for the metrics. */
  static final long BACKLOG_PERIOD_MS = 5_000;

  private final OutboxStore outbox;
  private final DeadLetterStore deadLetters;
  private final RateLimiter rates;
  private final OrderStore orders;
  private final String owner;
  private final MeterRegistry givenRegistry;
  private final AtomicLong depth = new AtomicLong();
  private final AtomicLong oldestAgeMs = new AtomicLong();

  private MirtConfig config;
  private ManyChatClient client;
  private OutboxWorker worker;
  private DeadLetterDesk desk;
  private OrderPoster poster;

  /**
   * @param outbox      where stored replies are claimed and finished
   * @param deadLetters what the dead-letter API and the outbox view show
   * @param rates       the rate-limit buckets, shared with every instance using the same store
   * @param orders      the confirmed orders: listed always, posted to the CRM when a URL is set
   * @param instance    this instance's name, the owner of its claims
   * @param registry    where metrics go; {@code null}: the Vert.x Micrometer registry, or a private one without it
   */
  public PushVerticle(OutboxStore outbox, DeadLetterStore deadLetters, RateLimiter rates, OrderStore orders,
                      String instance, MeterRegistry registry) {
    this.outbox = outbox;
    this.deadLetters = deadLetters;
    this.rates = rates;
    this.orders = orders;
    this.owner = instance;
    this.givenRegistry = registry;
  }

  @Override
  public Future<?> start() {
    config = MirtConfig.fromJson(config());
    MeterRegistry registry = Metrics.registry(givenRegistry);
    client = new ManyChatClient(vertx, config.manychat(), config.push());
    Throttle throttle = new Throttle(vertx, rates, config.manychat(), config.push(), registry);
    Sender sender = new Sender(client, throttle, new RetryRule(config.push()), outbox, deadLetters, registry,
      () -> worker.stopping(), System::currentTimeMillis);
    worker = new OutboxWorker(vertx, outbox, owner, config, sender, client::breakerState, registry);
    desk = new DeadLetterDesk(vertx, deadLetters, sender, config.manychat()::dryRun);
    OrderDesk orderDesk = new OrderDesk(orders);
    if (config.orders().post()) {
      poster = new OrderPoster(vertx, orders, deadLetters, owner, config, registry, System::currentTimeMillis);
    }
    gauges(registry, throttle);
    vertx.setPeriodic(config.push().sweepMs(), id -> worker.sweep());
    vertx.setPeriodic(BACKLOG_PERIOD_MS, id -> readBacklog());
    EventBus bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<Object>consumer(Addresses.PUSH_REPLY, this::onReady).completion(),
        bus.<Object>consumer(Addresses.PUSH_DEAD_LETTERS, desk::handle).completion(),
        bus.<Object>consumer(Addresses.ORDERS_LIST, orderDesk::handle).completion(),
        bus.<Object>consumer(Addresses.PUSH_INTERIM, this::onInterim).completion(),
        poster == null ? Future.succeededFuture() : poster.start(),
        // Health and outbox describe this instance, so they are answered only for requests from this process...
        bus.<Object>localConsumer(Addresses.PUSH_OUTBOX, this::onOutbox).completion(),
        bus.<Object>localConsumer(Addresses.HEALTH_PUSH, this::onHealth).completion(),
        // ...but a node without push shows the outbox of one that has it.
        bus.<Object>consumer(Addresses.PUSH_OUTBOX_ANY, this::onOutbox).completion(),
        Presence.announce(vertx, "push", owner)))
      .onSuccess(v -> LOG.info("push started: {}; {}", config.manychat().dryRun()
          ? "dry run (no ManyChat API key), replies go to the log and the outbox"
          : "live, ManyChat at " + config.manychat().apiUrl() + ", at most " + config.push().rateSendContent()
            + " sendContent and " + config.push().rateSubscriber() + " field/tag calls a second",
        poster == null ? "orders are stored and listed, not posted (no ORDER_WEBHOOK_URL)"
          : "orders are posted to " + poster.destination()));
  }

  @Override
  public Future<?> stop() {
    if (worker != null) {
      worker.stop();
    }
    if (poster != null) {
      poster.stop();
    }
    if (client != null) {
      client.close();
    }
    return Future.succeededFuture();
  }

  private void gauges(MeterRegistry registry, Throttle throttle) {
    Gauge.builder("mirt.push.breaker.state", client, c -> switch (c.breakerState()) {
        case CLOSED -> 0;
        case HALF_OPEN -> 1;
        case OPEN -> 2;
      }).description("ManyChat circuit breaker: 0 closed, 1 half-open, 2 open").register(registry);
    Gauge.builder("mirt.push.outbox.depth", depth, AtomicLong::get)
      .description("replies stored and not yet delivered or dead-lettered (all instances)").register(registry);
    Gauge.builder("mirt.push.outbox.oldest.age.seconds", oldestAgeMs, a -> a.get() / 1000.0)
      .description("age of the oldest reply waiting in the outbox").register(registry);
    Gauge.builder("mirt.push.rate.waiting", throttle, Throttle::waiting)
      .description("ManyChat calls of this instance waiting for their rate limit").register(registry);
    readBacklog();
  }

  private void readBacklog() {
    outbox.backlog().onSuccess(b -> {
      depth.set(b.replies());
      oldestAgeMs.set(b.oldestStoredAt() == 0 ? 0 : Math.max(0, System.currentTimeMillis() - b.oldestStoredAt()));
    });
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
    worker.ready(ready.subscriberId(), ready.turnId());
  }

  /** An interim message of a slow turn: sent at once, never stored; the sender learns whether it went out. */
  private void onInterim(Message<Object> message) {
    Reply reply;
    try {
      reply = Reply.fromJson((JsonObject) message.body());
    } catch (RuntimeException e) {
      message.fail(400, "bad interim message: " + e.getMessage());
      return;
    }
    worker.interim(reply).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(new JsonObject().put("status", ar.result()));
      } else {
        LOG.info("interim message for subscriber {} not sent: {} [trace {}]", reply.subscriberId(),
          ar.cause().getMessage(), reply.traceId());
        message.fail(503, ar.cause().getMessage());
      }
    });
  }

  private void onOutbox(Message<Object> msg) {
    JsonArray payloads = worker.recent();
    long now = System.currentTimeMillis();
    deadLetters.recent(config.push().outboxSize())
      .onComplete(ar -> {
        JsonObject out = new JsonObject().put("instance", owner).put("dryRun", config.manychat().dryRun())
          .put("payloads", payloads);
        if (ar.succeeded()) {
          JsonArray dead = new JsonArray();
          ar.result().forEach(d -> dead.add(DeadLetterDesk.view(d, now)));
          out.put("deadLetters", dead);
        } else {
          out.put("deadLetters", new JsonArray()).put("error", "storage unavailable: " + ar.cause().getMessage());
        }
        msg.reply(out);
      });
  }

  private void onHealth(Message<Object> msg) {
    outbox.backlog().onComplete(ar -> {
      CircuitBreakerState state = client.breakerState();
      JsonObject details = new JsonObject()
        .put("manychat", config.manychat().dryRun() ? "dry-run" : "live")
        .put("breaker", state.name())
        .put("pending", ar.succeeded() ? ar.result().replies() : -1)
        .put("active", worker.active());
      if (ar.succeeded()) {
        long oldest = ar.result().oldestStoredAt();
        details.put("oldestSeconds", oldest == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000));
      } else {
        details.put("error", "storage unavailable: " + ar.cause().getMessage());
      }
      msg.reply(new ComponentHealth(state != CircuitBreakerState.OPEN, details).toJson());
    });
  }
}
