package ai.mirt.agent;

import ai.mirt.common.WorkHours;
import ai.mirt.state.ControlStore;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Whether the assistant answers a subscriber's turn now: not while a manager has taken the conversation over (a pause
 * in the {@link ControlStore}), and not while the shop's {@link WorkHours} say the assistant is off. A store that
 * does not answer fails the decision, so the turn is retried rather than answered against a manager's pause.
 */
final class Attendance {

  enum Kind {
    /** The assistant answers. */
    ANSWER,
    /** A manager has the conversation: stored, not answered. */
    PAUSED,
    /** Outside the assistant's hours: stored, tagged for a manager, the away text once per off period. */
    OFF
  }

  /**
   * @param pause    the pause in force, when {@link Kind#PAUSED}
   * @param offSince when the assistant's off period began, when {@link Kind#OFF}: one away text per value
   */
  record Decision(Kind kind, ControlStore.Pause pause, Instant offSince) {
  }

  private final ControlStore controls;
  private final WorkHours hours;
  private final LongSupplier clock;

  Attendance(ControlStore controls, WorkHours hours, LongSupplier clock) {
    this.controls = controls;
    this.hours = hours;
    this.clock = clock;
  }

  Future<Decision> decide(String subscriberId) {
    return controls.paused(subscriberId).map(pause -> {
      if (pause.isPresent()) {
        return new Decision(Kind.PAUSED, pause.get(), null);
      }
      return hours.offSince(Instant.ofEpochMilli(clock.getAsLong()))
        .map(since -> new Decision(Kind.OFF, null, since))
        .orElse(new Decision(Kind.ANSWER, null, null));
    });
  }

  /** Whether the assistant is on now by the hours (a pause aside). */
  boolean on() {
    return hours.assistantOn(Instant.ofEpochMilli(clock.getAsLong()));
  }

  WorkHours hours() {
    return hours;
  }
}
