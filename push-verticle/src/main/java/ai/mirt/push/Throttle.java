package ai.mirt.push;

import ai.mirt.common.MirtConfig;
import ai.mirt.push.ManyChatCall.Group;
import ai.mirt.state.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Keeps ManyChat calls within ManyChat's rate limits, per limit group and API key, across every instance that shares
 * the {@link RateLimiter}. Each group's bucket hands out one token every {@code 1.1 s / limit}: the limit's calls
 * then span 1.1 s, so no 1-second window, wherever it starts and with a little network jitter on top, ever holds more
 * than the limit. Waiting calls queue here in the order they asked, one token request to the store at a time.
 * Under a high limit (100 a second and more) one request takes a batch of up to one hundredth of the limit for as
 * many intervals, so that a limit above a thousand a second is not capped by the store's millisecond clock; a
 * second still never holds more than the limit (at most {@code limit / 1.1 + limit / 100} calls).
 * Must be used from one event loop (the push verticle's).
 */
final class Throttle {

  private static final Logger LOG = LoggerFactory.getLogger(Throttle.class);

  /** The window a limit is spread over: one second and a margin for jitter between Mirt and ManyChat. */
  static final long SPREAD_MS = 1_100;
  /** How soon to ask again when the store did not answer. */
  private static final long STORE_RETRY_MS = 1_000;

  /** One group's queue of waiting calls. */
  private final class Lane {
    final Group group;
    final String bucket;
    final int perSecond;
    final Timer waited;
    final Deque<Waiter> waiting = new ArrayDeque<>();
    boolean asking;

    Lane(Group group, String bucket, int perSecond) {
      this.group = group;
      this.bucket = bucket;
      this.perSecond = perSecond;
      this.waited = Timer.builder("mirt.push.rate.wait").description("time a ManyChat call waited for its rate limit")
        .tag("group", group.wire()).register(registry);
    }
  }

  private record Waiter(Promise<Void> promise, long since) {
  }

  private final Vertx vertx;
  private final RateLimiter limiter;
  private final MeterRegistry registry;
  private final Map<Group, Lane> lanes = new EnumMap<>(Group.class);
  private boolean storeUp = true;

  Throttle(Vertx vertx, RateLimiter limiter, MirtConfig.ManyChat manychat, MirtConfig.Push push,
           MeterRegistry registry) {
    this.vertx = vertx;
    this.limiter = limiter;
    this.registry = registry;
    String account = account(manychat.apiKey());
    lanes.put(Group.SEND_CONTENT, new Lane(Group.SEND_CONTENT, bucket(account, Group.SEND_CONTENT),
      push.rateSendContent()));
    lanes.put(Group.SUBSCRIBER, new Lane(Group.SUBSCRIBER, bucket(account, Group.SUBSCRIBER),
      push.rateSubscriber()));
  }

  /** Time between two calls of a group limited to {@code perSecond} calls a second. */
  static long intervalMs(int perSecond) {
    return intervalMs(perSecond, 1);
  }

  /** Time after which {@code calls} more calls of a group limited to {@code perSecond} may go. */
  static long intervalMs(int perSecond, int calls) {
    return (SPREAD_MS * calls + perSecond - 1) / perSecond;
  }

  /** Most calls one token request lets go: one below 200 a second, so low limits are spread call by call. */
  static int batch(int perSecond) {
    return Math.max(1, perSecond / 100);
  }

  /** The bucket's name: the API key's hash, so that the key itself is never written to the store. */
  static String bucket(String account, Group group) {
    return account + ":" + group.wire();
  }

  static String account(String apiKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Completes when a call of the group may go out; fails when the store cannot be asked. */
  Future<Void> acquire(Group group) {
    Lane lane = lanes.get(group);
    Promise<Void> promise = Promise.promise();
    lane.waiting.addLast(new Waiter(promise, System.nanoTime()));
    pump(lane);
    return promise.future();
  }

  /** No call of any group for {@code ms} (ManyChat's {@code Retry-After}), on every instance. */
  Future<Void> pause(long ms) {
    LOG.warn("ManyChat asked to slow down: no call for {} ms", ms);
    return Future.all(lanes.values().stream().map(l -> limiter.pause(l.bucket, ms)).toList()).mapEmpty();
  }

  /** Calls waiting for a token. */
  int waiting() {
    return lanes.values().stream().mapToInt(l -> l.waiting.size()).sum();
  }

  private void pump(Lane lane) {
    if (lane.asking || lane.waiting.isEmpty()) {
      return;
    }
    lane.asking = true;
    int calls = Math.min(lane.waiting.size(), batch(lane.perSecond));
    limiter.take(lane.bucket, intervalMs(lane.perSecond, calls)).onComplete(ar -> {
      lane.asking = false;
      if (ar.failed()) {
        if (storeUp) {
          LOG.error("the rate limiter's store does not answer; ManyChat calls wait: {}", ar.cause().getMessage());
          storeUp = false;
        }
        // The caller gives the reply back; the next caller asks again a little later.
        lane.waiting.removeFirst().promise.fail(ar.cause());
        vertx.setTimer(STORE_RETRY_MS, id -> pump(lane));
        return;
      }
      if (!storeUp) {
        LOG.info("the rate limiter's store answers again");
        storeUp = true;
      }
      long wait = ar.result();
      if (wait > 0) {
        vertx.setTimer(wait, id -> pump(lane));
        return;
      }
      long now = System.nanoTime();
      for (int i = 0; i < calls && !lane.waiting.isEmpty(); i++) {
        Waiter w = lane.waiting.removeFirst();
        lane.waited.record(Duration.ofNanos(now - w.since));
        w.promise.complete();
      }
      pump(lane);
    });
  }
}
