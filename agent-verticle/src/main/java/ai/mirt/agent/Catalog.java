package ai.mirt.agent;

import ai.mirt.common.Setting;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shop's products, categories and colours, read from the export the shop already has ({@code .json} or
 * {@code .csv}), and the words its customers use for them. Immutable: a changed file becomes a new catalog
 * ({@link CatalogSource}).
 */
public final class Catalog {

  /** Where the app packs the demo catalog ({@code conf/catalog.json} of the repository). */
  public static final String BUILT_IN = "/conf/catalog.json";

  /** A colour the shop sells and the words that mean it; no keywords: words derived from the name. */
  public record Colour(String name, List<String> keywords) {
    public Colour {
      keywords = keywords == null ? List.of() : List.copyOf(keywords);
    }
  }

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

  private static final String DEFAULT_PATH = Setting.byPath("agent.catalog").orElseThrow().defaultValue();

  private final List<Category> categories;
  private final List<Product> products;
  private final Map<String, Product> byId = new LinkedHashMap<>();
  private final Map<Product, Pattern> mentions = new LinkedHashMap<>();
  private final Vocabulary categoryWords;
  private final Vocabulary colourWords;
  private final Set<Integer> prices = new TreeSet<>();
  private final Set<String> photos = new LinkedHashSet<>();

  /** A catalog whose categories and colours are recognised by words derived from their names. */
  public Catalog(List<Category> categories, List<Product> products) {
    this(categories, products, Map.of(), List.of());
  }

  /**
   * @param keywords the words of each category by category id; a category without any gets words from its name
   * @param colours  the colours in the order {@link #colorsIn} reports them; the products' colours missing here follow,
   *                 recognised by words from their names
   * @throws IllegalArgumentException when two products share an id or a keyword would match nearly every text
   */
  public Catalog(List<Category> categories, List<Product> products, Map<String, List<String>> keywords,
                 List<Colour> colours) {
    this.categories = List.copyOf(categories);
    this.products = List.copyOf(products);
    List<Vocabulary.Term> cats = new ArrayList<>();
    for (Category c : this.categories) {
      cats.add(Vocabulary.term(c.id(), c.name(), keywords.get(c.id())));
    }
    categoryWords = new Vocabulary(cats);
    Map<String, Colour> all = new LinkedHashMap<>();
    colours.forEach(c -> all.putIfAbsent(c.name().toLowerCase(Locale.ROOT), c));
    for (Product p : this.products) {
      if (byId.put(p.id(), p) != null) {
        throw new IllegalArgumentException("duplicate product id '" + p.id() + "'");
      }
      p.colors().forEach(c -> all.putIfAbsent(c.toLowerCase(Locale.ROOT), new Colour(c, List.of())));
      prices.add(p.price());
      photos.addAll(p.photos());
    }
    colourWords = new Vocabulary(all.values().stream().map(c -> Vocabulary.term(c.name(), c.keywords())).toList());
    for (Product p : this.products) {
      mentions.put(p, mentionPattern(p));
    }
  }

  /**
   * The catalog at {@code path}, read as JSON or CSV by its extension. Only the default path falls back to the
   * built-in demo catalog on the classpath: a shop that names its own file must never be answered from the demo.
   *
   * @throws IllegalStateException naming {@code agent.catalog}, and the row, when the file is missing or invalid
   */
  public static Catalog load(String path) {
    try {
      if (path != null && !path.isBlank() && Files.isRegularFile(Path.of(path))) {
        String text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv")) {
          return CatalogCsv.parse(text);
        }
        if (!lower.endsWith(".json")) {
          throw new IllegalStateException("agent.catalog: '" + path + "' must be a .json or a .csv file");
        }
        return fromJson(new JsonObject(text.startsWith("\uFEFF") ? text.substring(1) : text));
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
    } catch (DecodeException | IllegalArgumentException e) {
      throw new IllegalStateException("agent.catalog: invalid catalog '" + path + "': " + e.getMessage(), e);
    }
  }

  /** @throws IllegalArgumentException naming each product that is wrong as {@code products[6] (id dress-03)} */
  public static Catalog fromJson(JsonObject json) {
    return CatalogJson.parse(json);
  }

  /** @throws IllegalArgumentException naming each row that is wrong as {@code row 7 (id dress-03)} */
  public static Catalog fromCsv(String text) {
    return CatalogCsv.parse(text);
  }

  /** What the model reads: the categories and the products; the words for recognising them stay out. */
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

  /** The colours the shop sells: the listed ones first, then the products' others, each once. */
  public List<String> colorNames() {
    return colourWords.terms().stream().map(Vocabulary.Term::name).toList();
  }

  /** Every price of the catalog, ascending. */
  public Set<Integer> prices() {
    return Collections.unmodifiableSet(prices);
  }

  /** Every photo URL of the catalog, in catalog order. */
  public Set<String> photos() {
    return Collections.unmodifiableSet(photos);
  }

  /** The category the text names first ("є платтячко?" → dresses), by the category's keywords. */
  public Optional<Category> categoryIn(String text) {
    return categoryWords.first(text).flatMap(this::category);
  }

  /** The catalog colour names the text mentions in any case form or language, in the catalog's order. */
  public List<String> colorsIn(String text) {
    return colourWords.in(text);
  }

  /** Every product the text names (by name in any grammatical case, Ukrainian or Russian spelling, or by id). */
  public List<Product> productsIn(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    String folded = fold(text);
    List<Product> found = new ArrayList<>();
    mentions.forEach((p, pattern) -> {
      if (pattern.matcher(folded).find()) {
        found.add(p);
      }
    });
    return found;
  }

  /** The product this is the name of, as a whole: "Ромашку", "Сукня «Ромашка»", "dress-01"; not "Ромашка Люкс". */
  public Optional<Product> named(String name) {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    String folded = fold(name).trim();
    return products.stream()
      .filter(p -> mentions.get(p).matcher(folded).matches() || fold(p.name()).equals(folded))
      .findFirst();
  }

  /** The product whose name the text starts with: "Мальва Люкс" starts with Мальва. */
  public Optional<Product> productAt(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String folded = fold(text).trim();
    return products.stream().filter(p -> mentions.get(p).matcher(folded).lookingAt()).findFirst();
  }

  /** The first product, in catalog order, that the text names ({@link #productsIn}). */
  public Optional<Product> mentionedIn(String text) {
    return productsIn(text).stream().findFirst();
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

  // The product's id, or its distinctive name with any ending: "Ромашку", "Лісовичка", "ромашки". A name without
  // «quotes» loses a leading category word, so "Сукня Ромашка" is found by "ромашку" alone.
  private Pattern mentionPattern(Product p) {
    String name = p.shortName();
    if (name.equals(p.name())) {
      String[] words = name.trim().split("\\s+", 2);
      if (words.length == 2 && categoryWords.first(words[0]).isPresent()) {
        name = words[1];
      }
    }
    List<String> stems = new ArrayList<>();
    for (String word : fold(name).trim().split("\\s+")) {
      stems.add(Pattern.quote(stem(word)) + "\\p{L}{0,3}");
    }
    return Pattern.compile("(?<![\\p{L}\\d-])(?:" + Pattern.quote(fold(p.id())) + "|" + String.join("\\s+", stems)
      + ")(?![\\p{L}\\d-])");
  }

  // Names inflect ("Ромашку", "Лісовичка"): the stem is followed by at most three letters of ending.
  private static String stem(String word) {
    if (word.endsWith("ок") && word.length() > 5) {
      return word.substring(0, word.length() - 2);
    }
    if (word.length() > 3 && "аяоеиуюь".indexOf(word.charAt(word.length() - 1)) >= 0) {
      return word.substring(0, word.length() - 1);
    }
    return word;
  }
}
