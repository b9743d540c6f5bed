package ai.mirt.push;

import ai.mirt.common.Addresses;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.Turn;
import ai.mirt.push.CallResult.Outcome;
import ai.mirt.state.DeadLetter;
import ai.mirt.state.DeadLetterStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The dead letters, for the people who look after the shop's inbox: listed with their age, sent again, or deleted.
 * A reply ManyChat did not take is sent again as it was (its calls, through the same breaker and rate limit); a turn
 * the agent could not answer goes back to debounce as one message, so that the agent tries again. A retried letter is
 * deleted only once the retry went through.
 */
final class DeadLetterDesk {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDesk.class);
  static final int MAX_LIST = 1_000;

  private final Vertx vertx;
  private final DeadLetterStore store;
  private final Sender sender;
  private final BooleanSupplier dryRun;

  DeadLetterDesk(Vertx vertx, DeadLetterStore store, Sender sender, BooleanSupplier dryRun) {
    this.vertx = vertx;
    this.store = store;
    this.sender = sender;
    this.dryRun = dryRun;
  }

  void handle(Message<Object> msg) {
    if (!(msg.body() instanceof JsonObject body) || !(body.getValue("action") instanceof String action)) {
      msg.fail(400, "expected {\"action\": \"list\" | \"retry\" | \"delete\"}");
      return;
    }
    Object id = body.getValue("id");
    if (!action.equals("list") && !(id instanceof String)) {
      msg.fail(400, action + " needs the dead letter's id");
      return;
    }
    Future<JsonObject> answer = switch (action) {
      case "list" -> list(body.getValue("limit") instanceof Integer n ? n : 100);
      case "retry" -> retry((String) id);
      case "delete" -> delete((String) id);
      default -> Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400,
        "unknown action '" + action + "'"));
    };
    answer.onSuccess(msg::reply).onFailure(e -> {
      if (e instanceof ReplyException re) {
        msg.fail(re.failureCode(), re.getMessage());
      } else {
        msg.fail(503, "storage unavailable: " + e.getMessage());
      }
    });
  }

  private Future<JsonObject> list(int limit) {
    long now = System.currentTimeMillis();
    return store.recent(Math.max(1, Math.min(limit, MAX_LIST))).map(letters -> {
      JsonArray out = new JsonArray();
      letters.forEach(d -> out.add(view(d, now)));
      return new JsonObject().put("deadLetters", out);
    });
  }

  /** A letter as people read it: what, why, whose, how old, what ManyChat said, and the payload to send again. */
  static JsonObject view(DeadLetter d, long now) {
    return d.toJson().put("ageSeconds", Math.max(0, (now - d.at()) / 1000));
  }

  private Future<JsonObject> delete(String id) {
    return store.remove(id).compose(removed -> removed
      ? Future.succeededFuture(new JsonObject().put("id", id).put("status", "deleted"))
      : notFound(id));
  }

  private Future<JsonObject> retry(String id) {
    return store.get(id).compose(found -> {
      if (found.isEmpty()) {
        return notFound(id);
      }
      DeadLetter d = found.get();
      Future<String> done = d.source().equals("debounce") ? requeue(d) : resend(d);
      return done.compose(status -> store.remove(id).map(v -> {
        LOG.info("dead letter {} (subscriber {} turn {}) retried: {}", id, d.subscriberId(), d.turnId(), status);
        return new JsonObject().put("id", id).put("status", status);
      }));
    });
  }

  /** A turn the agent gave up on: its text and images go back to debounce as one new message. */
  private Future<String> requeue(DeadLetter d) {
    Turn turn;
    try {
      turn = Turn.fromJson(d.payload());
    } catch (RuntimeException e) {
      return refused(409, "dead letter " + d.id() + " holds no turn to retry: " + e.getMessage());
    }
    InboundMessage m = new InboundMessage(turn.subscriberId(), turn.channel(), turn.text(), turn.images(), null,
      turn.contact(), System.currentTimeMillis(), turn.traceId());
    return vertx.eventBus().request(Addresses.INBOUND_MESSAGE, m.toJson())
      .<String>map(reply -> "requeued")
      .recover(e -> refused(503, "storage unavailable: " + e.getMessage()));
  }

  /** A reply ManyChat did not take: its calls again, in order, stopping at the first that does not go through. */
  private Future<String> resend(DeadLetter d) {
    List<ManyChatCall> calls = new ArrayList<>();
    try {
      for (Object c : d.payload().getJsonArray("calls", new JsonArray())) {
        calls.add(ManyChatCall.fromJson((JsonObject) c));
      }
    } catch (RuntimeException e) {
      return refused(409, "dead letter " + d.id() + " holds no calls to send: " + e.getMessage());
    }
    if (calls.isEmpty()) {
      return refused(409, "dead letter " + d.id() + " holds no calls to send");
    }
    if (dryRun.getAsBoolean()) {
      LOG.info("dry run: dead letter {} would send {} calls", d.id(), calls.size());
      return Future.succeededFuture("dry-run");
    }
    return sendFrom(calls, 0).map("delivered");
  }

  private Future<Void> sendFrom(List<ManyChatCall> calls, int index) {
    if (index >= calls.size()) {
      return Future.succeededFuture();
    }
    return sender.call(calls.get(index)).compose(res -> {
      if (res.outcome() == Outcome.OK) {
        return sendFrom(calls, index + 1);
      }
      int status = res.outcome().refused() ? 409 : 503;
      String said = res.outcome().refused() ? "ManyChat refused call " : "ManyChat is unavailable for call ";
      return refused(status, said + (index + 1) + "/" + calls.size() + " (" + res.code() + "): " + res.reason());
    });
  }

  private static <T> Future<T> notFound(String id) {
    return refused(404, "no dead letter with id '" + id + "'");
  }

  private static <T> Future<T> refused(int status, String message) {
    return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status,
      message));
  }
}
