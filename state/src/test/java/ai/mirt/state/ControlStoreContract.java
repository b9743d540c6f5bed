package ai.mirt.state;

import ai.mirt.state.ControlStore.Pause;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How every {@link ControlStore} pauses the assistant and records things done once, on an explicit clock. */
abstract class ControlStoreContract extends StoreContract {

  static final long MINUTE = 60_000;
  static final long DAY = 86_400_000L;

  ControlStore controls() {
    return stores.controls();
  }

  Optional<Pause> paused(String sub) throws InterruptedException {
    return await(controls().paused(sub));
  }

  boolean once(String sub, String name, String value) throws InterruptedException {
    return await(controls().once(sub, name, value));
  }

  @Test
  void aPauseSilencesTheSubscriberUntilItEnds() throws Exception {
    assertThat(paused("7")).isEmpty();
    await(controls().pause("7", T0 + MINUTE, "manager"));
    assertThat(paused("7")).contains(new Pause(T0, T0 + MINUTE, "manager"));
    assertThat(paused("7").orElseThrow().untilResumed()).isFalse();
    clock.advance(MINUTE - 1);
    assertThat(paused("7")).as("the last ms of the pause").isPresent();
    clock.advance(1);
    assertThat(paused("7")).as("ended").isEmpty();
    assertThat(await(controls().resume("7"))).as("an ended pause is not in force").isFalse();
  }

  @Test
  void aPauseUntilResumedLastsUntilAManagerResumes() throws Exception {
    await(controls().pause("7", Pause.UNTIL_RESUMED, "takeover"));
    clock.advance(365 * DAY);
    Pause p = paused("7").orElseThrow();
    assertThat(p).isEqualTo(new Pause(T0, Pause.UNTIL_RESUMED, "takeover"));
    assertThat(p.untilResumed()).isTrue();
    assertThat(await(controls().resume("7"))).isTrue();
    assertThat(paused("7")).isEmpty();
    assertThat(await(controls().resume("7"))).as("nothing left to lift").isFalse();
  }

  @Test
  void aNewPauseReplacesTheOneThereWas() throws Exception {
    await(controls().pause("7", Pause.UNTIL_RESUMED, "takeover"));
    clock.advance(10);
    await(controls().pause("7", T0 + 10 + MINUTE, "short"));
    assertThat(paused("7")).contains(new Pause(T0 + 10, T0 + 10 + MINUTE, "short"));
    clock.advance(MINUTE);
    assertThat(paused("7")).as("the finite pause replaced the one until resumed").isEmpty();

    await(controls().pause("7", T0 + 10 + 2 * MINUTE, "first"));
    clock.advance(1);
    await(controls().pause("7", Pause.UNTIL_RESUMED, "second"));
    clock.advance(2 * MINUTE);
    assertThat(paused("7")).as("a pause until resumed replaced a finite one")
      .contains(new Pause(T0 + 11 + MINUTE, Pause.UNTIL_RESUMED, "second"));
  }

  @Test
  void aPauseThatHasAlreadyEndedOnlyLiftsThePauseThereWas() throws Exception {
    await(controls().pause("7", Pause.UNTIL_RESUMED, "takeover"));
    clock.advance(MINUTE);
    await(controls().pause("7", clock.getAsLong(), "ends now"));
    assertThat(paused("7")).isEmpty();
    assertThat(await(controls().resume("7"))).isFalse();
    await(controls().pause("7", T0, "ended before"));
    assertThat(paused("7")).isEmpty();
  }

  @Test
  void pausesAreEachSubscribersOwn() throws Exception {
    await(controls().pause("7", Pause.UNTIL_RESUMED, "takeover"));
    assertThat(paused("8")).isEmpty();
    assertThat(await(controls().resume("8"))).isFalse();
    assertThat(paused("7")).isPresent();
    await(controls().pause("8", T0 + MINUTE, null));
    assertThat(paused("8")).as("no reason is kept as empty").contains(new Pause(T0, T0 + MINUTE, ""));
    assertThat(await(controls().resume("7"))).isTrue();
    assertThat(paused("8")).isPresent();
  }

  @Test
  void resumingASubscriberNeverPausedChangesNothing() throws Exception {
    assertThat(await(controls().resume("7"))).isFalse();
    assertThat(paused("7")).isEmpty();
  }

  @Test
  void onceIsTrueOnlyForAValueNotYetRecorded() throws Exception {
    assertThat(once("7", "away", "2024-05-01")).isTrue();
    assertThat(once("7", "away", "2024-05-01")).isFalse();
    assertThat(once("7", "away", "2024-05-01")).isFalse();
    assertThat(once("7", "away", "2024-05-02")).as("a new value").isTrue();
    assertThat(once("7", "away", "2024-05-02")).isFalse();
    assertThat(once("7", "away", "2024-05-01")).as("only the latest value is kept").isTrue();
  }

  @Test
  void onceIsPerSubscriberAndPerName() throws Exception {
    assertThat(once("7", "away", "d1")).isTrue();
    assertThat(once("8", "away", "d1")).isTrue();
    assertThat(once("7", "welcome", "d1")).isTrue();
    assertThat(once("7", "away", "d1")).isFalse();
    assertThat(once("8", "away", "d1")).isFalse();
    assertThat(once("7", "welcome", "d1")).isFalse();
  }

  @Test
  void aRecordedValueIsForgottenAfterThirtyDays() throws Exception {
    assertThat(ControlStore.ONCE_KEPT_MS).isEqualTo(30 * DAY);
    assertThat(once("7", "away", "d1")).isTrue();
    clock.advance(ControlStore.ONCE_KEPT_MS - 1);
    assertThat(once("7", "away", "d1")).as("a repeat does not keep it longer").isFalse();
    clock.advance(1);
    assertThat(once("7", "away", "d1")).isTrue();
    clock.advance(ControlStore.ONCE_KEPT_MS - 1);
    assertThat(once("7", "away", "d1")).as("recorded again, kept from then").isFalse();
  }
}
