package ai.mirt.agent.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The printed outcome of an eval: one row per conversation (file, name, turns passed of all, {@code PASS} or
 * {@code FAIL}), the differences of a failing conversation indented under its row, and a summary line. Plain text
 * with aligned columns, so it reads the same in a terminal, a CI log and a mail; colours only when asked for (a
 * terminal).
 */
public final class EvalTable {

  private static final String GREEN = "\u001B[32m";
  private static final String RED = "\u001B[31m";
  private static final String RESET = "\u001B[0m";
  private static final String GAP = "  ";
  private static final String INDENT = "    ";

  private EvalTable() {
  }

  /** The table's lines, each without its line break. */
  public static List<String> lines(List<EvalResult> results, boolean colour) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"file", "conversation", "turns", "result"});
    for (EvalResult r : results) {
      rows.add(new String[] {r.file(), r.name(), r.turnsPassed() + "/" + r.turns(), r.passed() ? "PASS" : "FAIL"});
    }
    int[] widths = new int[3];
    for (String[] row : rows) {
      for (int c = 0; c < widths.length; c++) {
        widths[c] = Math.max(widths[c], width(row[c]));
      }
    }
    List<String> out = new ArrayList<>();
    out.add(row(rows.get(0), widths, rows.get(0)[3]));
    for (int i = 0; i < results.size(); i++) {
      EvalResult r = results.get(i);
      String result = rows.get(i + 1)[3];
      out.add(row(rows.get(i + 1), widths, colour ? (r.passed() ? GREEN : RED) + result + RESET : result));
      r.differences().forEach(d -> out.add(INDENT + d));
    }
    long passed = results.stream().filter(EvalResult::passed).count();
    out.add(passed + " of " + results.size() + (results.size() == 1 ? " conversation" : " conversations")
      + " passed");
    return out;
  }

  /** The whole table, each line ending in a line break. */
  public static String render(List<EvalResult> results, boolean colour) {
    StringBuilder b = new StringBuilder();
    lines(results, colour).forEach(l -> b.append(l).append('\n'));
    return b.toString();
  }

  private static String row(String[] cells, int[] widths, String last) {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < widths.length; c++) {
      b.append(cells[c]).append(" ".repeat(widths[c] - width(cells[c]))).append(GAP);
    }
    return b.append(last).toString();
  }

  /** Code points rather than UTF-16 units, so names in Cyrillic line up; a wide emoji may still shift its row. */
  private static int width(String s) {
    return s.codePointCount(0, s.length());
  }
}
