package ai.mirt.agent;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogTest {

  private static final Catalog C = TestCatalog.CATALOG;

  private static final String HEADER = "id,name,category,price,sizes,colors,photos,description\n";

  @Test
  void demoCatalogHasThreeCategoriesAndHttpsPhotos() {
    assertThat(C.categoryNames()).containsExactly("Сукні", "Костюми", "Тренчі");
    assertThat(C.categories()).extracting(Catalog.Category::id).containsExactly("dresses", "suits", "trench-coats");
    assertThat(C.products()).hasSize(12);
    assertThat(C.products()).allSatisfy(p -> {
      assertThat(p.photos()).isNotEmpty().allMatch(u -> u.startsWith("https://shop.example.com/"));
      assertThat(C.category(p.category())).isPresent();
      assertThat(p.sizes()).isNotEmpty();
    });
    assertThat(C.inCategory("suits")).extracting(Catalog.Product::id)
      .containsExactly("suit-01", "suit-02", "suit-03", "suit-04");
    assertThat(C.inCategory("hats")).isEmpty();
    assertThat(C.category("hats")).isEmpty();
    assertThat(C.product("nope")).isEmpty();
    assertThat(C.product(null)).isEmpty();
  }

  @Test
  void productHelpers() {
    Catalog.Product romashka = C.product("dress-01").orElseThrow();

    assertThat(romashka.shortName()).isEqualTo("Ромашка");
    assertThat(romashka.sizeRange()).isEqualTo("98–128 см");
    assertThat(romashka.hasColor("Білий")).isTrue();
    assertThat(romashka.hasColor("синій")).isFalse();
    assertThat(new Catalog.Product("x", "Боді", "c", 1, List.of(), List.of(), List.of(), "").shortName())
      .isEqualTo("Боді");
    assertThat(new Catalog.Product("x", "Боді", "c", 1, List.of(), List.of(), List.of(), "").sizeRange()).isEmpty();
    assertThat(new Catalog.Product("x", "Боді", "c", 1, List.of(86), List.of(), List.of(), "").sizeRange())
      .isEqualTo("86 см");
  }

  @Test
  void sizeIsTheSmallestNotBelowTheHeight() {
    Catalog.Product romashka = C.product("dress-01").orElseThrow();

    assertThat(romashka.sizeFor(116)).hasValue(116);
    assertThat(romashka.sizeFor(111)).hasValue(116);
    assertThat(romashka.sizeFor(80)).hasValue(98);
    assertThat(romashka.sizeFor(150)).hasValue(128);
    assertThat(new Catalog.Product("x", "X", "c", 1, List.of(), List.of(), List.of(), "").sizeFor(100)).isEmpty();
  }

  @Test
  void pricesAndPhotosOfTheWholeCatalog() {
    assertThat(C.prices()).contains(1250, 1150, 2690).doesNotContain(1300).hasSize(12);
    assertThat(C.photos()).contains("https://shop.example.com/img/dress-01-2.jpg").hasSize(17);
  }

  // --- vocabulary from the catalog ---

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
    Покажіть сукні                | dresses
    Є платтячко на 110?           | dresses
    Есть платья для девочки?      | dresses
    Do you have dresses?          | dresses
    Костюмчик на хлопчика         | suits
    Show me suits                 | suits
    Нужен плащ                    | trench-coats
    trench coat please            | trench-coats
    Покажіть костюми і сукні      | suits
    сукні або костюми             | dresses
    """)
  void categoryComesFromTheCatalogKeywords(String text, String category) {
    assertThat(C.categoryIn(text)).map(Catalog.Category::id).contains(category);
    assertThat(C.categoryIn(text).map(Catalog.Category::id)).contains(category);
  }

  @Test
  void noCategoryInOtherWords() {
    assertThat(C.categoryIn("ти сука")).isEmpty();
    assertThat(C.categoryIn("костьом")).isEmpty();
    assertThat(C.categoryIn("")).isEmpty();
    assertThat(C.categoryIn(null)).isEmpty();
  }

  @Test
  void coloursInAnyCaseAndLanguageInCatalogOrder() {
    assertThat(C.colorNames()).containsExactly("білий", "рожевий", "блакитний", "жовтий", "бузковий", "червоний",
      "синій", "сірий", "чорний", "зелений", "бежевий", "оливковий");
    assertThat(C.colorsIn("А в рожевому є?")).containsExactly("рожевий");
    assertThat(C.colorsIn("есть белое или синее?")).containsExactly("білий", "синій");
    assertThat(C.colorsIn("синє чи біле?")).containsExactly("білий", "синій");
    assertThat(C.colorsIn("pink or yellow")).containsExactly("рожевий", "жовтий");
    assertThat(C.colorsIn("у білій сукні з червоною вишивкою")).containsExactly("білий", "червоний");
    assertThat(C.colorsIn("light blue")).containsExactly("блакитний");
    assertThat(C.colorsIn("blue")).containsExactly("синій");
    assertThat(C.colorsIn("темно-синій")).containsExactly("синій");
  }

  @Test
  void wordsThatOnlyLookLikeColoursAreNone() {
    assertThat(C.colorsIn("стоїть біля дверей")).isEmpty();
    assertThat(C.colorsIn("сина на фото")).isEmpty();
    assertThat(C.colorsIn("Чернігів")).isEmpty();
    assertThat(C.colorsIn("серед")).isEmpty();
    assertThat(C.colorsIn(null)).isEmpty();
  }

  @Test
  void productNamedInAnyCaseOrSpelling() {
    assertThat(C.mentionedIn("хочу ромашку")).map(Catalog.Product::id).contains("dress-01");
    assertThat(C.mentionedIn("а Лісовичка на 98 немає?")).map(Catalog.Product::id).contains("suit-03");
    assertThat(C.mentionedIn("Лисовичок")).map(Catalog.Product::id).contains("suit-03");
    assertThat(C.mentionedIn("покажите Вышиванку")).map(Catalog.Product::id).contains("dress-05");
    assertThat(C.mentionedIn("Tell me about dress-02")).map(Catalog.Product::id).contains("dress-02");
    assertThat(C.mentionedIn("dress-011")).isEmpty();
    assertThat(C.mentionedIn("веселий костюм")).isEmpty();
    assertThat(C.mentionedIn("")).isEmpty();
    assertThat(C.mentionedIn(null)).isEmpty();
    assertThat(C.productsIn("Ромашка чи Мальва?")).extracting(Catalog.Product::id)
      .containsExactly("dress-01", "dress-03");
    assertThat(C.productsIn(" ")).isEmpty();
  }

  @Test
  void productNamedAsAWholeOrAtTheStart() {
    assertThat(C.named("Ромашку")).map(Catalog.Product::id).contains("dress-01");
    assertThat(C.named("Сукня «Ромашка»")).map(Catalog.Product::id).contains("dress-01");
    assertThat(C.named("suit-02")).map(Catalog.Product::id).contains("suit-02");
    assertThat(C.named("Ромашка Люкс")).isEmpty();
    assertThat(C.named("Лілія")).isEmpty();
    assertThat(C.named(" ")).isEmpty();
    assertThat(C.named(null)).isEmpty();
    assertThat(C.productAt("Мальва Люкс")).map(Catalog.Product::id).contains("dress-03");
    assertThat(C.productAt("Люкс Мальва")).isEmpty();
    assertThat(C.productAt("")).isEmpty();
    assertThat(C.productAt(null)).isEmpty();
  }

  @Test
  void nameWithoutQuotesIsFoundByItsDistinctiveWord() {
    Catalog c = Catalog.fromCsv(HEADER + "d1,Сукня Ромашка,Сукні,100,,,,\nd2,Нова Зоря,Сукні,100,,,,\n");

    assertThat(c.mentionedIn("хочу ромашку")).map(Catalog.Product::id).contains("d1");
    assertThat(c.mentionedIn("нову зорю")).map(Catalog.Product::id).contains("d2");
    assertThat(c.mentionedIn("зорю")).isEmpty();
  }

  @Test
  void keywordsDerivedFromNamesWhenTheCatalogHasNone() {
    assertThat(Vocabulary.derive("Сукні")).containsExactly("сукн*");
    assertThat(Vocabulary.derive("Костюми")).containsExactly("костюм*");
    assertThat(Vocabulary.derive("Шорти")).containsExactly("шорт*");
    assertThat(Vocabulary.derive("Боді")).containsExactly("боді");
    assertThat(Vocabulary.derive("Пальто")).containsExactly("пальт*");
    assertThat(Vocabulary.derive("Светр")).containsExactly("светр*");
    assertThat(Vocabulary.derive("рожевий")).containsExactly("рожевий");
    assertThat(Vocabulary.derive("Спортивні костюми")).containsExactly("спортивн* костюм*");
    assertThat(Vocabulary.derive("Темно-синій колір")).containsExactly("темно-син* колір*");
    assertThat(Vocabulary.expand("синій")).contains("синя", "синього", "синее").doesNotContain("сина");
    assertThat(Vocabulary.expand("білий")).contains("біла", "білому", "білая").doesNotContain("біля");
    assertThat(Vocabulary.expand("сукн*")).containsExactly("сукн*");
    assertThat(Vocabulary.expand("light blue")).containsExactly("light blue");
    assertThat(Vocabulary.expand("хакі")).containsExactly("хакі");
  }

  @Test
  void keywordRulesAtTheirEdges() {
    assertThat(Vocabulary.derive("Шарф")).containsExactly("шарф");
    assertThat(Vocabulary.expand("мрій")).containsExactly("мрій");
    assertThat(Vocabulary.expand("р2ний")).containsExactly("р2ний");
    assertThat(Vocabulary.expand("белый")).contains("белая", "белого", "белые");
    assertThat(Vocabulary.expand("голубой")).contains("голубая", "голубую");
    assertThat(Vocabulary.problem("св*")).isNull();
    assertThat(Vocabulary.problem("*аб")).isEqualTo("keyword '*аб' needs at least two letters before the *");
    assertThat(Vocabulary.problem("с*")).isEqualTo("keyword 'с*' needs at least two letters before the *");
    assertThat(Vocabulary.problem("  ")).isEqualTo("a keyword is blank");
    assertThat(Vocabulary.problem("x")).isNull();
  }

  @Test
  void longerKeywordWinsTheSamePlaceAndEqualOnesBothCount() {
    JsonObject json = C.toJson().put("colors", new JsonArray()
      .add(new JsonObject().put("name", "світлий").put("keywords", new JsonArray().add("light")))
      .add(new JsonObject().put("name", "блакитний").put("keywords", new JsonArray().add("light blue")))
      .add(new JsonObject().put("name", "індиго").put("keywords", new JsonArray().add("indigo")))
      .add(new JsonObject().put("name", "синій").put("keywords", new JsonArray().add("indigo"))));
    Catalog c = Catalog.fromJson(json);

    assertThat(c.colorsIn("light blue")).containsExactly("блакитний");
    assertThat(c.colorsIn("light")).containsExactly("світлий");
    assertThat(c.colorsIn("indigo")).containsExactly("індиго", "синій");
    assertThat(c.colorsIn("light, light blue")).containsExactly("світлий", "блакитний");
  }

  @Test
  void categoryMentionedFirstWinsAndTiesGoToTheCatalogOrder() {
    Catalog c = new Catalog(List.of(new Catalog.Category("a", "A"), new Catalog.Category("b", "B")),
      List.of(new Catalog.Product("p", "P", "a", 1, List.of(), List.of(), List.of(), "")),
      Map.of("a", List.of("сукн*"), "b", List.of("сукня", "костюм")), List.of());

    assertThat(c.categoryIn("сукня")).map(Catalog.Category::id).contains("a");
    assertThat(c.categoryIn("костюм і сукня")).map(Catalog.Category::id).contains("b");
  }

  @Test
  void derivedKeywordsMatchInflectedForms() {
    Catalog c = Catalog.fromCsv(HEADER
      + "a,Сукня «Лілія»,Сукні,1000,104,бузковий|Синій,https://x.example/a.jpg,\n"
      + "b,Шорти «Літо»,Шорти,500,104,хакі,,\n");

    assertThat(c.categoryIn("а сукню можна?")).map(Catalog.Category::id).contains("sukni");
    assertThat(c.categoryIn("шортики є?")).map(Catalog.Category::id).contains("shorty");
    assertThat(c.categoryIn("сука")).isEmpty();
    assertThat(c.colorsIn("а бузкову?")).containsExactly("бузковий");
    assertThat(c.colorsIn("у синьому")).containsExactly("Синій");
    assertThat(c.colorsIn("хакі")).containsExactly("хакі");
    assertThat(c.colorsIn("біля")).isEmpty();
  }

  @Test
  void theTwoArgumentConstructorDerivesEverything() {
    Catalog c = new Catalog(List.of(new Catalog.Category("k", "Костюми")),
      List.of(new Catalog.Product("p", "Костюм «Пірат»", "k", 900, List.of(110), List.of("червоний"), List.of(), "")));

    assertThat(c.categoryIn("костюмчик")).map(Catalog.Category::id).contains("k");
    assertThat(c.colorsIn("червоного")).containsExactly("червоний");
    assertThat(c.mentionedIn("пірата")).map(Catalog.Product::id).contains("p");
  }

  @Test
  void duplicateIdsAndMatchAllKeywordsAreRefusedByTheConstructor() {
    Catalog.Product p = C.product("dress-01").orElseThrow();
    assertThatThrownBy(() -> new Catalog(C.categories(), List.of(p, p)))
      .hasMessage("duplicate product id 'dress-01'");
    assertThatThrownBy(() -> new Catalog(C.categories(), List.of(p), Map.of("dresses", List.of("с*")), List.of()))
      .hasMessage("keyword 'с*' needs at least two letters before the *");
    assertThatThrownBy(() -> new Catalog(C.categories(), List.of(p), Map.of("dresses", List.of(" ")), List.of()))
      .hasMessage("a keyword is blank");
  }

  // --- loading ---

  @Test
  void missingFileWithoutBuiltInCatalogNamesTheSetting(@TempDir Path dir) {
    String path = dir.resolve("absent.json").toString();

    assertThatThrownBy(() -> Catalog.load(path)).hasMessage("agent.catalog: no catalog file at '" + path + "'");
  }

  @Test
  void onlyTheDefaultPathFallsBackToTheBuiltInCatalog() {
    // Run from agent-verticle/, the default conf/catalog.json is absent and this module packs no built-in copy:
    // the default path looks for one, any other path does not.
    assertThatThrownBy(() -> Catalog.load("conf/catalog.json"))
      .hasMessage("agent.catalog: no catalog file at 'conf/catalog.json' and no built-in catalog /conf/catalog.json "
        + "on the classpath");
    assertThatThrownBy(() -> Catalog.load("shop/catalog.json"))
      .hasMessage("agent.catalog: no catalog file at 'shop/catalog.json'");
    assertThatThrownBy(() -> Catalog.load(null)).hasMessage("agent.catalog: no catalog file at 'null'");
    assertThatThrownBy(() -> Catalog.load(" ")).hasMessage("agent.catalog: no catalog file at ' '");
  }

  @Test
  void formatFollowsTheExtension(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("shop.CSV");
    Files.writeString(csv, HEADER + "a,Сукня,Сукні,100,,,,\n", StandardCharsets.UTF_8);
    Path json = dir.resolve("shop.json");
    Files.writeString(json, "\uFEFF" + C.toJson().encode(), StandardCharsets.UTF_8);
    Path txt = dir.resolve("shop.txt");
    Files.writeString(txt, "{}", StandardCharsets.UTF_8);
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{not json", StandardCharsets.UTF_8);

    assertThat(Catalog.load(csv.toString()).products()).extracting(Catalog.Product::id).containsExactly("a");
    assertThat(Catalog.load(json.toString()).products()).isEqualTo(C.products());
    assertThatThrownBy(() -> Catalog.load(txt.toString()))
      .hasMessage("agent.catalog: '" + txt + "' must be a .json or a .csv file");
    assertThatThrownBy(() -> Catalog.load(broken.toString()))
      .hasMessageStartingWith("agent.catalog: invalid catalog '" + broken + "': ");
    assertThatThrownBy(() -> Catalog.load(dir.toString()))
      .hasMessage("agent.catalog: no catalog file at '" + dir + "'");
  }

  @Test
  void exampleCsvHoldsTheDemoCatalog() {
    Catalog csv = Catalog.load("../conf/catalog.csv");

    assertThat(csv.categories()).containsExactly(new Catalog.Category("sukni", "Сукні"),
      new Catalog.Category("kostiumy", "Костюми"), new Catalog.Category("trenchi", "Тренчі"));
    assertThat(csv.products()).hasSameSizeAs(C.products());
    for (int i = 0; i < C.products().size(); i++) {
      Catalog.Product j = C.products().get(i);
      Catalog.Product c = csv.products().get(i);
      assertThat(c).isEqualTo(new Catalog.Product(j.id(), j.name(), c.category(), j.price(), j.sizes(), j.colors(),
        j.photos(), j.description()));
      assertThat(csv.category(c.category()).orElseThrow().name())
        .isEqualTo(C.category(j.category()).orElseThrow().name());
    }
    assertThat(csv.colorsIn("в рожевому")).containsExactly("рожевий");
    assertThat(csv.categoryIn("сукню")).map(Catalog.Category::id).contains("sukni");
  }

  @Test
  void catalogSurvivesJsonRoundTrip() {
    Catalog again = Catalog.fromJson(C.toJson());

    assertThat(again.products()).isEqualTo(C.products());
    assertThat(again.categories()).isEqualTo(C.categories());
    assertThat(C.toJson().getJsonArray("categories").getJsonObject(0).fieldNames())
      .containsExactlyInAnyOrder("id", "name");
    assertThat(C.toJson().getJsonArray("products").getJsonObject(0).getInteger("price")).isEqualTo(1250);
  }

  // --- JSON validation: every problem names the product ---

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
    price abc        | price    | "abc"                     | products[6] (id suit-02): price 'abc' is not a whole number
    price fraction   | price    | 12.5                      | products[6] (id suit-02): price '12.5' is not a whole number
    price negative   | price    | -1                        | products[6] (id suit-02): price -1 is negative
    price missing    | price    | null                      | products[6] (id suit-02): price is missing
    name missing     | name     | " "                       | products[6] (id suit-02): name is missing
    category missing | category | null                      | products[6] (id suit-02): category is missing
    category unknown | category | "hats"                    | products[6] (id suit-02): category 'hats' is not one of the catalog's categories
    size text        | sizes    | [110, "XL"]               | products[6] (id suit-02): size 'XL' is not a whole number
    size small       | sizes    | [39]                      | products[6] (id suit-02): size 39 is not a child's height in cm (40–200)
    size large       | sizes    | [201]                     | products[6] (id suit-02): size 201 is not a child's height in cm (40–200)
    photo http       | photos   | ["http://x.example/a.jpg"] | products[6] (id suit-02): photo 'http://x.example/a.jpg' is not an https URL
    photo no host    | photos   | ["https://"]              | products[6] (id suit-02): photo 'https://' is not an https URL
    photo broken     | photos   | ["https://a b"]           | products[6] (id suit-02): photo 'https://a b' is not an https URL
    sizes object     | sizes    | {"a": 1}                  | products[6] (id suit-02): sizes must be a list
    duplicate id     | id       | "dress-01"                | products[6] (id dress-01): id 'dress-01' is already used by products[0]
    id missing       | id       | null                      | products[6]: id is missing
    """)
  void jsonProblemNamesTheProduct(String what, String field, String value, String message) {
    JsonObject json = C.toJson();
    json.getJsonArray("products").getJsonObject(6).put(field, Json.decodeValue(value));

    assertThatThrownBy(() -> Catalog.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
      .hasMessage(message);
  }

  @Test
  void jsonBoundariesThatAreAccepted() {
    JsonObject json = C.toJson();
    JsonObject p = json.getJsonArray("products").getJsonObject(0);
    p.put("price", 0).put("sizes", new JsonArray().add(40).add(200)).put("category", "Сукні").put("photos", "")
      .put("colors", "білий | рожевий").remove("description");

    Catalog.Product read = Catalog.fromJson(json).products().get(0);
    assertThat(read.price()).isZero();
    assertThat(read.sizes()).containsExactly(40, 200);
    assertThat(read.category()).isEqualTo("dresses");
    assertThat(read.photos()).isEmpty();
    assertThat(read.colors()).containsExactly("білий", "рожевий");
    assertThat(read.description()).isEmpty();
  }

  @Test
  void fileInvalidAtLoadNamesSettingPathAndProduct(@TempDir Path dir) throws Exception {
    JsonObject json = C.toJson();
    json.getJsonArray("products").getJsonObject(0).put("photos", new JsonArray().add("http://shop.example.com/a.jpg"));
    Path file = dir.resolve("catalog.json");
    Files.writeString(file, json.encode(), StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Catalog.load(file.toString())).isInstanceOf(IllegalStateException.class)
      .hasMessage("agent.catalog: invalid catalog '" + file + "': products[0] (id dress-01): photo "
        + "'http://shop.example.com/a.jpg' is not an https URL");
  }

  @Test
  void jsonStructureProblems() {
    assertJsonProblem(j -> j.put("products", new JsonArray()), "the catalog has no products");
    assertJsonProblem(j -> j.remove("products"), "the catalog has no products");
    assertJsonProblem(j -> j.getJsonArray("products").set(2, "dress"), "products[2]: must be an object");
    assertJsonProblem(j -> j.getJsonArray("categories").add(new JsonObject().put("id", "dresses").put("name", "X")),
      "categories[3] (id dresses): id 'dresses' is already used by categories[0]");
    assertJsonProblem(j -> j.getJsonArray("categories").add(new JsonObject().put("id", "hats")),
      "categories[3] (id hats): name is missing");
    assertJsonProblem(j -> j.getJsonArray("categories").add(new JsonObject().put("name", "Hats")),
      "categories[3]: id is missing");
    assertJsonProblem(j -> j.getJsonArray("categories").add("hats"),
      "categories[3]: must be an object with id and name");
    assertJsonProblem(j -> j.getJsonArray("categories").getJsonObject(0).put("keywords", new JsonArray().add("*")),
      "categories[0] (id dresses): keyword '*' needs at least two letters before the *");
    assertJsonProblem(j -> j.put("colors", new JsonArray().add(5)),
      "colors[0]: must be a colour name or an object with a name and keywords");
    assertJsonProblem(j -> j.put("colors", new JsonArray().add(new JsonObject().put("name", "білий")
        .put("keywords", new JsonArray().add("б*")))),
      "colors[0] (білий): keyword 'б*' needs at least two letters before the *");
  }

  @Test
  void categoriesThatAreNoListAreRefused() {
    JsonObject json = C.toJson().put("categories", new JsonObject());

    assertThatThrownBy(() -> Catalog.fromJson(json)).hasMessageStartingWith("categories must be a list; "
      + "products[0] (id dress-01): category 'dresses' is not one of the catalog's categories");
  }

  @Test
  void manyProblemsAreCountedNotAllListed() {
    JsonObject json = C.toJson();
    for (int i = 0; i < 7; i++) {
      json.getJsonArray("products").getJsonObject(i).put("price", "x");
    }

    assertThatThrownBy(() -> Catalog.fromJson(json)).hasMessageStartingWith(
        "products[0] (id dress-01): price 'x' is not a whole number; products[1] (id dress-02): price 'x'")
      .hasMessageEndingWith("products[4] (id dress-05): price 'x' is not a whole number; and 2 more");
    assertThat(CatalogJson.describe(List.of("a", "b", "c", "d", "e"))).isEqualTo("a; b; c; d; e");
  }

  @Test
  void jsonWithoutCategoriesTakesThemFromTheProducts() {
    JsonObject json = new JsonObject().put("products", new JsonArray()
      .add(new JsonObject().put("id", "a").put("name", "A").put("category", "Сукні").put("price", 1))
      .add(new JsonObject().put("id", "b").put("name", "B").put("category", "сукні").put("price", 2))
      .add(new JsonObject().put("id", "c").put("name", "C").put("category", "Костюми").put("price", 3)));

    Catalog c = Catalog.fromJson(json);
    assertThat(c.categories()).containsExactly(new Catalog.Category("sukni", "Сукні"),
      new Catalog.Category("kostiumy", "Костюми"));
    assertThat(c.products()).extracting(Catalog.Product::category).containsExactly("sukni", "sukni", "kostiumy");
  }

  @Test
  void listedColoursComeFirstThenTheProductsOthers() {
    JsonObject json = C.toJson().put("colors", new JsonArray().add("оливковий")
      .add(new JsonObject().put("name", "смугастий").put("keywords", new JsonArray().add("смугаст*").add("striped"))));

    Catalog c = Catalog.fromJson(json);
    assertThat(c.colorNames()).startsWith("оливковий", "смугастий", "білий", "рожевий").hasSize(13);
    assertThat(c.colorsIn("striped")).containsExactly("смугастий");
    assertThat(c.colorsIn("оливкового")).containsExactly("оливковий");
  }

  // --- CSV ---

  @Test
  void csvInAnyColumnOrderWithQuotesAndExtraColumns() {
    String csv = "\uFEFFPrice,Name,ID,Category,Colours,Sizes,Photos,sku,Description\r\n"
      + "1250,\"Сукня «Ромашка», літня\",dress-01,Сукні,білий | рожевий,98|104,"
      + "https://x.example/1.jpg|https://x.example/2.jpg,A-1,\"Легка, \"\"бавовняна\"\"\nсукня\"\r\n"
      + "\r\n"
      + "900,Костюм «Пірат»,suit-01,Костюми,,,,,\n";

    Catalog c = Catalog.fromCsv(csv);

    assertThat(c.products()).containsExactly(
      new Catalog.Product("dress-01", "Сукня «Ромашка», літня", "sukni", 1250, List.of(98, 104),
        List.of("білий", "рожевий"), List.of("https://x.example/1.jpg", "https://x.example/2.jpg"),
        "Легка, \"бавовняна\"\nсукня"),
      new Catalog.Product("suit-01", "Костюм «Пірат»", "kostiumy", 900, List.of(), List.of(), List.of(), ""));
    assertThat(c.categories()).containsExactly(new Catalog.Category("sukni", "Сукні"),
      new Catalog.Category("kostiumy", "Костюми"));
  }

  @Test
  void csvWithSemicolonsOrTabsAndOnlyTheRequiredColumns() {
    assertThat(Catalog.fromCsv("id;name;category;price\na;Сукня;Сукні;100\n").products().get(0).price())
      .isEqualTo(100);
    assertThat(Catalog.fromCsv("id\tname\tcategory\tprice\na\tСукня, біла\tСукні\t100").products().get(0).name())
      .isEqualTo("Сукня, біла");
    assertThat(Catalog.fromCsv("id,name,category,price\na,X,Y,1,,,\n").products()).hasSize(1);
  }

  @Test
  void csvWithShortRowsEmptyHeaderCellsAndOldLineBreaks() {
    Catalog c = Catalog.fromCsv("id,,name,,category,price,description\ra,x,A,y,Сукні,1\r");

    assertThat(c.products()).containsExactly(
      new Catalog.Product("a", "A", "sukni", 1, List.of(), List.of(), List.of(), ""));
    assertThat(CatalogCsv.records("a\"b,c")).containsExactly(List.of("a\"b", "c"));
  }

  @Test
  void jsonListsDropBlankValuesAndBlankColoursAreRefused() {
    JsonObject json = C.toJson();
    json.getJsonArray("products").getJsonObject(0).put("colors", new JsonArray().add("білий").add(" ").addNull());
    assertThat(Catalog.fromJson(json).products().get(0).colors()).containsExactly("білий");

    assertJsonProblem(j -> j.put("colors", new JsonArray().add(" ")),
      "colors[0]: must be a colour name or an object with a name and keywords");
    assertJsonProblem(j -> j.put("colors", new JsonArray().add(new JsonObject().put("name", " "))),
      "colors[0]: must be a colour name or an object with a name and keywords");
  }

  @Test
  void jsonCategoryWithoutLettersKeepsItsName() {
    JsonObject json = new JsonObject().put("products", new JsonArray()
      .add(new JsonObject().put("id", "a").put("name", "A").put("category", "!!!").put("price", 1)));

    assertThat(Catalog.fromJson(json).categories()).containsExactly(new Catalog.Category("!!!", "!!!"));
  }

  @Test
  void csvCategoriesGetUniqueSlugs() {
    Catalog c = Catalog.fromCsv("id,name,category,price\n"
      + "a,A,Верхній одяг,1\nb,B,Верхній-одяг,1\nc,C,!!!,1\nd,D,ВЕРХНІЙ ОДЯГ,1\ne,E,Щось ґудзикове'є,1\n"
      + "f,F,Їжак Ёж Юла Эх Ы Ъ,1\n");

    assertThat(c.categories()).extracting(Catalog.Category::id)
      .containsExactly("verkhnii-odiah", "verkhnii-odiah-2", "category", "shchos-gudzykoveie", "izhak-iozh-iula-ekh-y");
    assertThat(c.products()).extracting(Catalog.Product::category)
      .containsExactly("verkhnii-odiah", "verkhnii-odiah-2", "category", "verkhnii-odiah", "shchos-gudzykoveie",
        "izhak-iozh-iula-ekh-y");
    assertThat(CatalogCsv.slug("Kids 2-5")).isEqualTo("kids-2-5");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '#', textBlock = """
    price abc      # dress-03,Сукня «Мальва»,Сукні,abc,104,,,            # row 4 (id dress-03): price 'abc' is not a whole number
    price negative # dress-03,Сукня «Мальва»,Сукні,-5,104,,,             # row 4 (id dress-03): price -5 is negative
    no id          # ,Сукня «Мальва»,Сукні,100,104,,,                     # row 4: id is missing
    no name        # dress-03,,Сукні,100,104,,,                           # row 4 (id dress-03): name is missing
    no category    # dress-03,Сукня,,100,104,,,                           # row 4 (id dress-03): category is missing
    no price       # dress-03,Сукня,Сукні,,104,,,                         # row 4 (id dress-03): price is missing
    size text      # dress-03,Сукня,Сукні,100,104|5 років,,,              # row 4 (id dress-03): size '5 років' is not a whole number
    size small     # dress-03,Сукня,Сукні,100,5,,,                        # row 4 (id dress-03): size 5 is not a child's height in cm (40–200)
    photo http     # dress-03,Сукня,Сукні,100,104,,http://x.example/a.jpg, # row 4 (id dress-03): photo 'http://x.example/a.jpg' is not an https URL
    duplicate id   # dress-01,Сукня,Сукні,100,104,,,                      # row 4 (id dress-01): id 'dress-01' is already used by row 2
    too many       # dress-03,Сукня, біла,Сукні,100,104,,,Опис             # row 4 (id dress-03): 9 values but the header has 8 columns (put a value that holds the separator in double quotes)
    """)
  void csvProblemNamesTheRow(String what, String row, String message) {
    String csv = HEADER + "dress-01,Сукня «Ромашка»,Сукні,1250,98,білий,https://x.example/1.jpg,\n"
      + "dress-02,Сукня «Веселка»,Сукні,1390,98,,,\n" + row + "\n";

    assertThatThrownBy(() -> Catalog.fromCsv(csv)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void csvErrorAtLoadNamesSettingPathAndRow(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("shop.csv");
    Files.writeString(file, HEADER + "a,A,Сукні,1,,,,\n\n\n\n\nb,B,Сукні,1x,,,,\n", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Catalog.load(file.toString()))
      .hasMessage("agent.catalog: invalid catalog '" + file + "': row 7 (id b): price '1x' is not a whole number");
  }

  @Test
  void csvStructureProblems() {
    assertThatThrownBy(() -> Catalog.fromCsv("")).hasMessageStartingWith("the file is empty; the first row must name "
      + "the columns (id, name, category, price, sizes, colors, photos, description)");
    assertThatThrownBy(() -> Catalog.fromCsv(" , \n")).hasMessageStartingWith("the file is empty");
    assertThatThrownBy(() -> Catalog.fromCsv("id,name,category\na,A,B\n")).hasMessage("row 1: the header has no "
      + "column 'price' (it must name the columns id, name, category, price and may name sizes, colors, photos, "
      + "description; it has 'id', 'name', 'category')");
    assertThatThrownBy(() -> Catalog.fromCsv("dress-01,Сукня,Сукні,100\n"))
      .hasMessageStartingWith("row 1: the header has no column 'id'");
    assertThatThrownBy(() -> Catalog.fromCsv("id,name,category,price,ID\n"))
      .hasMessage("row 1: the column 'id' appears twice");
    assertThatThrownBy(() -> Catalog.fromCsv(HEADER)).hasMessage("the catalog has no products");
    assertThatThrownBy(() -> Catalog.fromCsv(HEADER + "a,\"Сукня,Сукні,1\n"))
      .hasMessage("row 2: a value opened with \" is never closed");
  }

  @Test
  void csvRecordsKeepQuotedLineBreaksInOneRow() {
    assertThat(CatalogCsv.records("a,\"b\nc\"\r\nd,e")).containsExactly(List.of("a", "b\nc"), List.of("d", "e"));
    assertThat(CatalogCsv.records("a\n\nb\n")).containsExactly(List.of("a"), List.of(""), List.of("b"));
    assertThat(CatalogCsv.records("x;y;z,w\n")).containsExactly(List.of("x", "y", "z,w"));
    assertThat(CatalogCsv.records(" \"q\"\"\",r")).containsExactly(List.of("q\"", "r"));
    assertThat(CatalogCsv.list(" a | |b|")).containsExactly("a", "b");
  }

  private static void assertJsonProblem(Consumer<JsonObject> change, String message) {
    JsonObject json = C.toJson();
    change.accept(json);
    assertThatThrownBy(() -> Catalog.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
      .hasMessage(message);
  }
}
