package ai.mirt.app;

import ai.mirt.agent.Catalog;
import ai.mirt.common.Setting;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The app carries conf/ on its classpath, so the jar runs with the demo catalog from any directory. */
class PackagedCatalogTest {

  @Test
  void defaultPathFallsBackToThePackagedDemoCatalog() {
    String defaultPath = Setting.byPath("agent.catalog").orElseThrow().defaultValue();
    assertThat(Files.exists(Path.of(defaultPath))).as("no catalog file relative to the app module").isFalse();
    assertThat(Catalog.load(defaultPath).products()).hasSize(12);
  }

  @Test
  void explicitPathThatDoesNotExistIsAnErrorNotTheDemo() {
    assertThatThrownBy(() -> Catalog.load("shop/my-catalog.json"))
      .hasMessageContaining("agent.catalog").hasMessageContaining("shop/my-catalog.json");
  }
}
