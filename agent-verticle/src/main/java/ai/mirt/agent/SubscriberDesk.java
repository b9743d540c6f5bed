package ai.mirt.agent;

import ai.mirt.common.Channel;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.Json;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Reply;
import ai.mirt.common.ReplyReady;
import ai.mirt.common.Addresses;
import ai.mirt.state.ControlStore;
import ai.mirt.state.ConversationStore;
import ai.mirt.state.FollowUpStore;
import ai.mirt.state.TurnStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Answers {@link Addresses#SUBSCRIBER_DESK}: what Mirt knows about one subscriber (state, intent, pause, pending and
 * latest messages, latest reply, next follow-up), and a manager's takeover: pause the assistant for a subscriber, or
 * resume it. Resuming removes {@code needs_human} from the contact at once (a reply of its own, without messages,
 * stored while no turn of the subscriber is in flight) and clears it from the conversation; the assistant then goes on
 * with everything the customer wrote meanwhile in its history.
 */
final class SubscriberDesk {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriberDesk.class);
  /** Latest conversation messages the view shows. */
  static final int LAST_MESSAGES = 10;
  /** While a turn of the subscriber is in flight the tag is removed later: tries, and the time between them. */
  static final int REMOVE_TAG_TRIES = 30;
  static final long REMOVE_TAG_RETRY_MS = 1_000;

  private final Vertx vertx;
  private final TurnStore turns;
  private final ConversationStore conversations;
  private final ControlStore controls;
  private final FollowUpStore followUps;
  private final MirtConfig.Handover handover;
  private final LongSupplier clock;

  SubscriberDesk(Vertx vertx, TurnStore turns, ConversationStore conversations, ControlStore controls,
                 FollowUpStore followUps, MirtConfig.Handover handover, LongSupplier clock) {
    this.vertx = vertx;
    this.turns = turns;
    this.conversations = conversations;
    this.controls = controls;
    this.followUps = followUps;
    this.handover = handover;
    this.clock = clock;
  }

  void handle(Message<Object> message) {
    JsonObject body = message.body() instanceof JsonObject o ? o : new JsonObject();
    String sub = body.getValue("subscriber") == null ? "" : String.valueOf(body.getValue("subscriber")).trim();
    String action = body.getString("action", "");
    if (sub.isEmpty()) {
      message.fail(400, "subscriber id is missing");
      return;
    }
    Future<JsonObject> answer = switch (action) {
      case "view" -> view(sub);
      case "pause" -> pause(sub, body.getValue("minutes"), body.getString("by", "admin"));
      case "resume" -> resume(sub, body.getString("by", "admin"));
      default -> Future.failedFuture(new Refusal(400, "action must be pause or resume, got '" + action + "'"));
    };
    answer.onSuccess(message::reply).onFailure(e -> {
      if (e instanceof Refusal r) {
        message.fail(r.status, r.getMessage());
      } else {
        LOG.warn("subscriber {} {}: the store failed: {}", sub, action, e.getMessage());
        message.fail(503, "storage unavailable: " + e.getMessage());
      }
    });
  }

  private Future<JsonObject> view(String sub) {
    return Future.all(conversations.load(sub), controls.paused(sub), turns.pending(sub), followUps.scheduled(sub))
      .compose(all -> {
        String json = all.resultAt(0);
        Optional<ControlStore.Pause> pause = all.resultAt(1);
        List<InboundMessage> pending = all.resultAt(2);
        Optional<Long> followUp = all.resultAt(3);
        if ((json == null || json.isEmpty()) && pause.isEmpty() && pending.isEmpty() && followUp.isEmpty()) {
          return Future.failedFuture(new Refusal(404, "no conversation, pause or pending message of subscriber "
            + sub));
        }
        SavedConversation saved = SavedConversation.decode(sub, json);
        Conversation c = saved.conversation();
        List<Conversation.Entry> history = c.history();
        JsonArray last = new JsonArray();
        history.subList(Math.max(0, history.size() - LAST_MESSAGES), history.size()).forEach(e -> last.add(e.toJson()));
        String lastReply = null;
        for (Conversation.Entry e : history) {
          if (Conversation.ASSISTANT.equals(e.role())) {
            lastReply = e.text();
          }
        }
        JsonArray waiting = new JsonArray();
        pending.forEach(m -> waiting.add(new JsonObject().put("text", m.text()).put("images", Json.strings(m.images()))
          .put("receivedAt", Instant.ofEpochMilli(m.receivedAt()).toString())));
        return Future.succeededFuture(new JsonObject()
          .put("subscriber", sub)
          .put("state", c.stage().name())
          .put("intent", saved.intent())
          .put("channel", saved.channel() == null ? null : saved.channel().wire())
          .put("needsHuman", c.has(Conversation.NEEDS_HUMAN))
          .put("pause", pause.map(SubscriberDesk::pauseJson).orElse(null))
          .put("followUpAt", followUp.map(t -> Instant.ofEpochMilli(t).toString()).orElse(null))
          .put("lastCustomerAt", saved.lastCustomerAt() == 0 ? null
            : Instant.ofEpochMilli(saved.lastCustomerAt()).toString())
          .put("pending", waiting)
          .put("lastMessages", last)
          .put("lastReply", lastReply));
      });
  }

  private Future<JsonObject> pause(String sub, Object minutesGiven, String by) {
    long until;
    if (minutesGiven == null) {
      until = handover.pauseMs() == 0 ? ControlStore.Pause.UNTIL_RESUMED : clock.getAsLong() + handover.pauseMs();
    } else if (minutesGiven instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() == Math.rint(n.doubleValue())
      && n.doubleValue() <= 525_600) {
      until = n.longValue() == 0 ? ControlStore.Pause.UNTIL_RESUMED : clock.getAsLong() + n.longValue() * 60_000;
    } else {
      return Future.failedFuture(new Refusal(400, "minutes must be a whole number from 0 (until resumed) to 525600"));
    }
    return controls.pause(sub, until, "paused by " + by).compose(v -> controls.paused(sub)).map(p -> {
      LOG.info("assistant paused for subscriber {} by {} until {}", sub, by,
        until == ControlStore.Pause.UNTIL_RESUMED ? "resumed" : Instant.ofEpochMilli(until));
      return new JsonObject().put("subscriber", sub).put("pause", p.map(SubscriberDesk::pauseJson).orElse(null));
    });
  }

  private Future<JsonObject> resume(String sub, String by) {
    return controls.resume(sub).map(was -> {
      LOG.info("assistant resumed for subscriber {} by {}{}", sub, by, was ? "" : " (it was not paused)");
      removeNeedsHuman(sub, REMOVE_TAG_TRIES);
      return new JsonObject().put("subscriber", sub).put("pause", (Object) null).put("wasPaused", was);
    });
  }

  /**
   * Removes {@code needs_human} from the contact and the conversation, as a reply of its own once no turn of the
   * subscriber is in flight. A turn answered meanwhile removes the tag itself (the conversation still has it), so
   * running out of tries loses nothing.
   */
  private void removeNeedsHuman(String sub, int triesLeft) {
    conversations.load(sub).compose(json -> {
      SavedConversation saved = SavedConversation.decode(sub, json);
      Conversation cleared = saved.conversation().toBuilder().flag(Conversation.NEEDS_HUMAN, false).build();
      long now = clock.getAsLong();
      Reply reply = new Reply(sub, "resume-" + now, saved.channel() == null ? Channel.INSTAGRAM : saved.channel(),
        List.of(), List.of(), null, null, Map.of(), List.of(), List.of(Names.NEEDS_HUMAN), "resume-" + now);
      return turns.storeOwnReply(reply, json == null || json.isEmpty() ? null : saved.with(cleared).encode(), null)
        .map(result -> {
          if (result == TurnStore.OwnReplyResult.STORED) {
            vertx.eventBus().send(Addresses.PUSH_REPLY, new ReplyReady(sub, reply.turnId(), reply.traceId()).toJson());
          }
          return result;
        });
    }).onComplete(ar -> {
      if (ar.succeeded() && ar.result() == TurnStore.OwnReplyResult.STORED) {
        LOG.info("needs_human removal for subscriber {} stored", sub);
      } else if (triesLeft > 1) {
        vertx.setTimer(REMOVE_TAG_RETRY_MS, id -> removeNeedsHuman(sub, triesLeft - 1));
      } else {
        LOG.warn("needs_human of subscriber {} not removed on resume ({}); the next answered turn removes it", sub,
          ar.succeeded() ? "a turn stayed in flight" : ar.cause().getMessage());
      }
    });
  }

  private static JsonObject pauseJson(ControlStore.Pause p) {
    return new JsonObject().put("since", Instant.ofEpochMilli(p.since()).toString())
      .put("until", p.untilResumed() ? null : Instant.ofEpochMilli(p.until()).toString())
      .put("untilResumed", p.untilResumed())
      .put("reason", p.reason());
  }

  /** A request the desk refuses, with the HTTP status to answer. */
  static final class Refusal extends RuntimeException {
    final int status;

    Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
