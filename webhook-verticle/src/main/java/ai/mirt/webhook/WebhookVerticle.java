package ai.mirt.webhook;

import ai.mirt.common.Addresses;
import ai.mirt.common.Metrics;
import ai.mirt.common.Presence;
import ai.mirt.common.InboundAck;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.LocalCodec;
import ai.mirt.common.MirtConfig;
import ai.mirt.state.TurnStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP face of Mirt: ManyChat's webhook, health, metrics and the admin API. In push mode it answers at once; the
 * work happens behind the event bus. In response mode ({@code manychat.push-mode=false}) a stored message's request
 * is held until its reply comes back over the event bus, see {@link HeldRequests}; bad requests are still answered at
 * once.
 */
public class WebhookVerticle extends VerticleBase {

  public static final String WEBHOOK_PATH = "/webhooks/manychat";
  public static final int MAX_BODY_BYTES = 64 * 1024;
  /** Most dead letters, or orders, one listing returns. */
  static final int MAX_LIST = 1_000;
  /** What a listing returns when it does not say. */
  static final int DEFAULT_LIST = 100;
  /** A retry sends the letter's calls within ManyChat's rate limit, each with its own timeout. */
  static final long DEAD_LETTER_TIMEOUT_MS = 30_000;
  /** A listing of orders is one read of the store. */
  static final long ORDERS_TIMEOUT_MS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(WebhookVerticle.class);
  private static final String JSON = NodeStatus.JSON;
  /** The status counted for a request whose connection closed before it was answered. */
  private static final int CLOSED = 0;
  private MirtConfig cfg;
  private NodeStatus status;
  private HttpServer server;
  private MeterRegistry registry;
  private Timer ackTimer;
  // Looked up once per status rather than on every request; confined to this verticle's event loop.
  private final Map<Integer, Counter> requestsByStatus = new java.util.HashMap<>();
  /** Response mode only; {@code null} in push mode. */
  private HeldRequests held;
  /** Where this node's debounce keeps its buffers; {@code null} on a node without debounce. */
  private final TurnStore store;

  /** A webhook that hands each message to a debounce over the event bus: its own node's first, else any node's. */
  public WebhookVerticle() {
    this(null);
  }

  /**
   * A webhook on a node that runs debounce: it appends each message to the debounce's store itself, on its own event
   * loop, and answers once the store has it. No event-bus round trip and no thread hop per message; the debounce finds
   * the buffer in the store like any other.
   *
   * @param store the turn store of this node's debounce, or {@code null} to go through the event bus
   */
  public WebhookVerticle(TurnStore store) {
    this.store = store;
  }

  @Override
  public Future<?> start() {
    cfg = MirtConfig.fromJson(config());
    if (cfg.manychat().verifyToken().isBlank() || cfg.admin().token().isBlank()) {
      return Future.failedFuture("the webhook needs manychat.verify-token and admin.token to be set");
    }
    registry = Metrics.registry(null);
    ackTimer = Timer.builder("mirt.webhook.ack")
      .description("time from receiving a webhook to answering it")
      .publishPercentileHistogram()
      .minimumExpectedValue(Duration.ofMillis(1))
      .maximumExpectedValue(Duration.ofSeconds(10))
      .register(registry);

    status = new NodeStatus(vertx, cfg, registry);
    Router router = Router.router(vertx);
    router.post(WEBHOOK_PATH)
      // Measured, authenticated and type-checked from the headers alone, before any body is read.
      .handler((PlatformHandler) this::measure)
      .handler((PlatformHandler) this::authenticateWebhook)
      .handler((PlatformHandler) this::requireJson)
      .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
      .handler(this::accept);
    router.get("/admin/outbox").handler(this::authenticateAdmin).handler(this::outbox);
    router.get("/admin/dead-letters").handler(this::authenticateAdmin).handler(this::listDeadLetters);
    router.post("/admin/dead-letters/:id/retry").handler(this::authenticateAdmin)
      .handler(ctx -> deadLetter(ctx, "retry"));
    router.delete("/admin/dead-letters/:id").handler(this::authenticateAdmin)
      .handler(ctx -> deadLetter(ctx, "delete"));
    router.get("/admin/orders").handler(this::authenticateAdmin).handler(this::listOrders);
    // Checked from the headers alone, so that they may come before the body is read.
    SubscriberRoutes.mount(vertx, router, (PlatformHandler) this::authenticateWebhook,
      (PlatformHandler) this::authenticateAdmin, (PlatformHandler) this::requireJson);
    router.route().failureHandler(this::failure);
    status.mount(router);

    LocalCodec.register(vertx.eventBus(), InboundMessage.class);
    LocalCodec.register(vertx.eventBus(), InboundAck.class);
    server = vertx.createHttpServer().requestHandler(router);
    Future<Void> responses = Future.succeededFuture();
    if (!cfg.manychat().pushMode()) {
      String instance = cfg.state().instanceId().isBlank() ? "webhook" : cfg.state().instanceId();
      // Unique per verticle, also across restarts of one instance: a reply meant for a request of an earlier run
      // must find nobody rather than a newer request of the same subscriber.
      held = new HeldRequests(vertx, instance + "." + UUID.randomUUID().toString().substring(0, 8),
        cfg.responseMode(), registry);
      responses = held.start();
    }
    return responses.compose(v -> Presence.announce(vertx, "webhook", cfg.state().instanceId()))
      .compose(v -> server.listen(cfg.http().port(), cfg.http().host()))
      .onSuccess(s -> LOG.info("webhook listening on {}:{}", cfg.http().host(), s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    if (held != null) {
      held.stop();
    }
    return Future.succeededFuture();
  }

  /** The port actually bound (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void measure(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ar -> {
      // A connection closed before the answer was written has no status: count it apart, not as the default 200.
      int status = ar.succeeded() ? ctx.response().getStatusCode() : CLOSED;
      ackTimer.record(Duration.ofNanos(System.nanoTime() - start));
      requestsByStatus.computeIfAbsent(status, st -> Counter.builder("mirt.webhook.requests")
        .description("webhook requests by HTTP status").tag("status", st == CLOSED ? "closed" : String.valueOf(st))
        .register(registry))
        .increment();
    });
    ctx.next();
  }

  private void authenticateWebhook(RoutingContext ctx) {
    if (Tokens.matches(Tokens.presented(ctx.request(), true), cfg.manychat().verifyToken())) {
      ctx.next();
    } else {
      error(ctx, 401, "invalid token");
    }
  }

  private void authenticateAdmin(RoutingContext ctx) {
    if (Tokens.matches(Tokens.presented(ctx.request(), false), cfg.admin().token())) {
      ctx.next();
    } else {
      error(ctx, 401, "invalid admin token");
    }
  }

  private void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String mime = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    if (mime.equals(JSON) || (mime.startsWith("application/") && mime.endsWith("+json"))) {
      ctx.next();
    } else {
      error(ctx, 415, "content type must be application/json" + (type == null ? "" : ", got " + type));
    }
  }

  private void accept(RoutingContext ctx) {
    long arrived = System.nanoTime();
    String traceId = UUID.randomUUID().toString().substring(0, 8);
    ctx.response().putHeader("X-Trace-Id", traceId);
    JsonObject body = NodeStatus.jsonBody(ctx);
    if (body == null) {
      return;
    }
    InboundMessage parsed;
    try {
      parsed = PayloadParser.parse(body, System.currentTimeMillis(), traceId);
    } catch (BadRequestException e) {
      LOG.info("webhook refused [trace {}]: {}", traceId, e.getMessage());
      error(ctx, e.status(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      // Whatever a body can do to the parser is the body's fault: a 400, never a 500.
      LOG.info("webhook refused a payload it could not read [trace {}]: {}", traceId, e.toString());
      error(ctx, 400, "malformed payload");
      return;
    }
    InboundMessage message = held == null ? parsed : new InboundMessage(parsed.subscriberId(), parsed.channel(),
      parsed.text(), parsed.images(), parsed.messageId(), parsed.contact(), parsed.receivedAt(), parsed.traceId(),
      held.address());
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(cfg.http().storeTimeoutMs());
    store(message, opts)
      .onSuccess(duplicate -> {
        LOG.debug("accepted message for subscriber {}{} [trace {}]", message.subscriberId(),
          duplicate ? " (duplicate)" : "", traceId);
        if (held != null) {
          if (duplicate) {
            held.duplicate(ctx, message, arrived);
          } else {
            held.hold(ctx, message, arrived);
          }
          return;
        }
        JsonObject out = new JsonObject().put("status", "accepted");
        if (duplicate) {
          out.put("duplicate", true);
        }
        send(ctx, 202, out);
      })
      .onFailure(e -> {
        int code = e instanceof ReplyException re && re.failureCode() == 400 ? 400 : 503;
        boolean noDebounce = e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
        LOG.error("storing message for subscriber {} failed [trace {}]: {}", message.subscriberId(), traceId,
          noDebounce ? "no node of the cluster runs debounce" : e.getMessage());
        // Nothing was stored: a 503 lets ManyChat's flow take its failure branch.
        error(ctx, code, code == 400 ? e.getMessage()
          : noDebounce ? "storage unavailable: no node runs debounce" : "storage unavailable");
      });
  }

  /**
   * Stores the message and tells whether it was a duplicate: in this node's store when it runs debounce; else this
   * node's debounce takes the message as it is over the event bus, and a webhook-only node sends it as JSON to a
   * debounce elsewhere in the cluster.
   */
  private Future<Boolean> store(InboundMessage message, DeliveryOptions opts) {
    if (store != null) {
      return store.append(message).timeout(opts.getSendTimeout(), TimeUnit.MILLISECONDS)
        .map(r -> r == TurnStore.AppendResult.DUPLICATE);
    }
    return this.<Object>localFirst(Addresses.INBOUND_MESSAGE_LOCAL, message, Addresses.INBOUND_MESSAGE,
        message::toJson, opts)
      .map(reply -> (reply.body() instanceof InboundAck ack ? ack
        : InboundAck.fromJson((JsonObject) reply.body())).duplicate());
  }

  /**
   * Asks this node's own consumer when it has one, and any node's otherwise: a node that runs debounce stores its
   * webhooks itself, a webhook-only node hands them to a debounce elsewhere in the cluster.
   */
  private <T> Future<Message<T>> localFirst(String local, Object localBody, String any,
                                            java.util.function.Supplier<Object> anyBody, DeliveryOptions opts) {
    return vertx.eventBus().<T>request(local, localBody, opts).recover(e -> {
      if (e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
        return vertx.eventBus().request(any, anyBody.get(), opts);
      }
      return Future.failedFuture(e);
    });
  }

  private void outbox(RoutingContext ctx) {
    this.<JsonObject>localFirst(Addresses.PUSH_OUTBOX, new JsonObject(), Addresses.PUSH_OUTBOX_ANY, JsonObject::new,
        new DeliveryOptions().setSendTimeout(2_000))
      .onSuccess(r -> send(ctx, 200, r.body()))
      .onFailure(e -> error(ctx, 503, "outbox unavailable: " + e.getMessage()));
  }

  private void listDeadLetters(RoutingContext ctx) {
    Integer limit = limit(ctx);
    if (limit != null) {
      askDeadLetters(ctx, new JsonObject().put("action", "list").put("limit", limit));
    }
  }

  private void deadLetter(RoutingContext ctx, String action) {
    askDeadLetters(ctx, new JsonObject().put("action", action).put("id", ctx.pathParam("id")));
  }

  private void askDeadLetters(RoutingContext ctx, JsonObject request) {
    askPush(ctx, Addresses.PUSH_DEAD_LETTERS, request, DEAD_LETTER_TIMEOUT_MS, "dead letters");
  }

  /** The stored orders, newest first, as any node's push lists them (whether or not it posts them to a CRM). */
  private void listOrders(RoutingContext ctx) {
    Integer limit = limit(ctx);
    if (limit != null) {
      askPush(ctx, Addresses.ORDERS_LIST, new JsonObject().put("limit", limit), ORDERS_TIMEOUT_MS, "orders");
    }
  }

  /** The {@code limit} of a listing; {@code null} once a bad one was answered with 400. */
  private static Integer limit(RoutingContext ctx) {
    String given = ctx.request().getParam("limit");
    int limit;
    try {
      limit = given == null ? DEFAULT_LIST : Integer.parseInt(given);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIST) {
      error(ctx, 400, "limit must be a whole number from 1 to " + MAX_LIST);
      return null;
    }
    return limit;
  }

  /** Any node's push answers; its refusals carry the HTTP status to answer. */
  private void askPush(RoutingContext ctx, String address, JsonObject request, long timeoutMs, String what) {
    NodeStatus.relay(ctx, vertx.eventBus().request(address, request,
      new DeliveryOptions().setSendTimeout(timeoutMs)), what, "push");
  }

  private void failure(RoutingContext ctx) {
    if (ctx.response().closed()) {
      // The client went away before its request was read whole: nothing to answer, nothing went wrong here.
      LOG.debug("{} {}: the client closed the connection", ctx.request().method(), ctx.request().path());
      return;
    }
    int status = ctx.statusCode();
    if (status == 413) {
      error(ctx, 413, "body is larger than " + MAX_BODY_BYTES + " bytes");
    } else if (status >= 400 && status < 500) {
      error(ctx, status, "bad request");
    } else {
      LOG.error("unexpected error on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
      error(ctx, 500, "internal error");
    }
  }

  private static void error(RoutingContext ctx, int status, String message) {
    NodeStatus.error(ctx, status, message);
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    NodeStatus.send(ctx, status, body);
  }
}
