package ai.mirt.push;

import ai.mirt.common.Addresses;
import ai.mirt.common.MirtConfig;
import ai.mirt.state.DeadLetter;
import ai.mirt.state.DeadLetterStore;
import ai.mirt.state.OrderStore;
import ai.mirt.state.StoredOrder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.RetryPolicy;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Posts the confirmed orders of the {@link OrderStore} to the shop's CRM ({@code orders.webhook-url}): at once when an
 * order is saved ({@link Addresses#ORDERS_NEW}), otherwise by a periodic sweep that also picks up retries and the
 * leases of instances that died. Each version of an order is posted with {@code Idempotency-Key: id:version}, so a
 * post repeated after a lost answer is one the CRM can recognise. A refusal (4xx other than 408 and 429) is final and
 * dead-lettered; anything else is retried with exponential backoff and jitter until the version is a day old.
 */
final class OrderPoster {

  private static final Logger LOG = LoggerFactory.getLogger(OrderPoster.class);
  /** Orders this instance posts at once; further due orders wait in the store. */
  static final int MAX_ACTIVE = 16;
  /** How long a claimed order is this instance's to post: longer than any one post may take. */
  static final long LEASE_MS = 30_000;
  /** A version that has not reached the CRM this long after it was saved is given up on. */
  static final long MAX_AGE_MS = 24 * 3_600_000L;
  /** How much of the CRM's answer is kept with a failure. */
  static final int MAX_BODY_CHARS = 500;
  /** Attempts beyond this do not grow the delay any more (the policy's shift would overflow). */
  private static final int MAX_EXPONENT = 30;

  private final Vertx vertx;
  private final OrderStore orders;
  private final DeadLetterStore deadLetters;
  private final String owner;
  private final String url;
  private final int timeoutMs;
  private final long sweepMs;
  private final RetryPolicy backoff;
  private final MeterRegistry registry;
  private final LongSupplier clock;
  private final WebClient client;
  private final Counter posted;

  /** Orders this instance is posting, by id: a version claimed while an earlier one is on its way waits for it. */
  private final Map<String, Future<Void>> active = new HashMap<>();
  private MessageConsumer<Object> notices;
  private long timer = -1;
  private boolean sweeping;
  /** An order was announced while a sweep ran or no room was left: sweep again as soon as possible. */
  private boolean again;
  private boolean stopped;
  private boolean storeUp = true;

  /** Why a post did not go through, and what to tell people about it. */
  private record Failure(String reason, int status, String text, long retryAfterMs) {
  }

  OrderPoster(Vertx vertx, OrderStore orders, DeadLetterStore deadLetters, String owner, MirtConfig config,
              MeterRegistry registry, LongSupplier clock) {
    this.vertx = vertx;
    this.orders = orders;
    this.deadLetters = deadLetters;
    this.owner = owner;
    this.url = config.orders().webhookUrl().strip();
    this.timeoutMs = config.manychat().timeoutMs();
    this.sweepMs = config.push().sweepMs();
    this.backoff = RetryPolicy.exponentialDelayWithJitter(config.push().backoffMs(), config.push().backoffMaxMs());
    this.registry = registry;
    this.clock = clock;
    this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("mirt").setConnectTimeout(timeoutMs));
    this.posted = Counter.builder("mirt.orders.posted").description("order versions the CRM accepted")
      .register(registry);
  }

  /** Starts sweeping and listening for new orders; completes once the listener is registered. */
  Future<Void> start() {
    timer = vertx.setPeriodic(sweepMs, id -> sweep());
    notices = vertx.eventBus().consumer(Addresses.ORDERS_NEW, msg -> sweep());
    return notices.completion();
  }

  void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (notices != null) {
      notices.unregister();
    }
    client.close();
  }

  /** Where orders go, for the log: scheme, host and port, never a token the URL may carry. */
  String destination() {
    try {
      URI u = new URI(url);
      return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
    } catch (Exception e) {
      return "orders.webhook-url";
    }
  }

  /** Claims the due orders there is room for and posts each. */
  void sweep() {
    if (stopped) {
      return;
    }
    int room = MAX_ACTIVE - active.size();
    if (sweeping || room <= 0) {
      again = true;
      return;
    }
    sweeping = true;
    again = false;
    orders.claimDue(room, owner, LEASE_MS).onComplete(ar -> {
      sweeping = false;
      if (ar.succeeded()) {
        ar.result().forEach(this::postInTurn);
        // A claim that filled every free place may have left due orders behind: the next finished post looks again,
        // rather than leaving them to the periodic sweep.
        if (ar.result().size() >= room) {
          again = true;
        }
      }
      if (ar.failed() && storeUp) {
        LOG.error("order sweep failed, orders wait until the store answers: {}", ar.cause().getMessage());
      } else if (ar.succeeded() && !storeUp) {
        LOG.info("order sweep works again");
      }
      storeUp = ar.succeeded();
      if (again) {
        sweep();
      }
    });
  }

  private void postInTurn(StoredOrder o) {
    Future<Void> before = active.getOrDefault(o.id(), Future.succeededFuture());
    Future<Void> done = before.transform(v -> post(o));
    active.put(o.id(), done);
    done.onComplete(ar -> {
      if (active.get(o.id()) == done) {
        active.remove(o.id());
      }
      if (again) {
        sweep();
      }
    });
  }

  /** Posts one version and records its outcome; never fails. */
  private Future<Void> post(StoredOrder o) {
    return client.postAbs(url)
      .putHeader("Content-Type", "application/json")
      .putHeader("Idempotency-Key", o.idempotencyKey())
      .timeout(timeoutMs)
      .sendBuffer(o.order().toBuffer())
      .transform(ar -> {
        if (stopped && ar.failed()) {
          // Cut off by the shutdown, not by the CRM: the lease ends and the order is posted again.
          LOG.debug("posting order {} stopped with push: {}", o.idempotencyKey(), ar.cause().toString());
          return Future.<Void>succeededFuture();
        }
        Failure f = failure(ar);
        if (f == null) {
          posted.increment();
          return recordPosted(o, ar.result().statusCode());
        }
        failureCounter(f.reason()).increment();
        if (f.status() >= 400 && f.status() < 500 && f.status() != 408 && f.status() != 429) {
          return deadLetter(o, "order_rejected", "the CRM refused order " + o.idempotencyKey() + ": " + f.text(), f);
        }
        return retry(o, f);
      })
      .recover(e -> {
        LOG.error("posting order {} went wrong unexpectedly; it is posted again when its lease ends: {}",
          o.idempotencyKey(), e.toString());
        return Future.succeededFuture();
      });
  }

  /** {@code null} for a 2xx answer. */
  private Failure failure(AsyncResult<HttpResponse<Buffer>> ar) {
    if (ar.failed()) {
      Throwable e = ar.cause();
      if (e instanceof TimeoutException) {
        return new Failure("timeout", 0, "no answer within " + timeoutMs + " ms", -1);
      }
      return new Failure("network", 0, "connection failed: " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage()), -1);
    }
    HttpResponse<Buffer> r = ar.result();
    int status = r.statusCode();
    if (status >= 200 && status < 300) {
      return null;
    }
    String body = r.bodyAsString() == null ? "" : r.bodyAsString().strip();
    if (body.length() > MAX_BODY_CHARS) {
      body = body.substring(0, MAX_BODY_CHARS) + "…";
    }
    long retryAfter = status == 429 ? ManyChatAnswers.retryAfterMs(r.getHeader("Retry-After"), clock.getAsLong()) : -1;
    return new Failure("status", status, "HTTP " + status + (body.isEmpty() ? "" : ": " + body), retryAfter);
  }

  private Future<Void> recordPosted(StoredOrder o, int status) {
    LOG.info("order {} of subscriber {} posted to the CRM (HTTP {}){}", o.idempotencyKey(), o.subscriberId(), status,
      o.attempts() > 0 ? " after " + o.attempts() + " failed attempts" : "");
    return orders.posted(o.id(), o.version()).recover(e -> {
      LOG.warn("recording order {} as posted failed; it is posted again (same Idempotency-Key) when its lease ends: "
        + "{}", o.idempotencyKey(), e.getMessage());
      return Future.succeededFuture();
    });
  }

  private Future<Void> retry(StoredOrder o, Failure f) {
    int attempts = o.attempts() + 1;
    long delay = Math.max(f.retryAfterMs(), backoff.delay(null, Math.min(attempts - 1, MAX_EXPONENT)));
    if (clock.getAsLong() + delay - o.updatedAt() > MAX_AGE_MS) {
      return deadLetter(o, "order_max_age", "order " + o.idempotencyKey() + " did not reach the CRM within "
        + MAX_AGE_MS / 3_600_000 + " h of being saved (" + attempts + " attempts); last: " + f.text(), f);
    }
    LOG.warn("posting order {} of subscriber {} to the CRM failed: {} (attempt {}); retrying in {} ms",
      o.idempotencyKey(), o.subscriberId(), f.text(), attempts, delay);
    return orders.retryLater(o.id(), o.version(), attempts, delay, f.text()).recover(e -> {
      LOG.warn("scheduling the retry of order {} failed; it is posted again when its lease ends: {}",
        o.idempotencyKey(), e.getMessage());
      return Future.succeededFuture();
    });
  }

  /** Records the version as a dead letter, then stops posting it; if the letter cannot be stored, the lease ends. */
  private Future<Void> deadLetter(StoredOrder o, String code, String reason, Failure f) {
    long now = clock.getAsLong();
    JsonObject payload = new JsonObject().put("order", o.toJson()).put("httpStatus", f.status())
      .put("error", f.text());
    return deadLetters.add(new DeadLetter("orders", o.subscriberId(), null, code, reason, now, payload))
      .onSuccess(v -> {
        // Counted once the letter is stored, before the order stops being due: whoever sees it given up sees it
        // counted.
        Counter.builder("mirt.orders.dead.letters").description("order versions given up on, by reason")
          .tag("reason", code).register(registry).increment();
        LOG.error("order {} of subscriber {} dead-lettered ({}): {}", o.idempotencyKey(), o.subscriberId(), code,
          reason);
      })
      .compose(v -> orders.abandon(o.id(), o.version(), reason))
      .recover(e -> {
        LOG.warn("dead-lettering order {} failed; it is posted again when its lease ends: {}", o.idempotencyKey(),
          e.getMessage());
        return Future.succeededFuture();
      });
  }

  private Counter failureCounter(String reason) {
    return Counter.builder("mirt.orders.post.failures").description("posts of orders to the CRM that failed, by reason")
      .tag("reason", reason).register(registry);
  }
}
