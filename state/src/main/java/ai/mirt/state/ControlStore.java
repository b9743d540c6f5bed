package ai.mirt.state;

import io.vertx.core.Future;

import java.util.Optional;

/**
 * What a manager or the shop's schedule decided about one subscriber, shared by every instance: a pause of the
 * assistant (human takeover) and markers of things done once per period (the away text). Times come from the
 * store's clock.
 */
public interface ControlStore {

  /** How long a value recorded by {@link #once} is remembered: past it, the same value counts as new again. */
  long ONCE_KEPT_MS = 30L * 86_400_000L;

  /** A pause that silences the assistant for a subscriber until it ends or is lifted. */
  record Pause(long since, long until, String reason) {
    /** Until a manager resumes the assistant. */
    public static final long UNTIL_RESUMED = Long.MAX_VALUE;

    public boolean untilResumed() {
      return until == UNTIL_RESUMED;
    }
  }

  /**
   * Pauses the assistant for the subscriber from now until {@code untilMs} ({@link Pause#UNTIL_RESUMED}: until
   * resumed), replacing a pause there was. A finite pause is forgotten by the store after it ends; one that has ended
   * by now only lifts the pause there was.
   *
   * @param reason why, given back with the pause; {@code null} is kept as empty
   */
  Future<Void> pause(String subscriberId, long untilMs, String reason);

  /** The subscriber's pause if one is in force now; a pause that has ended is empty. */
  Future<Optional<Pause>> paused(String subscriberId);

  /** Lifts the subscriber's pause. @return whether a pause was in force */
  Future<Boolean> resume(String subscriberId);

  /**
   * Records {@code value} under {@code name} for the subscriber unless it is already recorded there, in one step, so
   * that of several instances (or a restart) only one does the thing for that value. Only the latest value of a name
   * is kept, for {@link #ONCE_KEPT_MS} after it was recorded: a value recorded before another one counts as new again.
   *
   * @return {@code true} when the value was not yet recorded (do the thing now)
   */
  Future<Boolean> once(String subscriberId, String name, String value);
}
