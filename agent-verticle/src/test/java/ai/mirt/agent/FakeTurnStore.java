package ai.mirt.agent;

import ai.mirt.common.Addresses;
import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.HandoffDecision;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.ReplyReady;
import ai.mirt.common.Turn;
import ai.mirt.state.ConversationStore;
import ai.mirt.state.TurnStore;
import ai.mirt.testkit.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The turn and conversation stores as the agent sees them: handoffs deliver unless the test superseded the turn or
 * made the store fail; every handoff, failure and renewal is recorded, and so is every reply announced to push.
 */
final class FakeTurnStore implements TurnStore, ConversationStore {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** One handoff as the agent made it. */
  record Handoff(Turn turn, Reply reply, String conversation, boolean delivered) {
    String turnId() {
      return turn.turnId();
    }
  }

  /** One failure as the agent reported it. */
  record Failure(Turn turn, String reason) {
  }

  private final Vertx vertx;
  private final Set<String> superseded = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> failingHandoffs = new ConcurrentHashMap<>();
  private final Map<String, String> conversations = new ConcurrentHashMap<>();
  final List<Handoff> handoffs = new CopyOnWriteArrayList<>();
  final List<Failure> failures = new CopyOnWriteArrayList<>();
  final List<String> renewals = new CopyOnWriteArrayList<>();
  final List<ReplyReady> announced = new CopyOnWriteArrayList<>();
  /** Renewals asked for after the turn's reply was handed over, as {@code turnId}. */
  final List<String> lateRenewals = new CopyOnWriteArrayList<>();
  private final Set<String> handedOver = ConcurrentHashMap.newKeySet();
  /** Turns the store no longer has in flight (taken back after their lease ended). */
  final Set<String> gone = ConcurrentHashMap.newKeySet();
  private volatile FailOutcome failOutcome = FailOutcome.RETRY;

  FakeTurnStore(Vertx vertx) {
    this.vertx = vertx;
    vertx.eventBus().<JsonObject>consumer(Addresses.PUSH_REPLY, m -> announced.add(ReplyReady.fromJson(m.body())));
  }

  static Turn turn(String subscriberId, String turnId, String text) {
    return turn(subscriberId, turnId, text, List.of());
  }

  static Turn turn(String subscriberId, String turnId, String text, List<String> images) {
    return new Turn(subscriberId, turnId, Channel.INSTAGRAM, text, images,
      new Contact("Олена Коваль", "Олена", "olena.k", Map.of()), 1, System.currentTimeMillis(), 1, 0,
      "trace-" + turnId);
  }

  void supersede(String turnId) {
    superseded.add(turnId);
  }

  /** The next {@code times} handoffs of the turn fail, as when the store does not answer. */
  void failHandoff(String turnId, int times) {
    failingHandoffs.put(turnId, new AtomicInteger(times));
  }

  /** What the store answers to a failure: retried, or dead-lettered as after the last attempt. */
  void failWith(FailOutcome outcome) {
    failOutcome = outcome;
  }

  void saveRaw(String subscriberId, String json) {
    conversations.put(subscriberId, json);
  }

  void save(String subscriberId, Conversation conversation) {
    conversations.put(subscriberId, conversation.toJson().encode());
  }

  Conversation conversation(String subscriberId) {
    String json = conversations.get(subscriberId);
    return json == null ? Conversation.empty() : Conversation.fromJson(new JsonObject(json));
  }

  void send(Turn turn) {
    vertx.eventBus().send(Addresses.AGENT_TURN, turn.toJson());
  }

  /** Sends the turn and completes with the reply stored for it. */
  Future<Reply> ask(Turn turn) {
    send(turn);
    return reply(turn.turnId());
  }

  /** The reply of a handoff that stored it, once push was told about it. */
  Future<Reply> reply(String turnId) {
    return Poll.until(vertx, () -> announced.stream().anyMatch(a -> a.turnId().equals(turnId))
        ? handoffs.stream().filter(h -> h.turnId().equals(turnId) && h.delivered()).findFirst().map(Handoff::reply)
          .orElse(null)
        : null,
      WAIT, "reply to turn " + turnId);
  }

  Future<Failure> failure(String turnId) {
    return Poll.until(vertx, () -> failures.stream().filter(f -> f.turn().turnId().equals(turnId)).findFirst()
      .orElse(null), WAIT, "failure of turn " + turnId);
  }

  Future<Handoff> handoff(String turnId) {
    return Poll.until(vertx, () -> handoffs.stream().filter(h -> h.turnId().equals(turnId)).findFirst().orElse(null),
      WAIT, "handoff of turn " + turnId);
  }

  long repliesTo(String turnId) {
    return announced.stream().filter(a -> a.turnId().equals(turnId)).count();
  }

  @Override
  public Future<HandoffDecision> handoff(Turn turn, Reply reply, String conversation) {
    AtomicInteger failing = failingHandoffs.get(turn.turnId());
    if (failing != null && failing.getAndDecrement() > 0) {
      handoffs.add(new Handoff(turn, reply, conversation, false));
      return Future.failedFuture("store unavailable");
    }
    if (superseded.contains(turn.turnId())) {
      handoffs.add(new Handoff(turn, reply, conversation, false));
      return Future.succeededFuture(new HandoffDecision(false, "superseded by newer messages"));
    }
    if (conversation.isEmpty()) {
      conversations.remove(turn.subscriberId());
    } else {
      conversations.put(turn.subscriberId(), conversation);
    }
    handedOver.add(turn.turnId());
    handoffs.add(new Handoff(turn, reply, conversation, true));
    return Future.succeededFuture(new HandoffDecision(true, "reply stored"));
  }

  @Override
  public Future<FailOutcome> fail(Turn turn, String reason) {
    failures.add(new Failure(turn, reason));
    return Future.succeededFuture(failOutcome);
  }

  @Override
  public Future<Boolean> renew(String subscriberId, String turnId, String owner) {
    renewals.add(turnId + "@" + owner);
    if (gone.contains(turnId)) {
      return Future.succeededFuture(false);
    }
    if (handedOver.contains(turnId)) {
      lateRenewals.add(turnId);
      return Future.succeededFuture(false);
    }
    return Future.succeededFuture(true);
  }

  @Override
  public Future<String> load(String subscriberId) {
    return Future.succeededFuture(conversations.getOrDefault(subscriberId, ""));
  }

  @Override
  public Future<AppendResult> append(InboundMessage message) {
    throw new UnsupportedOperationException("the agent does not append");
  }

  @Override
  public Future<List<Turn>> claimDue(int limit, String owner, boolean drainAll) {
    throw new UnsupportedOperationException("the agent does not claim");
  }

  @Override
  public Future<FailOutcome> expire(Turn turn, String reason) {
    throw new UnsupportedOperationException("the agent does not expire leases");
  }

  @Override
  public Future<List<Turn>> expiredLeases(int limit) {
    throw new UnsupportedOperationException("the agent does not expire leases");
  }

  @Override
  public Future<Boolean> release(Turn turn) {
    throw new UnsupportedOperationException("the agent does not release claims");
  }

  @Override
  public Future<Stats> stats() {
    throw new UnsupportedOperationException("the agent does not count");
  }

  @Override
  public Future<Long> nextDueIn() {
    throw new UnsupportedOperationException("the agent does not sweep");
  }

  /** Replies the agent stored on its own (follow-ups, resumes). */
  final List<Reply> ownReplies = new CopyOnWriteArrayList<>();

  @Override
  public Future<OwnReplyResult> storeOwnReply(Reply reply, String conversation,
                                              ai.mirt.state.FollowUpStore.FollowUp followUp) {
    ownReplies.add(reply);
    if (conversation != null) {
      conversations.put(reply.subscriberId(), conversation);
    }
    return Future.succeededFuture(OwnReplyResult.STORED);
  }

  @Override
  public Future<List<InboundMessage>> pending(String subscriberId) {
    return Future.succeededFuture(List.of());
  }
}
