package ai.mirt.agent;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One product as a shop's export has it, every value still text, checked before it becomes a
 * {@link Catalog.Product}. The JSON and the CSV reader share it, so both refuse the same things with the same words,
 * and every problem names the row: a shop owner fixes the file from the message alone.
 *
 * @param where    the row as the owner finds it: {@code row 7} (CSV) or {@code products[6]} (JSON)
 * @param price    the price as written, {@code null} when missing
 * @param category the category as written: a category id or name
 */
record ProductRow(String where, String id, String name, String category, String price, List<String> sizes,
                  List<String> colors, List<String> photos, String description) {

  /** The smallest and the largest size a child's height in cm can be. */
  static final int MIN_SIZE = 40;
  static final int MAX_SIZE = 200;

  private static final Pattern WHOLE = Pattern.compile("-?\\d{1,9}");

  ProductRow {
    sizes = sizes == null ? List.of() : List.copyOf(sizes);
    colors = colors == null ? List.of() : List.copyOf(colors);
    photos = photos == null ? List.of() : List.copyOf(photos);
  }

  /** {@code row 7 (id dress-03)}, or {@code row 7} when the row has no id. */
  String place() {
    return blank(id) ? where : where + " (id " + id.trim() + ")";
  }

  /**
   * The product, or empty when the row has problems; each problem is added to {@code problems}, prefixed with
   * {@link #place()}.
   *
   * @param categoryIds category ids by lower-case id and lower-case name
   */
  Optional<Catalog.Product> product(Map<String, String> categoryIds, List<String> problems) {
    List<String> mine = new ArrayList<>();
    for (String[] field : new String[][] {{"id", id}, {"name", name}, {"category", category}, {"price", price}}) {
      if (blank(field[1])) {
        mine.add(field[0] + " is missing");
      }
    }
    String categoryId = null;
    if (!blank(category)) {
      categoryId = categoryIds.get(category.trim().toLowerCase(Locale.ROOT));
      if (categoryId == null) {
        mine.add("category '" + category.trim() + "' is not one of the catalog's categories");
      }
    }
    int p = blank(price) ? 0 : whole("price", price, mine);
    if (p < 0 && p != Integer.MIN_VALUE) {
      mine.add("price " + p + " is negative");
    }
    List<Integer> sizeList = new ArrayList<>();
    for (String s : sizes) {
      int size = whole("size", s, mine);
      if (size != Integer.MIN_VALUE && (size < MIN_SIZE || size > MAX_SIZE)) {
        mine.add("size " + size + " is not a child's height in cm (" + MIN_SIZE + "–" + MAX_SIZE + ")");
      }
      sizeList.add(size);
    }
    for (String photo : photos) {
      if (!https(photo)) {
        mine.add("photo '" + photo + "' is not an https URL");
      }
    }
    if (!mine.isEmpty()) {
      mine.forEach(m -> problems.add(place() + ": " + m));
      return Optional.empty();
    }
    return Optional.of(new Catalog.Product(id.trim(), name.trim(), categoryId, p, sizeList,
      colors.stream().map(String::trim).toList(), photos.stream().map(String::trim).toList(),
      description == null ? "" : description.trim()));
  }

  // The value as a whole number; Integer.MIN_VALUE after noting that it is none.
  private static int whole(String what, String value, List<String> problems) {
    String v = value.trim();
    if (!WHOLE.matcher(v).matches()) {
      problems.add(what + " '" + v + "' is not a whole number");
      return Integer.MIN_VALUE;
    }
    return Integer.parseInt(v);
  }

  static boolean https(String url) {
    if (url == null || !url.trim().startsWith("https://")) {
      return false;
    }
    try {
      URI u = new URI(url.trim());
      return u.getHost() != null && !u.getHost().isBlank();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
