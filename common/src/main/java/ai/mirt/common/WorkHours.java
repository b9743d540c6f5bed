package ai.mirt.common;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When the assistant answers: the shop's weekly work hours and holidays in its time zone, and the mode that says
 * whether the assistant works inside those hours, outside them, or always.
 *
 * <p>Hours are local wall-clock times: {@code mon-fri 09:00-18:00} is 09:00 to 18:00 in the zone on each of those
 * days, whatever the UTC offset that day (on a DST change a day is 23 or 25 hours long, and a time that does not
 * exist that day starts at the first instant after the gap). A range whose end is at or before its start runs past
 * midnight into the next day; it belongs to the day it starts on, so a holiday removes the ranges that start on it.
 * {@code 24:00} is the end of the day.
 */
public final class WorkHours {

  /** When the assistant answers. */
  public enum Mode {
    ALWAYS, INSIDE_HOURS, OUTSIDE_HOURS;

    static Mode parse(String text) {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "always" -> ALWAYS;
        case "inside-hours" -> INSIDE_HOURS;
        case "outside-hours" -> OUTSIDE_HOURS;
        default -> throw new IllegalArgumentException("expected always, inside-hours or outside-hours, got '"
          + text.trim() + "'");
      };
    }
  }

  /** One range of one weekday, in minutes from that day's midnight; {@code end <= start} runs past midnight. */
  private record Range(int start, int end) {
  }

  /** How far back and forward the edges of a period are looked for (a long holiday is one long period). */
  private static final int HORIZON_DAYS = 400;

  private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
    "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY,
    "sun", DayOfWeek.SUNDAY);

  private final ZoneId zone;
  private final Mode mode;
  private final Map<DayOfWeek, List<Range>> week;
  private final Set<LocalDate> holidays;

  private WorkHours(ZoneId zone, Mode mode, Map<DayOfWeek, List<Range>> week, Set<LocalDate> holidays) {
    this.zone = zone;
    this.mode = mode;
    this.week = week;
    this.holidays = holidays;
  }

  /**
   * Reads the {@code schedule} settings.
   *
   * @throws IllegalArgumentException whose message starts with the setting that is wrong ({@code schedule.hours: …})
   */
  public static WorkHours of(MirtConfig.Schedule s) {
    ZoneId zone;
    try {
      zone = ZoneId.of(s.timezone().trim());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("schedule.timezone: unknown time zone '" + s.timezone().trim()
        + "' (use a name such as Europe/Kyiv)");
    }
    Mode mode;
    try {
      mode = Mode.parse(s.mode());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("schedule.mode: " + e.getMessage());
    }
    Map<DayOfWeek, List<Range>> week;
    try {
      week = hours(s.hours());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("schedule.hours: " + e.getMessage());
    }
    Set<LocalDate> holidays = new HashSet<>();
    for (String d : MirtConfig.list(s.holidays())) {
      try {
        holidays.add(LocalDate.parse(d));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("schedule.holidays: expected dates as YYYY-MM-DD, got '" + d + "'");
      }
    }
    if (mode != Mode.ALWAYS && week.values().stream().allMatch(List::isEmpty)) {
      throw new IllegalArgumentException("schedule.hours: mode " + s.mode().trim() + " needs at least one range");
    }
    return new WorkHours(zone, mode, week, Set.copyOf(holidays));
  }

  /** Always on: what a shop without a schedule gets. */
  public static WorkHours always() {
    return new WorkHours(ZoneId.of("UTC"), Mode.ALWAYS, new EnumMap<>(DayOfWeek.class), Set.of());
  }

  public Mode mode() {
    return mode;
  }

  public ZoneId zone() {
    return zone;
  }

  /** Whether the instant is within the shop's work hours. */
  public boolean inHours(Instant at) {
    for (Interval i : intervals(at, 1)) {
      if (i.contains(at)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the assistant answers at this instant. */
  public boolean assistantOn(Instant at) {
    return switch (mode) {
      case ALWAYS -> true;
      case INSIDE_HOURS -> inHours(at);
      case OUTSIDE_HOURS -> !inHours(at);
    };
  }

  /**
   * When the period in which the assistant is off, that contains {@code at}, began: the same instant for every moment
   * of one off period, a new one for the next. Empty while the assistant is on.
   */
  public Optional<Instant> offSince(Instant at) {
    if (assistantOn(at)) {
      return Optional.empty();
    }
    // Off inside-hours = outside every range: the period began at the end of the latest range that ended by now.
    // Off outside-hours = inside a range: it began at the start of the merged range that holds now.
    List<Interval> merged = merged(at, HORIZON_DAYS);
    if (mode == Mode.INSIDE_HOURS) {
      Instant since = at.minusSeconds(HORIZON_DAYS * 86_400L);
      for (Interval i : merged) {
        if (!i.end.isAfter(at) && i.end.isAfter(since)) {
          since = i.end;
        }
      }
      return Optional.of(since);
    }
    for (Interval i : merged) {
      if (i.contains(at)) {
        return Optional.of(i.start);
      }
    }
    return Optional.of(at);
  }

  /**
   * The first instant at or after {@code from} when the assistant is on, if there is one within a year.
   */
  public Optional<Instant> nextOn(Instant from) {
    if (assistantOn(from)) {
      return Optional.of(from);
    }
    List<Interval> merged = merged(from, HORIZON_DAYS);
    if (mode == Mode.INSIDE_HOURS) {
      return merged.stream().map(i -> i.start).filter(s -> s.isAfter(from)).findFirst();
    }
    return merged.stream().filter(i -> i.contains(from)).map(i -> i.end).findFirst();
  }

  /** A range on the time line: from {@code start} inclusive to {@code end} exclusive. */
  private record Interval(Instant start, Instant end) {
    boolean contains(Instant at) {
      return !at.isBefore(start) && at.isBefore(end);
    }
  }

  /** The ranges of the days around {@code at}, as instants, sorted, overlapping and touching ones joined. */
  private List<Interval> merged(Instant at, int days) {
    List<Interval> all = intervals(at, days);
    List<Interval> out = new ArrayList<>();
    for (Interval i : all) {
      Interval last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && !i.start.isAfter(last.end)) {
        out.set(out.size() - 1, new Interval(last.start, i.end.isAfter(last.end) ? i.end : last.end));
      } else {
        out.add(i);
      }
    }
    return out;
  }

  /** The ranges of the days from {@code days} before the local date of {@code at} to {@code days} after, sorted. */
  private List<Interval> intervals(Instant at, int days) {
    LocalDate today = at.atZone(zone).toLocalDate();
    List<Interval> out = new ArrayList<>();
    for (LocalDate d = today.minusDays(days); !d.isAfter(today.plusDays(days)); d = d.plusDays(1)) {
      if (holidays.contains(d)) {
        continue;
      }
      for (Range r : week.getOrDefault(d.getDayOfWeek(), List.of())) {
        Instant start = local(d, r.start);
        Instant end = r.end <= r.start ? local(d.plusDays(1), r.end) : local(d, r.end);
        out.add(new Interval(start, end));
      }
    }
    out.sort((a, b) -> a.start.compareTo(b.start));
    return out;
  }

  /** The instant of a wall-clock time on a date; a time in a DST gap moves to just after the gap. */
  private Instant local(LocalDate date, int minutes) {
    if (minutes >= 24 * 60) {
      return date.plusDays(1).atStartOfDay(zone).toInstant();
    }
    return ZonedDateTime.of(date, LocalTime.of(minutes / 60, minutes % 60), zone).toInstant();
  }

  /** {@code mon-fri 09:00-18:00, sat 10:00-14:00 15:00-16:00, sun 22:00-02:00}. */
  private static Map<DayOfWeek, List<Range>> hours(String text) {
    Map<DayOfWeek, List<Range>> week = new EnumMap<>(DayOfWeek.class);
    for (String entry : MirtConfig.list(text)) {
      String[] parts = entry.trim().split("\\s+");
      if (parts.length < 2) {
        throw new IllegalArgumentException("expected a day or day range and at least one HH:MM-HH:MM range, got '"
          + entry + "'");
      }
      List<DayOfWeek> days = days(parts[0].toLowerCase(Locale.ROOT), entry);
      List<Range> ranges = new ArrayList<>();
      for (int i = 1; i < parts.length; i++) {
        ranges.add(range(parts[i], entry));
      }
      for (DayOfWeek d : days) {
        if (week.containsKey(d)) {
          throw new IllegalArgumentException(d.name().substring(0, 3).toLowerCase(Locale.ROOT)
            + " is given twice (in '" + entry + "')");
        }
        week.put(d, List.copyOf(ranges));
      }
    }
    return week;
  }

  private static List<DayOfWeek> days(String text, String entry) {
    String[] ends = text.split("-", -1);
    if (ends.length > 2 || !DAYS.containsKey(ends[0]) || (ends.length == 2 && !DAYS.containsKey(ends[1]))) {
      throw new IllegalArgumentException("expected days as mon…sun or a range such as mon-fri, got '" + text
        + "' in '" + entry + "'");
    }
    DayOfWeek first = DAYS.get(ends[0]);
    DayOfWeek last = DAYS.get(ends[ends.length - 1]);
    List<DayOfWeek> out = new ArrayList<>();
    for (DayOfWeek d = first; ; d = d.plus(1)) {
      out.add(d);
      if (d == last) {
        return out;
      }
    }
  }

  private static Range range(String text, String entry) {
    String[] ends = text.split("-", -1);
    if (ends.length != 2) {
      throw new IllegalArgumentException("expected a time range such as 09:00-18:00, got '" + text + "' in '"
        + entry + "'");
    }
    int start = minutes(ends[0], text, entry);
    int end = minutes(ends[1], text, entry);
    if (start == 24 * 60) {
      throw new IllegalArgumentException("a range cannot start at 24:00, got '" + text + "' in '" + entry + "'");
    }
    return new Range(start, end);
  }

  private static int minutes(String hhmm, String range, String entry) {
    if (!hhmm.matches("\\d{1,2}:\\d{2}")) {
      throw new IllegalArgumentException("expected times as HH:MM, got '" + range + "' in '" + entry + "'");
    }
    int h = Integer.parseInt(hhmm.substring(0, hhmm.indexOf(':')));
    int m = Integer.parseInt(hhmm.substring(hhmm.indexOf(':') + 1));
    if (m > 59 || h > 24 || (h == 24 && m != 0)) {
      throw new IllegalArgumentException("no such time " + hhmm + " in '" + entry + "'");
    }
    return h * 60 + m;
  }
}
