package ai.mirt.push;

import ai.mirt.common.Addresses;
import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.ReplyReady;
import ai.mirt.common.Turn;
import ai.mirt.state.OutboxStore;
import ai.mirt.state.Stores;
import ai.mirt.state.TurnStore;
import ai.mirt.testkit.FakeManyChat;
import ai.mirt.testkit.RecordedRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the delivery tests share: a push verticle's configuration against a fake ManyChat, replies stored by real
 * handoffs (a customer message is appended, claimed as a turn and handed over with the reply) and announced as the
 * agent announces them, and ways to read the outcome.
 */
final class PushFixture {

  static final String KEY = "1234567:test-secret";
  static final String FLOW = "content20250101120000_123456";
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String REDIS_URL = "redis://127.0.0.1:6379/0";

  private final Vertx vertx;
  private final FakeManyChat manychat;
  /** The name a test gave a reply → the id of the turn the store claimed for it. */
  final Map<String, String> turnIds = new ConcurrentHashMap<>();

  PushFixture(Vertx vertx, FakeManyChat manychat) {
    this.vertx = vertx;
    this.manychat = manychat;
  }

  /** The test configuration: fast sweeps and backoff, a breaker that stays out of the way unless a test says so. */
  JsonObject config(JsonObject overrides) {
    return new JsonObject()
      .put("manychat.api-url", manychat.baseUrl())
      .put("manychat.api-key", KEY)
      .put("manychat.timeout-ms", 2000)
      .put("manychat.quick-reply-flow", FLOW)
      .put("push.backoff-ms", 10)
      .put("push.outbox-size", 100)
      .put("push.breaker-max-failures", 10)
      .put("push.breaker-reset-ms", 60_000)
      .put("push.sweep-ms", 50)
      .mergeIn(overrides);
  }

  Future<String> deploy(Stores stores, OutboxStore outbox, JsonObject conf, String instance,
                        MeterRegistry registry) {
    PushVerticle push = new PushVerticle(outbox, stores.deadLetters(), stores.rates(), stores.orders(), instance,
      registry);
    return vertx.deployVerticle(push, new DeploymentOptions().setConfig(conf));
  }

  static Reply reply(String subscriberId, String name, List<OutMessage> messages) {
    return new Reply(subscriberId, name, Channel.INSTAGRAM, messages, List.of("Так", "Ні"), "STATE_1_DISCOVERY",
      "greeting", Map.of(), List.of(), List.of(), "trace-" + name);
  }

  static Reply reply(String subscriberId, String name, String text) {
    return reply(subscriberId, name, List.of(OutMessage.text(text)));
  }

  static InboundMessage message(String subscriberId, String text) {
    return new InboundMessage(subscriberId, Channel.INSTAGRAM, text, List.of(), null, Contact.EMPTY, 0,
      "tr-" + subscriberId);
  }

  /** Stores the reply as the agent would, after a customer message that opens the turn it answers. */
  Future<Reply> stage(TurnStore turns, Reply template) {
    return stageAll(turns, List.of(template)).map(all -> all.get(0));
  }

  /**
   * Stores every reply (at most one per subscriber): a message of each subscriber is appended, all turns are claimed
   * at once, and each is handed over with its reply.
   */
  Future<List<Reply>> stageAll(TurnStore turns, List<Reply> templates) {
    List<Future<TurnStore.AppendResult>> appended = new ArrayList<>();
    templates.forEach(t -> appended.add(turns.append(message(t.subscriberId(), "питання"))));
    return Future.all(appended).compose(v -> handOffAll(turns, templates));
  }

  /** Claims every due turn and hands each over with the template of its subscriber. */
  Future<List<Reply>> handOffAll(TurnStore turns, List<Reply> templates) {
    Map<String, Reply> bySubscriber = new ConcurrentHashMap<>();
    templates.forEach(t -> bySubscriber.put(t.subscriberId(), t));
    return turns.claimDue(templates.size() * 2 + 10, "agent", true).compose(claimed -> {
      List<Future<Reply>> handed = new ArrayList<>();
      for (Turn t : claimed) {
        Reply template = bySubscriber.remove(t.subscriberId());
        if (template == null) {
          return Future.failedFuture(new AssertionError("claimed an unexpected turn of " + t.subscriberId()));
        }
        handed.add(handOff(turns, t, template));
      }
      if (!bySubscriber.isEmpty()) {
        return Future.failedFuture(new AssertionError("no turn was claimed for " + bySubscriber.keySet()));
      }
      return Future.all(handed).map(all -> {
        List<Reply> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
          out.add(all.resultAt(i));
        }
        return out;
      });
    });
  }

  /**
   * Hands the claimed turn over with the template's content (and its held request's address, in response mode); the
   * template's turn id names the reply.
   */
  Future<Reply> handOff(TurnStore turns, Turn t, Reply template) {
    Reply r = new Reply(t.subscriberId(), t.turnId(), template.channel(), template.messages(),
      template.quickReplies(), template.state(), template.intent(), template.fields(), template.addTags(),
      template.removeTags(), template.traceId(), template.replyTo());
    turnIds.put(template.turnId(), t.turnId());
    return turns.handoff(t, r, "{}").compose(d -> d.deliver() ? Future.succeededFuture(r)
      : Future.failedFuture(new AssertionError("handoff of " + template.turnId() + " refused: " + d.reason())));
  }

  /** Tells push the reply is stored, as the agent does. */
  void announce(Reply r) {
    vertx.eventBus().send(Addresses.PUSH_REPLY, new ReplyReady(r.subscriberId(), r.turnId(), r.traceId()).toJson());
  }

  Future<Void> push(TurnStore turns, Reply template) {
    return stage(turns, template).map(r -> {
      announce(r);
      return null;
    });
  }

  /** The outbox record of the finished reply (status, reason, calls), as the single push verticle shows it. */
  Future<JsonObject> completion(String name) {
    return completion(name, WAIT);
  }

  Future<JsonObject> completion(String name, Duration timeout) {
    return eventually(() -> outboxRecord(name), timeout, "reply " + name + " never finished");
  }

  /** The outbox record of the reply, if it is finished. */
  Future<JsonObject> outboxRecord(String name) {
    return request(Addresses.PUSH_OUTBOX, new JsonObject()).map(outbox -> {
      String id = turnIds.get(name);
      return id == null ? null : outbox.getJsonArray("payloads").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("turnId").equals(id)).findFirst().orElse(null);
    });
  }

  Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body).map(Message::body);
  }

  /** Completes with the first non-null value the probe yields, checked every 20 ms; fails after the timeout. */
  <T> Future<T> eventually(Supplier<Future<T>> probe, Duration timeout, String what) {
    return eventually(vertx, probe, timeout, what);
  }

  /** {@link #eventually(Supplier, Duration, String)} for tests without a fixture. */
  static <T> Future<T> eventually(Vertx vertx, Supplier<Future<T>> probe, Duration timeout, String what) {
    Promise<T> promise = Promise.promise();
    check(vertx, probe, System.currentTimeMillis() + timeout.toMillis(), what, promise);
    return promise.future();
  }

  private static <T> void check(Vertx vertx, Supplier<Future<T>> probe, long deadline, String what,
                                Promise<T> promise) {
    probe.get().onComplete(ar -> {
      if (ar.succeeded() && ar.result() != null) {
        promise.complete(ar.result());
      } else if (System.currentTimeMillis() > deadline) {
        promise.fail(new AssertionError("timed out: " + what
          + (ar.failed() ? " (last check failed: " + ar.cause() + ")" : "")));
      } else {
        vertx.setTimer(20, id -> check(vertx, probe, deadline, what, promise));
      }
    });
  }

  /** Completes once the store holds no reply any more. */
  Future<Void> outboxEmpty(OutboxStore outbox, Duration timeout) {
    return eventually(() -> outbox.pending().map(n -> n == 0 ? Boolean.TRUE : null), timeout,
      "the outbox to empty").mapEmpty();
  }

  static double count(MeterRegistry registry, String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  static JsonObject content(RecordedRequest r) {
    return r.json().getJsonObject("data").getJsonObject("content");
  }

  static List<String> texts(RecordedRequest r) {
    return content(r).getJsonArray("messages").stream().map(JsonObject.class::cast)
      .map(m -> m.getString("text")).toList();
  }

  static String firstText(RecordedRequest r) {
    return texts(r).get(0);
  }

  /** The subscriber a request addresses, as text. */
  static String subscriber(RecordedRequest r) {
    return String.valueOf(r.json().getValue("subscriber_id"));
  }

  static JsonArray calls(JsonObject deadLetterPayload) {
    return deadLetterPayload.getJsonArray("calls");
  }

  /** Requests of one subscriber, in the order ManyChat received them. */
  static List<RecordedRequest> of(List<RecordedRequest> requests, String subscriberId) {
    return requests.stream().filter(r -> subscriber(r).equals(subscriberId)).toList();
  }

  /** Runs the body on one event loop, as code that belongs to a verticle must run. */
  static void onLoop(Vertx vertx, Runnable body) {
    vertx.getOrCreateContext().runOnContext(v -> body.run());
  }

  /** Applies {@code f} in order, one after the other. */
  static <T> Future<Void> sequentially(List<T> items, Function<T, Future<?>> f) {
    Future<?> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> f.apply(item));
    }
    return chain.mapEmpty();
  }
}
