package ai.mirt.agent;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogTest {

  @Test
  void demoCatalogHasThreeCategoriesAndHttpsPhotos() {
    Catalog c = TestCatalog.CATALOG;

    assertThat(c.categoryNames()).containsExactly("Сукні", "Костюми", "Тренчі");
    assertThat(c.products()).hasSizeGreaterThanOrEqualTo(12);
    assertThat(c.products()).allSatisfy(p -> {
      assertThat(p.photos()).isNotEmpty().allMatch(u -> u.startsWith("https://shop.example.com/"));
      assertThat(c.category(p.category())).isPresent();
      assertThat(p.sizes()).isNotEmpty();
    });
  }

  @Test
  void sizeIsTheSmallestNotBelowTheHeight() {
    Catalog.Product romashka = TestCatalog.CATALOG.product("dress-01").orElseThrow();

    assertThat(romashka.sizeFor(116)).hasValue(116);
    assertThat(romashka.sizeFor(111)).hasValue(116);
    assertThat(romashka.sizeFor(80)).hasValue(98);
    assertThat(romashka.sizeFor(150)).hasValue(128);
  }

  @Test
  void missingFileWithoutBuiltInCatalogNamesTheSetting(@TempDir Path dir) {
    String path = dir.resolve("absent.json").toString();

    assertThatThrownBy(() -> Catalog.load(path)).hasMessageContaining("agent.catalog").hasMessageContaining(path);
  }

  @Test
  void plainHttpPhotoIsRejected(@TempDir Path dir) throws Exception {
    JsonObject json = TestCatalog.CATALOG.toJson();
    json.getJsonArray("products").getJsonObject(0).put("photos", new JsonArray()
      .add("http://shop.example.com/a.jpg"));
    Path file = dir.resolve("catalog.json");
    Files.writeString(file, json.encode(), StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Catalog.load(file.toString())).hasMessageContaining("agent.catalog")
      .hasMessageContaining("https");
  }

  @Test
  void catalogSurvivesJsonRoundTrip() {
    Catalog again = Catalog.fromJson(TestCatalog.CATALOG.toJson());

    assertThat(again.products()).isEqualTo(TestCatalog.CATALOG.products());
    assertThat(again.categories()).isEqualTo(TestCatalog.CATALOG.categories());
  }
}
