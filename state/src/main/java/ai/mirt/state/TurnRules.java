package ai.mirt.state;

import ai.mirt.common.Commands;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Reply;
import ai.mirt.common.Turn;

import java.util.List;
import java.util.Map;

/**
 * The debounce policy, in one place for every store: when a buffer is due, when a message starts over, when a turn
 * may be re-run or has had its attempts. The stores only carry out what these rules decide.
 */
public final class TurnRules {

  /** How long a message id is remembered for dedupe. */
  public static final long DEDUPE_TTL_MS = 24 * 3600 * 1000L;

  /**
   * How long a subscriber's last inbound time is kept: longer than the 24 h messaging window a reply has to fit in,
   * short enough that subscribers who stopped writing are forgotten.
   */
  static final long LAST_INBOUND_TTL_MS = 2 * 24 * 3600 * 1000L;

  private final MirtConfig.Debounce cfg;

  public TurnRules(MirtConfig.Debounce cfg) {
    this.cfg = cfg;
  }

  /** A {@code /restart} drops what was buffered before it, and a re-run over it does not bring that back. */
  public boolean startsOver(InboundMessage message) {
    return Commands.isRestart(message.text());
  }

  /** The reply of this turn may still be discarded for newer messages, and the turn re-run with all of them. */
  public boolean mayRerun(Turn turn) {
    return cfg.supersedeInFlight() && turn.reruns() < cfg.maxReruns();
  }

  /** The turn failed for the last time: dead-letter it instead of retrying. */
  public boolean exhausted(Turn turn) {
    return turn.attempt() >= cfg.maxAttempts();
  }

  /** When a buffer is due: after the quiet window since its latest message, at most max wait after its first. */
  public long dueAt(long firstAt, long lastAt) {
    return Math.min(lastAt + cfg.quietMs(), firstAt + cfg.maxWaitMs());
  }

  public long quietMs() {
    return cfg.quietMs();
  }

  public long maxWaitMs() {
    return cfg.maxWaitMs();
  }

  public long leaseMs() {
    return cfg.leaseMs();
  }

  public int dedupeMaxEntries() {
    return cfg.dedupeMaxEntries();
  }

  /** Tag a contact gets when the assistant gave up on it, so that a manager answers. */
  public static final String NEEDS_HUMAN_TAG = "needs_human";

  /**
   * What goes out instead of an answer when a turn is dead-lettered: no message, only the {@code needs_human} tag,
   * stored in the outbox like any reply so that it is delivered with the same retries and limits.
   */
  public static Reply needsHuman(Turn turn) {
    return new Reply(turn.subscriberId(), turn.turnId(), turn.channel(), List.of(), List.of(), null, null, Map.of(),
      List.of(NEEDS_HUMAN_TAG), List.of(), turn.traceId(), turn.replyTo());
  }

  /** The dead letter of a turn given up. */
  public static DeadLetter deadTurn(Turn turn, String code, String reason, long at) {
    return new DeadLetter("debounce", turn.subscriberId(), turn.turnId(), code, reason, at, turn.toJson());
  }
}
