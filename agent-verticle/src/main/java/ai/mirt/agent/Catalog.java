package ai.mirt.agent;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import ai.mirt.common.Setting;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shop's products and categories, loaded once at start and read-only afterwards. */
public final class Catalog {

  /** Where the app packs the demo catalog ({@code conf/catalog.json} of the repository). */
  public static final String BUILT_IN = "/conf/catalog.json";

  public record Category(String id, String name) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("name", name);
    }
  }

  public record Product(String id, String name, String category, int price, List<Integer> sizes,
                        List<String> colors, List<String> photos, String description) {

    private static final Pattern QUOTED = Pattern.compile("«([^»]+)»");

    public Product {
      sizes = List.copyOf(sizes);
      colors = List.copyOf(colors);
      photos = List.copyOf(photos);
    }

    /** The distinctive part of the name, e.g. {@code Ромашка} of {@code Сукня «Ромашка»}. */
    public String shortName() {
      Matcher m = QUOTED.matcher(name);
      return m.find() ? m.group(1).trim() : name;
    }

    public boolean hasColor(String color) {
      return colors.stream().anyMatch(c -> c.equalsIgnoreCase(color));
    }

    /** The smallest size at least as tall as the child, else the largest; empty when the product has no sizes. */
    public OptionalInt sizeFor(int heightCm) {
      OptionalInt fitting = sizes.stream().mapToInt(Integer::intValue).filter(s -> s >= heightCm).min();
      return fitting.isPresent() ? fitting : sizes.stream().mapToInt(Integer::intValue).max();
    }

    public String sizeRange() {
      if (sizes.isEmpty()) {
        return "";
      }
      int min = sizes.stream().mapToInt(Integer::intValue).min().orElseThrow();
      int max = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
      return min == max ? min + " см" : min + "–" + max + " см";
    }

    public JsonObject toJson() {
      return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("category", category)
        .put("price", price)
        .put("sizes", new JsonArray(new ArrayList<>(sizes)))
        .put("colors", new JsonArray(new ArrayList<>(colors)))
        .put("photos", new JsonArray(new ArrayList<>(photos)))
        .put("description", description);
    }
  }

  private final List<Category> categories;
  private final List<Product> products;
  private final Map<String, Product> byId = new LinkedHashMap<>();
  private final List<Map.Entry<Pattern, Product>> namePatterns = new ArrayList<>();

  public Catalog(List<Category> categories, List<Product> products) {
    this.categories = List.copyOf(categories);
    this.products = List.copyOf(products);
    for (Product p : this.products) {
      if (byId.put(p.id(), p) != null) {
        throw new IllegalArgumentException("duplicate product id '" + p.id() + "'");
      }
      namePatterns.add(Map.entry(namePattern(p.shortName()), p));
    }
  }

  /**
   * The catalog at {@code path} when that file exists. Only the default path falls back to the built-in demo
   * catalog on the classpath: a shop that names its own file must never be answered from the demo.
   *
   * @throws IllegalStateException naming {@code agent.catalog} when the file is missing or invalid
   */
  public static Catalog load(String path) {
    try {
      if (path != null && !path.isBlank() && Files.isRegularFile(Path.of(path))) {
        return fromJson(new JsonObject(Files.readString(Path.of(path), StandardCharsets.UTF_8)));
      }
      if (!DEFAULT_PATH.equals(path)) {
        throw new IllegalStateException("agent.catalog: no catalog file at '" + path + "'");
      }
      try (InputStream in = Catalog.class.getResourceAsStream(BUILT_IN)) {
        if (in == null) {
          throw new IllegalStateException("agent.catalog: no catalog file at '" + path
            + "' and no built-in catalog " + BUILT_IN + " on the classpath");
        }
        return fromJson(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("agent.catalog: cannot read '" + path + "': " + e.getMessage(), e);
    } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
      throw new IllegalStateException("agent.catalog: invalid catalog '" + path + "': " + e.getMessage(), e);
    }
  }

  private static final String DEFAULT_PATH = Setting.byPath("agent.catalog").orElseThrow().defaultValue();

  public static Catalog fromJson(JsonObject json) {
    List<Category> categories = new ArrayList<>();
    for (Object o : json.getJsonArray("categories", new JsonArray())) {
      JsonObject c = (JsonObject) o;
      categories.add(new Category(required(c, "id"), required(c, "name")));
    }
    List<Product> products = new ArrayList<>();
    for (Object o : json.getJsonArray("products", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      String id = required(p, "id");
      Integer price = p.getInteger("price");
      if (price == null || price < 0) {
        throw new IllegalArgumentException("product '" + id + "' needs a price");
      }
      List<Integer> sizes = new ArrayList<>();
      for (Object s : p.getJsonArray("sizes", new JsonArray())) {
        sizes.add(((Number) s).intValue());
      }
      List<String> photos = strings(p.getJsonArray("photos"));
      for (String photo : photos) {
        if (!photo.startsWith("https://")) {
          throw new IllegalArgumentException("product '" + id + "': photos must be https URLs");
        }
      }
      products.add(new Product(id, required(p, "name"), required(p, "category"), price, sizes,
        strings(p.getJsonArray("colors")), photos, p.getString("description", "")));
    }
    if (products.isEmpty()) {
      throw new IllegalArgumentException("the catalog has no products");
    }
    return new Catalog(categories, products);
  }

  public JsonObject toJson() {
    JsonArray cats = new JsonArray();
    categories.forEach(c -> cats.add(c.toJson()));
    JsonArray prods = new JsonArray();
    products.forEach(p -> prods.add(p.toJson()));
    return new JsonObject().put("categories", cats).put("products", prods);
  }

  public List<Category> categories() {
    return categories;
  }

  public List<Product> products() {
    return products;
  }

  public Optional<Product> product(String id) {
    return Optional.ofNullable(id == null ? null : byId.get(id));
  }

  public Optional<Category> category(String id) {
    return categories.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  public List<Product> inCategory(String categoryId) {
    return products.stream().filter(p -> p.category().equals(categoryId)).toList();
  }

  public List<String> categoryNames() {
    return categories.stream().map(Category::name).toList();
  }

  /** The product whose name (or id) the text mentions in any grammatical case, Ukrainian or Russian spelling. */
  public Optional<Product> mentionedIn(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (Product p : products) {
      if (lower.contains(p.id().toLowerCase(Locale.ROOT))) {
        return Optional.of(p);
      }
    }
    String folded = fold(text);
    for (Map.Entry<Pattern, Product> e : namePatterns) {
      if (e.getKey().matcher(folded).find()) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  /**
   * Brings Ukrainian and Russian spellings together ({@code і}/{@code и}/{@code ы}, {@code є}/{@code е}/{@code э}…),
   * so one pattern matches a name written either way.
   */
  static String fold(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
      switch (c) {
        case 'і', 'ї', 'ы' -> out.append('и');
        case 'є', 'э', 'ё' -> out.append('е');
        case 'ґ' -> out.append('г');
        case 'ъ', '\'', '’', 'ʼ' -> {
        }
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  // Names inflect ("Ромашку", "Лісовичка"): match the stem followed by at most three letters of ending.
  private static Pattern namePattern(String shortName) {
    String stem = fold(shortName).trim();
    if (stem.endsWith("ок") && stem.length() > 5) {
      stem = stem.substring(0, stem.length() - 2);
    } else if (stem.length() > 4 && "аяоеиуюь".indexOf(stem.charAt(stem.length() - 1)) >= 0) {
      stem = stem.substring(0, stem.length() - 1);
    }
    return Pattern.compile("(?<!\\p{L})" + Pattern.quote(stem) + "\\p{L}{0,3}(?!\\p{L})");
  }

  private static String required(JsonObject json, String field) {
    String v = json.getString(field);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("missing field '" + field + "' in " + json.encode());
    }
    return v;
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(o -> out.add(String.valueOf(o)));
    }
    return out;
  }
}
