package ai.mirt.state;

import ai.mirt.common.HandoffDecision;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.Turn;
import io.vertx.core.Future;

import java.util.List;

/**
 * Debounce state: per-subscriber buffers of accepted messages, the one in-flight turn per subscriber (claimed under
 * a lease with an owner) and the dedupe memory. Every operation is one atomic step, so any number of instances can
 * share one store. Times come from the store's clock (Redis {@code TIME} in Redis), never from the caller.
 *
 * <p>Every accepted burst is, at every moment, in exactly one place: the buffer, the in-flight turn, the outbox
 * (as its reply, after {@link #handoff}), or the dead letters (with a {@code needs_human} notice in the outbox in
 * place of its reply). A failed future means the store did not answer in time. The step may still have happened (a
 * request can time out after Redis carried it out), so every step is safe to repeat, or is taken over when its lease
 * ends; only an {@link #append} of a message without an id, repeated by its sender after a 503, can then be stored
 * twice.
 */
public interface TurnStore {

  /** What {@link #append} did with a message. */
  enum AppendResult { STORED, DUPLICATE }

  /** What {@link #fail} and {@link #expire} did with the turn. */
  enum FailOutcome {
    /** The turn's messages are back in front of the buffer, due now, for the next attempt. */
    RETRY,
    /**
     * The turn had used all its attempts: it was recorded as a dead letter, and {@link TurnRules#needsHuman} was
     * stored as its reply, so that a manager answers. The subscriber stays busy until that reply is finished.
     */
    DEAD_LETTERED,
    /** The turn was no longer in flight (completed, handed over, taken over), or its lease had not ended: nothing changed. */
    UNCHANGED
  }

  /**
   * Stores a message in the subscriber's buffer and moves its due time to
   * {@code min(now + quiet, first + maxWait)}. A message whose id was seen in the last 24 h is not stored again. A
   * {@code /restart} message drops the messages buffered before it, and a turn re-run over it does not bring back
   * the messages before it. A stored message also records when the subscriber last wrote (see
   * {@link OutboxEntry#lastInboundAt()}).
   */
  Future<AppendResult> append(InboundMessage message);

  /**
   * Claims up to {@code limit} due buffers (oldest due first) of subscribers with no turn in flight: each buffer's
   * messages become the subscriber's in-flight turn, leased to {@code owner} for the lease time. With
   * {@code drainAll} every buffer counts as due.
   */
  Future<List<Turn>> claimDue(int limit, String owner, boolean drainAll);

  /**
   * Extends the lease of the in-flight turn and makes {@code owner} its owner.
   *
   * @return {@code false} when the turn is no longer in flight or was already handed over: stop working on it
   */
  Future<Boolean> renew(String subscriberId, String turnId, String owner);

  /**
   * The agent has answered the turn. In one step: if the turn is no longer in flight, nothing happens (a late or
   * re-run turn cannot overwrite a newer one); if messages arrived since it was claimed and the turn may still be
   * re-run, its messages go back in front of the newer ones and the reply is discarded; otherwise the reply is
   * stored in the outbox and the conversation is saved. Repeating a handoff that already stored its reply answers
   * {@code deliver} again and changes nothing.
   *
   * @param conversation the subscriber's conversation after this turn, as the agent's JSON; empty clears it
   */
  Future<HandoffDecision> handoff(Turn turn, Reply reply, String conversation);

  /**
   * The agent could not answer the turn: retry it, or dead-letter it with the reason once it has had all its
   * attempts. A dead-lettered turn is handed over to {@link TurnRules#needsHuman}, stored in the outbox as
   * {@link #handoff} stores a reply, but without touching the conversation.
   */
  Future<FailOutcome> fail(Turn turn, String reason);

  /** As {@link #fail}, but only if the turn's lease has ended and it was not handed over. */
  Future<FailOutcome> expire(Turn turn, String reason);

  /**
   * The turn never reached an agent (no node runs one): undoes its claim. Its messages go back in front of the
   * buffer, due now, and the attempt is not counted: waiting for an agent never dead-letters a turn.
   *
   * @return {@code false} when the turn was no longer in flight or already handed over: nothing changed
   */
  Future<Boolean> release(Turn turn);

  /** What {@link #storeOwnReply} did. */
  enum OwnReplyResult {
    /** Stored in the outbox as the reply of a new turn, handed over: push delivers it like any reply. */
    STORED,
    /**
     * Not stored: a turn of the subscriber is in flight (or, for a follow-up, messages wait in its buffer). A
     * follow-up is forgotten then: the customer is not quiet, and the turn that answers schedules the next one.
     */
    BUSY,
    /** Not stored: the follow-up's claim was replaced (rescheduled, or claimed again after its lease). */
    GONE
  }

  /**
   * Stores a reply Mirt sends on its own, not in answer to a turn (a follow-up reminder, a manager's resume), in one
   * step: if no turn of the subscriber is in flight, the reply is stored in the outbox as the reply of a new turn
   * ({@code reply.turnId()}), already handed over, so that the subscriber's next turn waits for its delivery; the
   * conversation is saved with it unless {@code null}. With a {@code followUp}, only while that claim holds and the
   * subscriber's buffer is empty, and the follow-up is forgotten in the same step.
   *
   * <p>The reply's turn has no messages: push claims, delivers and finishes it like any handed-over reply, and
   * {@link OutboxStore#finish} completes it, which frees the subscriber for its next turn.
   *
   * @param conversation the subscriber's conversation with this reply, as {@link #handoff} takes it (empty clears
   *                     it); {@code null} leaves the stored one as it is
   * @param followUp     the claimed follow-up this reply answers, or {@code null}; one of another subscriber fails
   *                     the step with an {@link IllegalArgumentException}
   */
  Future<OwnReplyResult> storeOwnReply(Reply reply, String conversation, FollowUpStore.FollowUp followUp);

  /** The subscriber's messages not yet answered: the in-flight turn's, then the buffer's, in arrival order. */
  Future<List<InboundMessage>> pending(String subscriberId);

  /** Up to {@code limit} in-flight turns not handed over whose lease has ended, to {@link #expire}. */
  Future<List<Turn>> expiredLeases(int limit);

  /** Counts for health, metrics and draining. */
  Future<Stats> stats();

  /**
   * How many milliseconds from now the next buffer becomes due, by the store's clock: the earliest due time still
   * ahead (buffers already due are what {@link #claimDue} takes). {@code -1} when no buffer waits for a due time.
   * Debounce sleeps until then rather than until its next periodic sweep, so a turn starts when it is due.
   */
  Future<Long> nextDueIn();

  /**
   * @param pendingSubscribers subscribers with buffered messages
   * @param pendingMessages    buffered messages
   * @param inFlight           turns claimed and not yet completed (with the agent, or their reply in the outbox)
   */
  record Stats(int pendingSubscribers, int pendingMessages, int inFlight) {
    public boolean idle() {
      return pendingMessages == 0 && inFlight == 0;
    }
  }
}
