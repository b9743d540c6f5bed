package ai.mirt.agent;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the catalog's JSON form ({@code conf/catalog.json}): {@code categories} (id, name, optional
 * {@code keywords}), optional top-level {@code colors} (a name, or a name with {@code keywords}) and
 * {@code products}. A product's category is a category id or name; without a {@code categories} list the categories
 * are the products' distinct category names, as in the CSV form. Problems name the product as
 * {@code products[6] (id dress-03)}, counted from 0 as in the file.
 */
final class CatalogJson {

  /** How many problems one message lists; a file with a broken column would otherwise give one per row. */
  static final int MAX_PROBLEMS = 5;

  private CatalogJson() {
  }

  /** @throws IllegalArgumentException naming what is wrong and where */
  static Catalog parse(JsonObject json) {
    List<String> problems = new ArrayList<>();
    List<Catalog.Category> categories = new ArrayList<>();
    Map<String, String> ids = new HashMap<>();
    Map<String, List<String>> keywords = new LinkedHashMap<>();
    Map<String, String> seen = new HashMap<>();
    List<Object> cats = list(json, "categories", "", problems);
    for (int i = 0; i < cats.size(); i++) {
      String where = "categories[" + i + "]";
      if (!(cats.get(i) instanceof JsonObject c)) {
        problems.add(where + ": must be an object with id and name");
        continue;
      }
      String id = text(c, "id");
      String name = text(c, "name");
      String place = ProductRow.blank(id) ? where : where + " (id " + id.trim() + ")";
      if (ProductRow.blank(id) || ProductRow.blank(name)) {
        problems.add(place + ": " + (ProductRow.blank(id) ? "id" : "name") + " is missing");
        continue;
      }
      id = id.trim();
      if (seen.putIfAbsent(id, where) != null) {
        problems.add(place + ": id '" + id + "' is already used by " + seen.get(id));
        continue;
      }
      categories.add(new Catalog.Category(id, name.trim()));
      ids.put(id.toLowerCase(Locale.ROOT), id);
      ids.putIfAbsent(name.trim().toLowerCase(Locale.ROOT), id);
      keywords.put(id, keywords(list(c, "keywords", place + ": ", problems), place, problems));
    }
    List<Catalog.Colour> colours = new ArrayList<>();
    List<Object> cols = list(json, "colors", "", problems);
    for (int i = 0; i < cols.size(); i++) {
      Object o = cols.get(i);
      if (o instanceof String name && !name.isBlank()) {
        colours.add(new Catalog.Colour(name.trim(), List.of()));
      } else if (o instanceof JsonObject c && !ProductRow.blank(text(c, "name"))) {
        String place = "colors[" + i + "] (" + text(c, "name").trim() + ")";
        colours.add(new Catalog.Colour(text(c, "name").trim(),
          keywords(list(c, "keywords", place + ": ", problems), place, problems)));
      } else {
        problems.add("colors[" + i + "]: must be a colour name or an object with a name and keywords");
      }
    }
    List<ProductRow> rows = new ArrayList<>();
    List<Object> products = list(json, "products", "", problems);
    for (int i = 0; i < products.size(); i++) {
      String where = "products[" + i + "]";
      if (!(products.get(i) instanceof JsonObject p)) {
        problems.add(where + ": must be an object");
        continue;
      }
      String place = ProductRow.blank(text(p, "id")) ? where : where + " (id " + text(p, "id").trim() + ")";
      rows.add(new ProductRow(where, text(p, "id"), text(p, "name"), text(p, "category"), text(p, "price"),
        strings(list(p, "sizes", place + ": ", problems)), strings(list(p, "colors", place + ": ", problems)),
        strings(list(p, "photos", place + ": ", problems)), text(p, "description")));
    }
    if (categories.isEmpty() && problems.isEmpty()) {
      for (ProductRow r : rows) {
        if (!ProductRow.blank(r.category()) && !ids.containsKey(r.category().trim().toLowerCase(Locale.ROOT))) {
          String name = r.category().trim();
          String id = CatalogCsv.slug(name).isEmpty() ? name : CatalogCsv.slug(name);
          categories.add(new Catalog.Category(id, name));
          ids.put(name.toLowerCase(Locale.ROOT), id);
          ids.putIfAbsent(id.toLowerCase(Locale.ROOT), id);
        }
      }
    }
    return build(categories, ids, rows, keywords, colours, problems);
  }

  /**
   * The catalog from checked rows, or the problems of all of them.
   *
   * @param ids      category ids by lower-case id and name
   * @param colours  the colours the file lists; the products' other colours follow, with keywords from their names
   * @param problems what the caller found wrong already
   */
  static Catalog build(List<Catalog.Category> categories, Map<String, String> ids, List<ProductRow> rows,
                       Map<String, List<String>> keywords, List<Catalog.Colour> colours, List<String> problems) {
    List<Catalog.Product> products = new ArrayList<>();
    Map<String, String> used = new HashMap<>();
    for (ProductRow row : rows) {
      row.product(ids, problems).ifPresent(p -> {
        String before = used.putIfAbsent(p.id(), row.where());
        if (before != null) {
          problems.add(row.place() + ": id '" + p.id() + "' is already used by " + before);
        } else {
          products.add(p);
        }
      });
    }
    if (problems.isEmpty() && products.isEmpty()) {
      problems.add("the catalog has no products");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(describe(problems));
    }
    return new Catalog(categories, products, keywords, colours);
  }

  /** The first {@link #MAX_PROBLEMS} problems, and how many more there are. */
  static String describe(List<String> problems) {
    String shown = String.join("; ", problems.subList(0, Math.min(MAX_PROBLEMS, problems.size())));
    int more = problems.size() - MAX_PROBLEMS;
    return more > 0 ? shown + "; and " + more + " more" : shown;
  }

  private static String text(JsonObject json, String field) {
    Object v = json.getValue(field);
    return v == null ? null : String.valueOf(v);
  }

  // A list field: a JSON array, or a text with |-separated parts as in the CSV form; empty when absent.
  private static List<Object> list(JsonObject json, String field, String place, List<String> problems) {
    Object v = json.getValue(field);
    if (v == null) {
      return List.of();
    }
    if (v instanceof JsonArray a) {
      List<Object> out = new ArrayList<>();
      a.forEach(out::add);
      return out;
    }
    if (v instanceof JsonObject) {
      problems.add(place + field + " must be a list");
      return List.of();
    }
    return new ArrayList<>(CatalogCsv.list(String.valueOf(v)));
  }

  private static List<String> keywords(List<Object> values, String place, List<String> problems) {
    List<String> out = strings(values);
    for (String k : out) {
      String problem = Vocabulary.problem(k);
      if (problem != null) {
        problems.add(place + ": " + problem);
      }
    }
    return out;
  }

  private static List<String> strings(List<Object> values) {
    List<String> out = new ArrayList<>();
    for (Object o : values) {
      if (o != null && !String.valueOf(o).isBlank()) {
        out.add(String.valueOf(o).trim());
      }
    }
    return out;
  }
}
