package ai.mirt.push;

import ai.mirt.common.Addresses;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Reply;
import ai.mirt.state.DeadLetter;
import ai.mirt.state.OutboxEntry;
import ai.mirt.state.OutboxStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Response mode: a claimed reply whose customer's webhook request may still be held open ({@link Reply#replyTo()})
 * goes back as that request's answer instead of through the API. Its first block is offered to the webhook verticle
 * that holds the request ({@link Addresses#response}); what happens next depends on the answer:
 * <ul>
 *   <li><b>answered</b> ({@code {"delivered":true}}): the block counts as accepted; what it could not carry (messages
 *   beyond 10, actions beyond 5) goes through the API when there is a key, and is dropped (logged and counted)
 *   otherwise. The reply finishes as {@code responded}.</li>
 *   <li><b>no request waits</b> (the deadline passed and the interim text answered it, the connection closed, or the
 *   holder is gone): with a key the whole reply goes through the API as in push mode; without one it is
 *   dead-lettered {@code deadline}, which also completes the turn.</li>
 *   <li><b>the holder may be another process</b>: several instances without a cluster share one Redis but not an event
 *   bus, so nobody here listens on the holder's address. The claim is given back for one sweep so that the holder's
 *   own push claims it; once the reply is older than the deadline, no request can still wait for it.</li>
 * </ul>
 * A reply is offered only on its first go (nothing accepted, no failed API attempt): afterwards its request is long
 * answered, and a request held now belongs to a newer message of the customer.
 *
 * <p>The calls of such a reply are always those of {@link DynamicBlockBuilder#forResponse}, through whichever path,
 * so that a reply claimed again resumes at the right call.
 */
final class ResponseRoute {

  private static final Logger LOG = LoggerFactory.getLogger(ResponseRoute.class);
  /** A holder answers from its event loop at once; this only bounds a node that vanished mid-request. */
  static final long OFFER_TIMEOUT_MS = 5_000;
  /** The dead-letter code of a reply that found no request and cannot be pushed without a key. */
  static final String DEADLINE = "deadline";
  /** How a reply that answered its held request shows in the outbox view. */
  static final String RESPONDED = "responded";

  /** What the worker does with the claimed reply. */
  sealed interface Step permits Send, Finish, GiveBack {
  }

  /**
   * Send {@code calls} from {@code entry.accepted()} on through the API; the reply counts as {@code status} once
   * they went through.
   *
   * @param view what the outbox view shows besides status and calls (the block that answered the request); may be
   *             {@code null}
   */
  record Send(OutboxEntry entry, List<ManyChatCall> calls, String status, JsonObject view) implements Step {
  }

  /**
   * Finished without further calls.
   *
   * @param view what the outbox view shows besides status and calls (the block, the calls dropped)
   */
  record Finish(List<ManyChatCall> calls, Sender.Result result, String status, JsonObject view) implements Step {
  }

  /** The holder may be another instance: give the claim back, due again after {@code delayMs}. */
  record GiveBack(long delayMs) implements Step {
  }

  /** What the holder of the request said. */
  enum Offer {
    /** The request was answered with the block. */
    ANSWERED,
    /** No request of the subscriber waits there any more, or the holder is gone. */
    GONE,
    /** Nobody here listens on the holder's address, and it may be another process sharing the store. */
    ELSEWHERE
  }

  private final Vertx vertx;
  private final OutboxStore outbox;
  private final MirtConfig config;
  private final DynamicBlockBuilder builder;
  private final MeterRegistry registry;
  private final LongSupplier clock;

  ResponseRoute(Vertx vertx, OutboxStore outbox, MirtConfig config, MeterRegistry registry, LongSupplier clock) {
    this.vertx = vertx;
    this.outbox = outbox;
    this.config = config;
    this.builder = new DynamicBlockBuilder(config.manychat().names());
    this.registry = registry;
    this.clock = clock;
  }

  /** Whether the reply is this route's: its customer's request was held for it. */
  static boolean carries(OutboxEntry e) {
    return e.reply().replyTo() != null;
  }

  /**
   * Decides, and for a first go offers the block, what becomes of the claimed reply.
   *
   * @param onAccepted told the accepted count once the block answered the request, before it is recorded
   */
  Future<Step> route(OutboxEntry e, IntConsumer onAccepted) {
    Reply r = e.reply();
    DynamicBlockBuilder.Response plan;
    try {
      plan = builder.forResponse(r, config.manychat().quickReplyFlow());
    } catch (RuntimeException ex) {
      DeadLetter dead = new DeadLetter("push", r.subscriberId(), r.turnId(), "invalid_reply",
        "reply cannot be built: " + ex.getMessage(), clock.getAsLong(), Sender.payload(r, List.of()));
      return Future.succeededFuture(new Finish(List.of(), new Sender.Result(Sender.Kind.DEAD, null, dead, false),
        "dead-lettered", new JsonObject()));
    }
    List<ManyChatCall> calls = plan.calls();
    boolean live = !config.manychat().dryRun();
    if (e.accepted() == 0 && (!live || e.attempts() == 0)) {
      return offer(e, plan.block()).compose(offer -> switch (offer) {
        case ANSWERED -> answered(e, plan, onAccepted);
        case GONE -> Future.succeededFuture(unanswered(e, calls));
        case ELSEWHERE -> Future.succeededFuture(new GiveBack(config.push().sweepMs()));
      });
    }
    if (live) {
      // Claimed again after the block answered the request, or after a failed API attempt: resume where it stopped.
      return Future.succeededFuture(new Send(e, calls, "delivered", null));
    }
    // Without a key only the answer to the request can have been accepted: the rest cannot go anywhere.
    return Future.succeededFuture(responded(e, plan, calls.subList(Math.min(e.accepted(), calls.size()),
      calls.size())));
  }

  /** Asks the holder to answer the subscriber's request with the block. */
  Future<Offer> offer(OutboxEntry e, JsonObject block) {
    Reply r = e.reply();
    JsonObject body = new JsonObject().put("subscriberId", r.subscriberId()).put("turnId", r.turnId())
      .put("traceId", r.traceId()).put("block", block);
    return vertx.eventBus().<Object>request(r.replyTo(), body, new DeliveryOptions().setSendTimeout(OFFER_TIMEOUT_MS))
      .map(answer -> answer.body() instanceof JsonObject json && json.getBoolean("delivered", false)
        ? Offer.ANSWERED : Offer.GONE)
      .otherwise(err -> {
        if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
          return holderMayBeElsewhere(e) ? Offer.ELSEWHERE : Offer.GONE;
        }
        LOG.warn("offering the reply for subscriber {} turn {} to its webhook request failed: {}; treated as not "
          + "answered [trace {}]", r.subscriberId(), r.turnId(), err.getMessage(), r.traceId());
        return Offer.GONE;
      })
      .onSuccess(offer -> Counter.builder("mirt.push.response.offers")
        .description("response mode: replies offered to the webhook request held for them, by result")
        .tag("result", offer.name().toLowerCase(Locale.ROOT)).register(registry).increment());
  }

  /**
   * A clustered event bus reaches every webhook, and in memory there is no other process: only instances that share
   * Redis without a cluster may hold requests this process cannot reach, and only until the deadline has passed.
   */
  private boolean holderMayBeElsewhere(OutboxEntry e) {
    return !config.cluster().enabled() && config.state().redis()
      && clock.getAsLong() - e.storedAt() < config.responseMode().deadlineMs();
  }

  private Future<Step> answered(OutboxEntry e, DynamicBlockBuilder.Response plan, IntConsumer onAccepted) {
    Reply r = e.reply();
    int covered = plan.blockCalls().size();
    List<ManyChatCall> calls = plan.calls();
    LOG.info("reply for subscriber {} turn {} answered its webhook request [trace {}]", r.subscriberId(), r.turnId(),
      r.traceId());
    onAccepted.accept(covered);
    // Recorded before anything else, so that a reply claimed again (the rest failed, finishing failed) never offers or
    // sends the block a second time.
    Future<Boolean> recorded = covered == 0 ? Future.succeededFuture(true) : outbox.accepted(e, covered);
    return recorded.transform(rec -> {
      if (rec.succeeded() && !rec.result()) {
        LOG.warn("reply for subscriber {} turn {} answered its webhook request but the claim was lost; the rest is "
          + "left to the claim that holds it", r.subscriberId(), r.turnId());
        return Future.succeededFuture(new Finish(calls, Sender.Result.of(Sender.Kind.LOST), RESPONDED,
          new JsonObject()));
      }
      if (rec.failed()) {
        LOG.warn("reply for subscriber {} turn {} answered its webhook request, recording it failed: {}; going on",
          r.subscriberId(), r.turnId(), rec.cause().getMessage());
      }
      if (plan.rest().isEmpty() || config.manychat().dryRun()) {
        return Future.succeededFuture(responded(e, plan, plan.rest()));
      }
      OutboxEntry after = new OutboxEntry(r, covered, e.attempts(), e.timeouts(), e.storedAt(), e.lastInboundAt(),
        e.claim());
      return Future.succeededFuture(new Send(after, calls, RESPONDED,
        new JsonObject().put("response", plan.block())));
    });
  }

  /** No request took the block: pushed like any reply with a key, dead-lettered without one. */
  private Step unanswered(OutboxEntry e, List<ManyChatCall> calls) {
    Reply r = e.reply();
    if (!config.manychat().dryRun()) {
      LOG.info("no webhook request of subscriber {} waits for the reply of turn {} any more (deadline passed or "
        + "connection closed); sending it through the API [trace {}]", r.subscriberId(), r.turnId(), r.traceId());
      return new Send(e, calls, "delivered", null);
    }
    DeadLetter dead = new DeadLetter("push", r.subscriberId(), r.turnId(), DEADLINE, "the webhook request was "
      + "answered before the reply was ready (deadline passed or connection closed), and without MANYCHAT_API_KEY "
      + "the reply cannot be pushed", clock.getAsLong(), Sender.payload(r, calls));
    return new Finish(calls, new Sender.Result(Sender.Kind.DEAD, null, dead, false), "dead-lettered",
      new JsonObject());
  }

  /** The block answered the request; {@code dropped} are the calls that cannot follow without a key. */
  private Finish responded(OutboxEntry e, DynamicBlockBuilder.Response plan, List<ManyChatCall> dropped) {
    JsonObject view = new JsonObject().put("response", plan.block());
    if (!dropped.isEmpty()) {
      Reply r = e.reply();
      int messages = 0;
      int actions = 0;
      JsonArray calls = new JsonArray();
      for (ManyChatCall c : dropped) {
        calls.add(c.toJson());
        messages += messages(c);
        actions += actions(c);
      }
      LOG.warn("reply for subscriber {} turn {} answered its webhook request without {} message(s) and {} action(s) "
        + "that do not fit one block; dropped, as there is no MANYCHAT_API_KEY to send them [trace {}]",
        r.subscriberId(), r.turnId(), messages, actions, r.traceId());
      dropped("message", messages);
      dropped("action", actions);
      view.put("dropped", calls);
    }
    return new Finish(plan.calls(), Sender.Result.of(Sender.Kind.DELIVERED), RESPONDED, view);
  }

  private void dropped(String kind, int n) {
    if (n > 0) {
      Counter.builder("mirt.push.response.dropped")
        .description("response mode without an API key: messages and actions that did not fit the answer")
        .tag("kind", kind).register(registry).increment(n);
    }
  }

  private static int messages(ManyChatCall c) {
    return c.isSendContent() ? content(c).getJsonArray("messages", new JsonArray()).size() : 0;
  }

  /** The fields and tags a call writes. */
  private static int actions(ManyChatCall c) {
    if (c.isSendContent()) {
      return content(c).getJsonArray("actions", new JsonArray()).size();
    }
    JsonArray fields = c.body().getJsonArray("fields");
    return fields == null ? 1 : fields.size();
  }

  private static JsonObject content(ManyChatCall c) {
    return c.body().getJsonObject("data").getJsonObject("content");
  }
}
