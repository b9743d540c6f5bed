package ai.mirt.common;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkHoursTest {

  private static final ZoneId KYIV = ZoneId.of("Europe/Kyiv");

  private static WorkHours hours(String mode, String hours, String holidays) {
    return WorkHours.of(new MirtConfig.Schedule("Europe/Kyiv", mode, hours, holidays, ""));
  }

  /** A wall-clock time in Kyiv. */
  private static Instant kyiv(String local) {
    return LocalDateTime.parse(local).atZone(KYIV).toInstant();
  }

  @Test
  void alwaysIsOnWhateverTheHours() {
    WorkHours h = hours("always", "mon-fri 09:00-18:00", "");
    assertThat(h.assistantOn(kyiv("2026-12-06T03:00"))).isTrue();
    assertThat(h.offSince(kyiv("2026-12-06T03:00"))).isEmpty();
    assertThat(h.nextOn(kyiv("2026-12-06T03:00"))).contains(kyiv("2026-12-06T03:00"));
    assertThat(WorkHours.always().assistantOn(Instant.EPOCH)).isTrue();
  }

  @Test
  void insideHoursAnswersFromTheStartToJustBeforeTheEnd() {
    WorkHours h = hours("inside-hours", "mon-fri 09:00-18:00, sat 10:00-14:00 15:00-16:00", "");
    // 2026-12-07 is a Monday.
    assertThat(h.assistantOn(kyiv("2026-12-07T08:59:59"))).isFalse();
    assertThat(h.assistantOn(kyiv("2026-12-07T09:00"))).isTrue();
    assertThat(h.assistantOn(kyiv("2026-12-07T17:59:59"))).isTrue();
    assertThat(h.assistantOn(kyiv("2026-12-07T18:00"))).isFalse();
    assertThat(h.assistantOn(kyiv("2026-12-12T14:30"))).isFalse();
    assertThat(h.assistantOn(kyiv("2026-12-12T15:30"))).isTrue();
    assertThat(h.assistantOn(kyiv("2026-12-13T12:00"))).as("no hours on Sunday").isFalse();
  }

  @Test
  void outsideHoursIsTheOpposite() {
    WorkHours h = hours("outside-hours", "mon-fri 09:00-18:00", "");
    assertThat(h.assistantOn(kyiv("2026-12-07T12:00"))).isFalse();
    assertThat(h.assistantOn(kyiv("2026-12-07T18:00"))).isTrue();
    assertThat(h.assistantOn(kyiv("2026-12-13T12:00"))).isTrue();
    assertThat(h.offSince(kyiv("2026-12-07T12:00"))).contains(kyiv("2026-12-07T09:00"));
    assertThat(h.nextOn(kyiv("2026-12-07T12:00"))).contains(kyiv("2026-12-07T18:00"));
  }

  @Test
  void hoursAreTheShopsLocalTimeNotUtc() {
    WorkHours h = hours("inside-hours", "mon 00:00-01:00", "");
    // Monday 00:30 in Kyiv is Sunday 22:30 UTC in winter.
    Instant sundayUtc = Instant.parse("2026-12-06T22:30:00Z");
    assertThat(h.assistantOn(sundayUtc)).isTrue();
    assertThat(h.assistantOn(Instant.parse("2026-12-07T00:30:00Z"))).as("Monday 02:30 in Kyiv").isFalse();
    WorkHours utc = WorkHours.of(new MirtConfig.Schedule("UTC", "inside-hours", "mon 00:00-01:00", "", ""));
    assertThat(utc.assistantOn(sundayUtc)).isFalse();
  }

  @Test
  void aRangeEndingAtOrBeforeItsStartRunsPastMidnight() {
    WorkHours h = hours("inside-hours", "fri 22:00-02:00, sat 00:00-24:00", "");
    assertThat(h.assistantOn(kyiv("2026-12-11T21:59"))).isFalse();
    assertThat(h.assistantOn(kyiv("2026-12-11T23:59:59"))).isTrue();
    assertThat(h.assistantOn(kyiv("2026-12-12T00:00"))).isTrue();
    assertThat(h.assistantOn(kyiv("2026-12-12T23:59:59"))).as("24:00 is the end of the day").isTrue();
    assertThat(h.assistantOn(kyiv("2026-12-13T00:00"))).isFalse();
    WorkHours late = hours("inside-hours", "thu 20:00-02:00", "");
    assertThat(late.assistantOn(kyiv("2026-12-11T01:59"))).as("Friday night belongs to Thursday").isTrue();
    assertThat(late.assistantOn(kyiv("2026-12-11T02:00"))).isFalse();
    assertThat(late.offSince(kyiv("2026-12-11T09:00"))).contains(kyiv("2026-12-11T02:00"));
  }

  @Test
  void holidaysHaveNoHoursButANightRangeOfTheDayBeforeStillRuns() {
    WorkHours h = hours("inside-hours", "mon-sun 20:00-02:00", "2026-12-25, 2027-01-01");
    assertThat(h.assistantOn(kyiv("2026-12-25T21:00"))).isFalse();
    assertThat(h.assistantOn(kyiv("2026-12-25T01:00"))).as("from the 24th's range").isTrue();
    assertThat(h.assistantOn(kyiv("2026-12-26T01:00"))).as("the 25th's range is gone").isFalse();
    assertThat(h.assistantOn(kyiv("2026-12-26T21:00"))).isTrue();
    assertThat(h.nextOn(kyiv("2026-12-25T12:00"))).contains(kyiv("2026-12-26T20:00"));
  }

  @Test
  void springForwardMovesATimeInTheGapToTheEndOfTheGap() {
    // Kyiv skips 03:00-04:00 on 2026-03-29.
    WorkHours h = hours("inside-hours", "sun 03:00-05:00", "");
    assertThat(h.assistantOn(kyiv("2026-03-29T02:59"))).isFalse();
    assertThat(h.assistantOn(Instant.parse("2026-03-29T00:59:59Z"))).as("02:59:59 at +02").isFalse();
    assertThat(h.assistantOn(Instant.parse("2026-03-29T01:00:00Z"))).as("04:00 at +03").isTrue();
    assertThat(h.assistantOn(Instant.parse("2026-03-29T01:59:59Z"))).isTrue();
    assertThat(h.assistantOn(Instant.parse("2026-03-29T02:00:00Z"))).as("05:00 at +03").isFalse();
    WorkHours day = hours("inside-hours", "sun 09:00-18:00", "");
    assertThat(day.assistantOn(Instant.parse("2026-03-29T06:00:00Z"))).as("09:00 at +03").isTrue();
    assertThat(day.assistantOn(Instant.parse("2026-03-29T05:59:59Z"))).isFalse();
  }

  @Test
  void fallBackKeepsWallClockHoursAndTheRepeatedHourCountsOnce() {
    // Kyiv repeats 03:00-04:00 on 2026-10-25 (+03 then +02).
    WorkHours h = hours("inside-hours", "sun 00:00-06:00", "");
    assertThat(h.assistantOn(Instant.parse("2026-10-24T21:00:00Z"))).as("00:00 at +03").isTrue();
    assertThat(h.assistantOn(Instant.parse("2026-10-25T03:59:59Z"))).as("05:59:59 at +02").isTrue();
    assertThat(h.assistantOn(Instant.parse("2026-10-25T04:00:00Z"))).as("06:00 at +02").isFalse();
    assertThat(h.offSince(Instant.parse("2026-10-25T05:00:00Z"))).contains(Instant.parse("2026-10-25T04:00:00Z"));
    WorkHours day = hours("inside-hours", "sun 09:00-18:00", "");
    assertThat(day.assistantOn(Instant.parse("2026-10-25T07:00:00Z"))).as("09:00 at +02").isTrue();
    assertThat(day.assistantOn(Instant.parse("2026-10-25T06:59:59Z"))).isFalse();
  }

  @Test
  void oneOffPeriodHasOneStartUntilTheAssistantComesBack() {
    WorkHours h = hours("inside-hours", "mon-fri 09:00-18:00", "");
    Instant evening = kyiv("2026-12-07T18:00");
    assertThat(h.offSince(kyiv("2026-12-07T18:00"))).contains(evening);
    assertThat(h.offSince(kyiv("2026-12-07T23:00"))).contains(evening);
    assertThat(h.offSince(kyiv("2026-12-08T08:59"))).contains(evening);
    assertThat(h.offSince(kyiv("2026-12-08T09:00"))).isEmpty();
    assertThat(h.offSince(kyiv("2026-12-08T18:30"))).contains(kyiv("2026-12-08T18:00"));
    assertThat(h.offSince(kyiv("2026-12-13T12:00"))).as("the weekend is one period")
      .contains(kyiv("2026-12-11T18:00"));
    assertThat(h.nextOn(kyiv("2026-12-12T20:00"))).contains(kyiv("2026-12-14T09:00"));
    assertThat(h.nextOn(kyiv("2026-12-08T10:00"))).contains(kyiv("2026-12-08T10:00"));
  }

  @Test
  void touchingRangesAreOnePeriod() {
    WorkHours h = hours("outside-hours", "mon 09:00-12:00 12:00-18:00", "");
    assertThat(h.offSince(kyiv("2026-12-07T15:00"))).contains(kyiv("2026-12-07T09:00"));
    assertThat(h.nextOn(kyiv("2026-12-07T10:00"))).contains(kyiv("2026-12-07T18:00"));
  }

  @Test
  void badSettingsAreNamedWithWhatWasExpected() {
    assertThatThrownBy(() -> WorkHours.of(new MirtConfig.Schedule("Mars/Base", "always", "", "", "")))
      .hasMessageStartingWith("schedule.timezone:").hasMessageContaining("Mars/Base");
    assertThatThrownBy(() -> hours("never", "mon 09:00-10:00", "")).hasMessageStartingWith("schedule.mode:");
    assertThatThrownBy(() -> hours("always", "monday 09:00-10:00", ""))
      .hasMessageStartingWith("schedule.hours:").hasMessageContaining("monday");
    assertThatThrownBy(() -> hours("always", "mon", "")).hasMessageStartingWith("schedule.hours:");
    assertThatThrownBy(() -> hours("always", "mon 9-10", "")).hasMessageContaining("HH:MM");
    assertThatThrownBy(() -> hours("always", "mon 09:00", "")).hasMessageContaining("09:00-18:00");
    assertThatThrownBy(() -> hours("always", "mon 09:60-10:00", "")).hasMessageContaining("09:60");
    assertThatThrownBy(() -> hours("always", "mon 24:00-10:00", "")).hasMessageContaining("24:00");
    assertThatThrownBy(() -> hours("always", "mon 24:30-10:00", "")).hasMessageContaining("24:30");
    assertThatThrownBy(() -> hours("always", "mon-fri 09:00-18:00, fri 10:00-11:00", ""))
      .hasMessageContaining("fri is given twice");
    assertThatThrownBy(() -> hours("always", "mon-xyz 09:00-18:00", "")).hasMessageContaining("mon-xyz");
    assertThatThrownBy(() -> hours("always", "", "31.12.2026")).hasMessageStartingWith("schedule.holidays:");
    assertThatThrownBy(() -> hours("inside-hours", "", "")).hasMessageContaining("at least one range");
  }

  @Test
  void aDayRangeMayWrapTheWeek() {
    WorkHours h = hours("inside-hours", "sat-mon 10:00-11:00", "");
    assertThat(h.assistantOn(kyiv("2026-12-12T10:30"))).isTrue();
    assertThat(h.assistantOn(kyiv("2026-12-13T10:30"))).isTrue();
    assertThat(h.assistantOn(kyiv("2026-12-14T10:30"))).isTrue();
    assertThat(h.assistantOn(kyiv("2026-12-15T10:30"))).isFalse();
    assertThat(h.mode()).isEqualTo(WorkHours.Mode.INSIDE_HOURS);
    assertThat(h.zone()).isEqualTo(KYIV);
  }
}
