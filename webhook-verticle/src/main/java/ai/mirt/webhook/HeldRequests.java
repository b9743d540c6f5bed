package ai.mirt.webhook;

import ai.mirt.common.Addresses;
import ai.mirt.common.Channel;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Response mode: the webhook requests this verticle holds open until their reply, at most one per subscriber (the
 * latest: only the request that carries a burst's turn gets the reply). Each is answered with HTTP 200 and a Dynamic
 * Block v2 body, exactly once, by whichever comes first:
 * <ul>
 *   <li>the reply, which push sends to this verticle's own address ({@link Addresses#response}) wherever the turn
 *   ran, and which is told whether a request took it;</li>
 *   <li>a newer message of the same subscriber, here or on another node ({@link Addresses#RESPONSE_NEWER}): an empty
 *   block, since the newer request carries the turn now;</li>
 *   <li>the deadline (below ManyChat's ~10 s): the interim text; the reply follows by push, or is dead-lettered.</li>
 * </ul>
 * A request whose connection closes is forgotten. Lives on the webhook verticle's event loop.
 */
final class HeldRequests {

  private static final Logger LOG = LoggerFactory.getLogger(HeldRequests.class);

  /** How a held request (or a duplicate, which is never held) was answered. */
  enum Outcome {
    /** With its reply. */
    REPLY,
    /** With an empty block: a newer message took over, or the message was a duplicate. */
    EMPTY,
    /** With the interim text: the deadline passed first (or the verticle stopped). */
    INTERIM,
    /** Not at all: the client closed the connection. */
    CLOSED;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One request waiting for its reply. */
  private static final class Held {
    final RoutingContext ctx;
    final InboundMessage message;
    final long arrivedNanos;
    long timer;

    Held(RoutingContext ctx, InboundMessage message, long arrivedNanos) {
      this.ctx = ctx;
      this.message = message;
      this.arrivedNanos = arrivedNanos;
    }
  }

  private final Vertx vertx;
  private final String address;
  private final long deadlineMs;
  private final String interimText;
  private final MeterRegistry registry;
  private final Map<String, Held> bySubscriber = new HashMap<>();
  /** The gauge's view of {@link #bySubscriber}'s size, readable from a scrape thread. */
  private final AtomicInteger waiting = new AtomicInteger();
  private Gauge gauge;

  /**
   * @param holder unique among all webhook verticles that may share a store or an event bus
   */
  HeldRequests(Vertx vertx, String holder, MirtConfig.ResponseMode cfg, MeterRegistry registry) {
    this.vertx = vertx;
    this.address = Addresses.response(holder);
    this.deadlineMs = cfg.deadlineMs();
    this.interimText = cfg.interimText();
    this.registry = registry;
  }

  /** Where push sends the replies of the requests held here; messages accepted here carry it as their replyTo. */
  String address() {
    return address;
  }

  Future<Void> start() {
    gauge = Gauge.builder("mirt.webhook.response.waiting", waiting, AtomicInteger::get)
      .description("response mode: webhook requests held open for their reply now").register(registry);
    EventBus bus = vertx.eventBus();
    // Cluster-wide consumers: the push that claims the reply, and the webhook that took a newer message, may be on
    // other nodes.
    return Future.all(bus.<Object>consumer(address, this::onReply).completion(),
        bus.<Object>consumer(Addresses.RESPONSE_NEWER, this::onNewer).completion())
      .<Void>mapEmpty()
      .onSuccess(v -> LOG.info("response mode: requests wait for their reply at most {} ms, replies come to {}",
        deadlineMs, address));
  }

  /**
   * Answers every waiting request with the interim text, so that none is cut off without an answer when this verticle
   * stops; their replies then find no request and take the push or dead-letter path.
   */
  void stop() {
    for (Held h : new ArrayList<>(bySubscriber.values())) {
      forget(h);
      answer(h, interim(h.message.channel()), Outcome.INTERIM);
    }
    if (gauge != null) {
      registry.remove(gauge);
    }
  }

  /**
   * Holds the request of a stored message until its reply, a newer message or the deadline. An older request of the
   * same subscriber held here is answered with an empty block at once, and every other webhook is told to do the
   * same with theirs.
   *
   * @param arrivedNanos when the request arrived ({@link System#nanoTime()}), for the time-to-answer metric
   */
  void hold(RoutingContext ctx, InboundMessage m, long arrivedNanos) {
    if (ctx.response().closed()) {
      // Gone while the message was stored: an older request of the subscriber may still carry the reply.
      record(Outcome.CLOSED, arrivedNanos);
      return;
    }
    Held previous = bySubscriber.get(m.subscriberId());
    if (previous != null) {
      forget(previous);
      answer(previous, empty(previous.message.channel()), Outcome.EMPTY);
    }
    Held h = new Held(ctx, m, arrivedNanos);
    bySubscriber.put(m.subscriberId(), h);
    waiting.set(bySubscriber.size());
    long elapsed = Math.max(0, System.currentTimeMillis() - m.receivedAt());
    h.timer = vertx.setTimer(Math.max(1, deadlineMs - elapsed), id -> expire(h));
    ctx.response().closeHandler(v -> closed(h));
    Counter.builder("mirt.webhook.response.held").description("response mode: webhook requests held for their reply")
      .register(registry).increment();
    vertx.eventBus().publish(Addresses.RESPONSE_NEWER, new JsonObject().put("subscriberId", m.subscriberId())
      .put("replyTo", address).put("receivedAt", m.receivedAt()));
  }

  /** A message seen before is not answered twice: its request gets an empty block at once. */
  void duplicate(RoutingContext ctx, InboundMessage m, long arrivedNanos) {
    // Counted first: whoever reads the metrics after the answer arrived finds it counted.
    record(Outcome.EMPTY, arrivedNanos);
    send(ctx, empty(m.channel()));
  }

  /** A reply from push: answers the subscriber's request if one still waits here, and says whether it did. */
  private void onReply(Message<Object> msg) {
    if (!(msg.body() instanceof JsonObject body) || body.getString("subscriberId") == null
      || !(body.getValue("block") instanceof JsonObject block)) {
      msg.fail(400, "expected {\"subscriberId\":…,\"block\":{…}}");
      return;
    }
    String sub = body.getString("subscriberId");
    Held h = bySubscriber.get(sub);
    if (h != null && h.ctx.response().closed()) {
      // The close handler has not run yet: the client is gone all the same.
      forget(h);
      record(Outcome.CLOSED, h.arrivedNanos);
      h = null;
    }
    if (h == null) {
      LOG.info("reply of turn {} for subscriber {} came after its webhook request was answered [trace {}]",
        body.getString("turnId"), sub, body.getString("traceId"));
      msg.reply(new JsonObject().put("delivered", false));
      return;
    }
    forget(h);
    answer(h, block, Outcome.REPLY);
    msg.reply(new JsonObject().put("delivered", true));
  }

  /** A newer message of a subscriber was accepted elsewhere: an older request of theirs held here is done. */
  private void onNewer(Message<Object> msg) {
    if (!(msg.body() instanceof JsonObject body) || address.equals(body.getString("replyTo"))) {
      return;
    }
    Held h = bySubscriber.get(body.getString("subscriberId"));
    if (h == null) {
      return;
    }
    long theirs = body.getLong("receivedAt", Long.MAX_VALUE);
    long ours = h.message.receivedAt();
    // Two messages of one subscriber taken by two webhooks at once: the later one keeps its request, and on a tie
    // exactly one of the two (by address), so that they never answer each other empty.
    if (ours > theirs || (ours == theirs && address.compareTo(String.valueOf(body.getString("replyTo"))) > 0)) {
      return;
    }
    forget(h);
    answer(h, empty(h.message.channel()), Outcome.EMPTY);
  }

  private void expire(Held h) {
    if (bySubscriber.get(h.message.subscriberId()) != h) {
      return;
    }
    bySubscriber.remove(h.message.subscriberId());
    waiting.set(bySubscriber.size());
    LOG.info("no reply for subscriber {} within {} ms: answering with the interim text [trace {}]",
      h.message.subscriberId(), deadlineMs, h.message.traceId());
    answer(h, interim(h.message.channel()), Outcome.INTERIM);
  }

  private void closed(Held h) {
    if (bySubscriber.get(h.message.subscriberId()) != h) {
      return;
    }
    forget(h);
    LOG.info("the webhook request of subscriber {} was closed before its reply [trace {}]", h.message.subscriberId(),
      h.message.traceId());
    record(Outcome.CLOSED, h.arrivedNanos);
  }

  /** Takes the request out of the waiting ones and stops its deadline. */
  private void forget(Held h) {
    if (bySubscriber.get(h.message.subscriberId()) == h) {
      bySubscriber.remove(h.message.subscriberId());
    }
    waiting.set(bySubscriber.size());
    vertx.cancelTimer(h.timer);
  }

  private void answer(Held h, JsonObject block, Outcome outcome) {
    if (h.ctx.response().closed() || h.ctx.response().ended()) {
      record(Outcome.CLOSED, h.arrivedNanos);
      return;
    }
    record(outcome, h.arrivedNanos);
    send(h.ctx, block);
  }

  private void record(Outcome outcome, long arrivedNanos) {
    Counter.builder("mirt.webhook.response.answers")
      .description("response mode: webhook requests answered, by what they were answered with")
      .tag("outcome", outcome.tag()).register(registry).increment();
    Timer.builder("mirt.webhook.response.wait")
      .description("response mode: time from receiving a webhook request to answering it")
      .tag("outcome", outcome.tag()).register(registry)
      .record(Duration.ofNanos(System.nanoTime() - arrivedNanos));
  }

  private static void send(RoutingContext ctx, JsonObject block) {
    NodeStatus.send(ctx, 200, block);
  }

  /** A valid block that shows the customer nothing. */
  static JsonObject empty(Channel channel) {
    return block(channel, new JsonArray());
  }

  JsonObject interim(Channel channel) {
    return block(channel, new JsonArray().add(new JsonObject().put("type", "text").put("text", interimText)));
  }

  private static JsonObject block(Channel channel, JsonArray messages) {
    return new JsonObject().put("version", "v2")
      .put("content", new JsonObject().put("type", channel.wire()).put("messages", messages));
  }
}
