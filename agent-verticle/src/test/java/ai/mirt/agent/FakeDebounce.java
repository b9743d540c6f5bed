package ai.mirt.agent;

import ai.mirt.common.Addresses;
import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.Handoff;
import ai.mirt.common.HandoffDecision;
import ai.mirt.common.Reply;
import ai.mirt.common.Turn;
import ai.mirt.common.TurnCompleted;
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

/**
 * Debounce and push as the agent sees them on the bus: answers handoffs (deliver, unless the test superseded the
 * turn or made its handoff fail) and records what the agent sends to push and to {@code turn.completed}.
 */
final class FakeDebounce {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final Set<String> superseded = ConcurrentHashMap.newKeySet();
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  final List<Handoff> handoffs = new CopyOnWriteArrayList<>();
  final List<Reply> replies = new CopyOnWriteArrayList<>();
  final List<TurnCompleted> completed = new CopyOnWriteArrayList<>();

  FakeDebounce(Vertx vertx) {
    this.vertx = vertx;
    vertx.eventBus().<JsonObject>consumer(Addresses.TURN_HANDOFF, m -> {
      Handoff h = Handoff.fromJson(m.body());
      handoffs.add(h);
      if (failing.contains(h.turnId())) {
        m.fail(500, "debounce unavailable");
      } else if (superseded.contains(h.turnId())) {
        m.reply(new HandoffDecision(false, "superseded by newer messages").toJson());
      } else {
        m.reply(new HandoffDecision(true, "current").toJson());
      }
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.PUSH_REPLY, m -> replies.add(Reply.fromJson(m.body())));
    vertx.eventBus().<JsonObject>consumer(Addresses.TURN_COMPLETED,
      m -> completed.add(TurnCompleted.fromJson(m.body())));
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

  void failHandoff(String turnId) {
    failing.add(turnId);
  }

  void send(Turn turn) {
    vertx.eventBus().send(Addresses.AGENT_TURN, turn.toJson());
  }

  /** Sends the turn and completes with its reply. */
  Future<Reply> ask(Turn turn) {
    send(turn);
    return reply(turn.turnId());
  }

  Future<Reply> reply(String turnId) {
    return Poll.until(vertx, () -> replies.stream().filter(r -> r.turnId().equals(turnId)).findFirst().orElse(null),
      WAIT, "reply to turn " + turnId);
  }

  Future<TurnCompleted> completion(String turnId) {
    return Poll.until(vertx, () -> completed.stream().filter(c -> c.turnId().equals(turnId)).findFirst().orElse(null),
      WAIT, "completion of turn " + turnId);
  }

  Future<Handoff> handoff(String turnId) {
    return Poll.until(vertx, () -> handoffs.stream().filter(h -> h.turnId().equals(turnId)).findFirst().orElse(null),
      WAIT, "handoff of turn " + turnId);
  }

  long repliesTo(String turnId) {
    return replies.stream().filter(r -> r.turnId().equals(turnId)).count();
  }

  long completionsOf(String turnId) {
    return completed.stream().filter(c -> c.turnId().equals(turnId)).count();
  }
}
