package ai.mirt.agent;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogSourceTest {

  private static final String HEADER = "id,name,category,price,sizes,colors,photos,description\n";
  private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

  @TempDir
  Path dir;

  private final Logger logger = (Logger) LoggerFactory.getLogger(CatalogSource.class);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void listen() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void stopListening() {
    logger.detachAppender(log);
  }

  @Test
  void fileThatDidNotChangeIsNotReadAgain() throws Exception {
    Path file = write("shop.csv", HEADER + "a,Сукня «А»,Сукні,100,,,,\n", T0);
    CatalogSource source = CatalogSource.load(file.toString());
    Catalog first = source.current();

    assertThat(source.path()).isEqualTo(file.toString());
    assertThat(first.products()).extracting(Catalog.Product::id).containsExactly("a");
    assertThat(source.reloadIfChanged()).isFalse();
    assertThat(source.current()).isSameAs(first);
  }

  @Test
  void changedFileReplacesTheCatalogOnce() throws Exception {
    Path file = write("shop.csv", HEADER + "a,Сукня «А»,Сукні,100,,,,\n", T0);
    CatalogSource source = CatalogSource.load(file.toString());

    write("shop.csv", HEADER + "a,Сукня «А»,Сукні,100,,,,\nb,Костюм «Б»,Костюми,200,,,,\n", T0.plusSeconds(5));

    assertThat(source.reloadIfChanged()).isTrue();
    assertThat(source.current().products()).extracting(Catalog.Product::id).containsExactly("a", "b");
    assertThat(source.reloadIfChanged()).isFalse();
    assertThat(lines()).containsExactly("INFO agent.catalog: reloaded '" + file + "': 2 products in 2 categories");
  }

  @Test
  void newModificationTimeAloneIsAChange() throws Exception {
    Path file = write("shop.csv", HEADER + "a,Сукня «А»,Сукні,100,,,,\n", T0);
    CatalogSource source = CatalogSource.load(file.toString());

    write("shop.csv", HEADER + "a,Сукня «А»,Сукні,900,,,,\n", T0.plusSeconds(1));

    assertThat(source.reloadIfChanged()).isTrue();
    assertThat(source.current().products().get(0).price()).isEqualTo(900);
  }

  @Test
  void newSizeAloneIsAChange() throws Exception {
    Path file = write("shop.json", TestCatalog.CATALOG.toJson().encode(), T0);
    CatalogSource source = CatalogSource.load(file.toString());

    write("shop.json", TestCatalog.CATALOG.toJson().encodePrettily(), T0);

    assertThat(source.reloadIfChanged()).isTrue();
    assertThat(source.current()).isNotSameAs(TestCatalog.CATALOG);
    assertThat(source.current().products()).isEqualTo(TestCatalog.CATALOG.products());
  }

  @Test
  void invalidFileKeepsTheOldCatalogAndIsReportedOnce() throws Exception {
    Path file = write("shop.csv", HEADER + "a,Сукня «А»,Сукні,100,,,,\n", T0);
    CatalogSource source = CatalogSource.load(file.toString());
    Catalog before = source.current();

    write("shop.csv", HEADER + "a,Сукня «А»,Сукні,100,,,,\nb,Костюм «Б»,Костюми,abc,,,,\n", T0.plusSeconds(5));

    assertThat(source.reloadIfChanged()).isFalse();
    assertThat(source.reloadIfChanged()).isFalse();
    assertThat(source.current()).isSameAs(before);
    assertThat(lines()).containsExactly("ERROR agent.catalog: invalid catalog '" + file + "': row 3 (id b): "
      + "price 'abc' is not a whole number; the catalog loaded before stays in use");

    write("shop.csv", HEADER + "a,Сукня «А»,Сукні,100,,,,\nb,Костюм «Б»,Костюми,150,,,,\n", T0.plusSeconds(10));

    assertThat(source.reloadIfChanged()).isTrue();
    assertThat(source.current().product("b")).map(Catalog.Product::price).contains(150);
  }

  @Test
  void brokenFileFixedBackToTheLoadedVersionIsNotReadAgain() throws Exception {
    String text = HEADER + "a,Сукня «А»,Сукні,100,,,,\n";
    Path file = write("shop.csv", text, T0);
    CatalogSource source = CatalogSource.load(file.toString());
    Catalog before = source.current();

    write("shop.csv", text.replace("100", "1x0"), T0.plusSeconds(5));
    assertThat(source.reloadIfChanged()).isFalse();
    write("shop.csv", text, T0);

    assertThat(source.reloadIfChanged()).isFalse();
    assertThat(source.current()).isSameAs(before);
  }

  @Test
  void fileStillBeingWrittenIsReadAtTheNextCheck() throws Exception {
    String text = HEADER + "a,Сукня «А»,Сукні,100,,,,\n";
    Path file = write("shop.csv", text, T0);
    AtomicInteger loads = new AtomicInteger();
    CatalogSource source = CatalogSource.load(file.toString(), path -> {
      Catalog c = Catalog.load(path);
      if (loads.incrementAndGet() == 2) {
        rewrite(file, text + "b,Костюм «Б»,Костюми,200,,,,\n", T0.plusSeconds(10));
      }
      return c;
    });
    Catalog before = source.current();
    write("shop.csv", text.replace("100", "150"), T0.plusSeconds(5));

    assertThat(source.reloadIfChanged()).isFalse();
    assertThat(source.current()).isSameAs(before);
    assertThat(source.reloadIfChanged()).isTrue();
    assertThat(source.current().products()).extracting(Catalog.Product::id).containsExactly("a", "b");
    assertThat(loads).hasValue(3);
  }

  @Test
  void fileThatFailsWhileBeingWrittenIsNotReported() throws Exception {
    String text = HEADER + "a,Сукня «А»,Сукні,100,,,,\n";
    Path file = write("shop.csv", text, T0);
    AtomicInteger loads = new AtomicInteger();
    CatalogSource source = CatalogSource.load(file.toString(), path -> {
      if (loads.incrementAndGet() == 2) {
        rewrite(file, text.replace("100", "150"), T0.plusSeconds(10));
        throw new IllegalStateException("agent.catalog: half a file");
      }
      return Catalog.load(path);
    });
    write("shop.csv", text.replace("100", "1"), T0.plusSeconds(5));

    assertThat(source.reloadIfChanged()).isFalse();
    assertThat(lines()).isEmpty();
    assertThat(source.reloadIfChanged()).isTrue();
    assertThat(source.current().products().get(0).price()).isEqualTo(150);
  }

  @Test
  void deletedFileKeepsTheCatalog() throws Exception {
    Path file = write("shop.csv", HEADER + "a,Сукня «А»,Сукні,100,,,,\n", T0);
    CatalogSource source = CatalogSource.load(file.toString());
    Catalog before = source.current();

    Files.delete(file);

    assertThat(source.reloadIfChanged()).isFalse();
    assertThat(source.current()).isSameAs(before);
    assertThat(lines()).isEmpty();
  }

  @Test
  void fixedSourceNeverReloads() {
    CatalogSource source = CatalogSource.of(TestCatalog.CATALOG);

    assertThat(source.path()).isNull();
    assertThat(source.current()).isSameAs(TestCatalog.CATALOG);
    assertThat(source.reloadIfChanged()).isFalse();
  }

  @Test
  void invalidFileAtStartIsAnError() throws Exception {
    Path file = write("shop.csv", HEADER, T0);

    assertThatThrownBy(() -> CatalogSource.load(file.toString()))
      .hasMessage("agent.catalog: invalid catalog '" + file + "': the catalog has no products");
  }

  @Test
  void stampOfAMissingFileOrADirectoryIsMissing() throws Exception {
    Path file = write("shop.csv", "x", T0);

    assertThat(CatalogSource.stamp(file.toString())).isEqualTo(new CatalogSource.Stamp(FileTime.from(T0), 1));
    assertThat(CatalogSource.stamp(dir.resolve("absent.csv").toString())).isEqualTo(CatalogSource.MISSING);
    assertThat(CatalogSource.stamp(dir.toString())).isEqualTo(CatalogSource.MISSING);
    assertThat(CatalogSource.stamp(null)).isEqualTo(CatalogSource.MISSING);
    assertThat(CatalogSource.stamp(" ")).isEqualTo(CatalogSource.MISSING);
    assertThat(CatalogSource.stamp("\u0000")).isEqualTo(CatalogSource.MISSING);
  }

  private Path write(String name, String text, Instant modified) throws Exception {
    Path file = dir.resolve(name);
    rewrite(file, text, modified);
    return file;
  }

  private static void rewrite(Path file, String text, Instant modified) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      Files.setLastModifiedTime(file, FileTime.from(modified));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> lines() {
    synchronized (log) {
      return log.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }
  }
}
