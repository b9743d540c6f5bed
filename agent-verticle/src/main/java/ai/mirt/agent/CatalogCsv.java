package ai.mirt.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a catalog from the CSV export a shop already has (a spreadsheet saved as CSV): a header row naming the
 * columns in any order ({@code id, name, category, price} required; {@code sizes, colors, photos, description}
 * optional; other columns ignored), then one product per row. Lists ({@code sizes}, {@code colors}, {@code photos}) are
 * separated by {@code |}. The category column holds a category name; the categories are the distinct names in order
 * of appearance, each with a slug of its name as id. Commas, semicolons (a spreadsheet in the Ukrainian locale) and
 * tabs all work as the separator; a value with the separator in it goes in double quotes.
 *
 * <p>Rows are numbered as the spreadsheet shows them: the header is row 1.
 */
final class CatalogCsv {

  static final List<String> REQUIRED = List.of("id", "name", "category", "price");
  static final List<String> OPTIONAL = List.of("sizes", "colors", "photos", "description");

  private CatalogCsv() {
  }

  /** @throws IllegalArgumentException naming every row that is wrong (the first few of them) */
  static Catalog parse(String text) {
    List<List<String>> rows = records(text.startsWith("\uFEFF") ? text.substring(1) : text);
    if (rows.isEmpty() || rows.get(0).stream().allMatch(String::isBlank)) {
      throw new IllegalArgumentException("the file is empty; the first row must name the columns ("
        + String.join(", ", REQUIRED) + ", " + String.join(", ", OPTIONAL) + ")");
    }
    Map<String, Integer> columns = header(rows.get(0));
    List<ProductRow> products = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int r = 1; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      if (row.stream().allMatch(String::isBlank)) {
        continue;
      }
      ProductRow p = new ProductRow("row " + (r + 1), value(row, columns, "id"), value(row, columns, "name"),
        value(row, columns, "category"), value(row, columns, "price"), list(value(row, columns, "sizes")),
        list(value(row, columns, "colors")), list(value(row, columns, "photos")), value(row, columns, "description"));
      if (row.size() > rows.get(0).size()
        && row.subList(rows.get(0).size(), row.size()).stream().anyMatch(v -> !v.isBlank())) {
        problems.add(p.place() + ": " + row.size() + " values but the header has " + rows.get(0).size()
          + " columns (put a value that holds the separator in double quotes)");
        continue;
      }
      products.add(p);
    }
    Map<String, Catalog.Category> categories = new LinkedHashMap<>();
    Map<String, String> ids = new HashMap<>();
    for (ProductRow p : products) {
      if (!ProductRow.blank(p.category())) {
        String name = p.category().trim();
        String key = name.toLowerCase(Locale.ROOT);
        if (!ids.containsKey(key)) {
          String id = uniqueSlug(name, categories);
          categories.put(id, new Catalog.Category(id, name));
          ids.put(key, id);
        }
      }
    }
    return CatalogJson.build(new ArrayList<>(categories.values()), ids, products, Map.of(), List.of(), problems);
  }

  private static String uniqueSlug(String name, Map<String, Catalog.Category> taken) {
    String base = slug(name);
    if (base.isEmpty()) {
      base = "category";
    }
    String id = base;
    for (int n = 2; taken.containsKey(id); n++) {
      id = base + "-" + n;
    }
    return id;
  }

  private static Map<String, Integer> header(List<String> cells) {
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < cells.size(); i++) {
      String name = cells.get(i).trim().toLowerCase(Locale.ROOT);
      if (name.equals("colours")) {
        name = "colors";
      }
      if (!name.isEmpty() && columns.putIfAbsent(name, i) != null) {
        throw new IllegalArgumentException("row 1: the column '" + name + "' appears twice");
      }
    }
    for (String required : REQUIRED) {
      if (!columns.containsKey(required)) {
        throw new IllegalArgumentException("row 1: the header has no column '" + required + "' (it must name the "
          + "columns " + String.join(", ", REQUIRED) + " and may name " + String.join(", ", OPTIONAL)
          + "; it has " + String.join(", ", cells.stream().map(c -> "'" + c.trim() + "'").toList()) + ")");
      }
    }
    return columns;
  }

  private static String value(List<String> row, Map<String, Integer> columns, String column) {
    Integer i = columns.get(column);
    return i == null || i >= row.size() ? "" : row.get(i);
  }

  /** The parts of a {@code |}-separated list, trimmed, blanks left out. */
  static List<String> list(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split("\\|")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  /**
   * The records of the text, as RFC 4180 has them: double quotes around a value that holds the separator, a quote
   * (doubled) or a line break. The separator is whichever of comma, semicolon and tab the first line has most of.
   */
  static List<List<String>> records(String text) {
    char sep = separator(text);
    List<List<String>> out = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      any = true;
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"' && cell.toString().isBlank()) {
        cell.setLength(0);
        quoted = true;
      } else if (c == sep) {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(cell.toString());
        out.add(row);
        row = new ArrayList<>();
        cell.setLength(0);
        any = false;
      } else {
        cell.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("row " + (out.size() + 1) + ": a value opened with \" is never closed");
    }
    if (any) {
      row.add(cell.toString());
      out.add(row);
    }
    return out;
  }

  private static char separator(String text) {
    int end = text.indexOf('\n');
    String first = end < 0 ? text : text.substring(0, end);
    char best = ',';
    long most = first.chars().filter(c -> c == ',').count();
    for (char c : new char[] {';', '\t'}) {
      long n = first.chars().filter(x -> x == c).count();
      if (n > most) {
        most = n;
        best = c;
      }
    }
    return best;
  }

  private static final String[][] LATIN = {
    {"а", "a"}, {"б", "b"}, {"в", "v"}, {"г", "h"}, {"ґ", "g"}, {"д", "d"}, {"е", "e"}, {"є", "ie"}, {"ж", "zh"},
    {"з", "z"}, {"и", "y"}, {"і", "i"}, {"ї", "i"}, {"й", "i"}, {"к", "k"}, {"л", "l"}, {"м", "m"}, {"н", "n"},
    {"о", "o"}, {"п", "p"}, {"р", "r"}, {"с", "s"}, {"т", "t"}, {"у", "u"}, {"ф", "f"}, {"х", "kh"}, {"ц", "ts"},
    {"ч", "ch"}, {"ш", "sh"}, {"щ", "shch"}, {"ь", ""}, {"ю", "iu"}, {"я", "ia"}, {"ы", "y"}, {"э", "e"},
    {"ё", "io"}, {"ъ", ""}, {"'", ""}, {"’", ""}, {"ʼ", ""}};

  private static final Map<Character, String> TRANSLIT = new HashMap<>();

  static {
    for (String[] pair : LATIN) {
      TRANSLIT.put(pair[0].charAt(0), pair[1]);
    }
  }

  /** An id from a category name: Ukrainian transliterated to Latin, lower case, other signs as single hyphens. */
  static String slug(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      String latin = TRANSLIT.get(c);
      if (latin != null) {
        out.append(latin);
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out.append(c);
      } else if (out.length() > 0 && out.charAt(out.length() - 1) != '-') {
        out.append('-');
      }
    }
    int end = out.length();
    while (end > 0 && out.charAt(end - 1) == '-') {
      end--;
    }
    return out.substring(0, end);
  }
}
