package ai.mirt.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.function.Function;

/**
 * The catalog as loaded now. A shop edits its export while the assistant runs: {@link #reloadIfChanged} (called from
 * a periodic timer) picks the new file up when its modification time or size changed, and a file that does not load
 * leaves the old catalog answering, so a half-edited spreadsheet never takes the shop down. Readers get the current
 * catalog without locking; one catalog serves a whole turn.
 */
public final class CatalogSource {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogSource.class);

  /** What identifies one version of the file; {@link #MISSING} while there is no file. */
  record Stamp(FileTime modified, long size) {
  }

  static final Stamp MISSING = new Stamp(FileTime.fromMillis(0), -1);

  private final String path;
  private final Function<String, Catalog> loader;
  private volatile Catalog current;
  /** The version {@link #current} was read from. */
  private Stamp loaded;
  /** The version last refused, so a broken file is reported once, not at every check. */
  private Stamp refused;

  private CatalogSource(String path, Function<String, Catalog> loader, Catalog catalog, Stamp loaded) {
    this.path = path;
    this.loader = loader;
    this.current = catalog;
    this.loaded = loaded;
  }

  /** @throws IllegalStateException naming {@code agent.catalog} when the file is missing or invalid */
  public static CatalogSource load(String path) {
    return load(path, Catalog::load);
  }

  /** The catalog at {@code path} as {@code loader} reads it ({@link Catalog#load} but in tests). */
  static CatalogSource load(String path, Function<String, Catalog> loader) {
    Stamp before = stamp(path);
    return new CatalogSource(path, loader, loader.apply(path), before);
  }

  /** A source that never changes, for tests and tools. */
  public static CatalogSource of(Catalog catalog) {
    return new CatalogSource(null, p -> catalog, catalog, MISSING);
  }

  public Catalog current() {
    return current;
  }

  /** The file the catalog comes from; {@code null} for {@link #of}. */
  public String path() {
    return path;
  }

  /**
   * Reads the file again when its modification time or size changed since it was read. A file that does not load
   * keeps the current catalog and is reported once as an ERROR naming the row; a file that disappears keeps it too.
   *
   * @return whether the catalog was replaced
   */
  public synchronized boolean reloadIfChanged() {
    if (path == null) {
      return false;
    }
    Stamp now = stamp(path);
    if (now.equals(loaded) || now.equals(MISSING) || now.equals(refused)) {
      return false;
    }
    try {
      Catalog next = loader.apply(path);
      if (!now.equals(stamp(path))) {
        // Still being written: the next check reads the finished file.
        return false;
      }
      current = next;
      loaded = now;
      refused = null;
      LOG.info("agent.catalog: reloaded '{}': {} products in {} categories", path, next.products().size(),
        next.categories().size());
      return true;
    } catch (RuntimeException e) {
      if (now.equals(stamp(path))) {
        refused = now;
        LOG.error("{}; the catalog loaded before stays in use", e.getMessage());
      }
      return false;
    }
  }

  static Stamp stamp(String path) {
    if (path == null || path.isBlank()) {
      return MISSING;
    }
    try {
      BasicFileAttributes a = Files.readAttributes(Path.of(path), BasicFileAttributes.class);
      return a.isRegularFile() ? new Stamp(a.lastModifiedTime(), a.size()) : MISSING;
    } catch (IOException | RuntimeException e) {
      return MISSING;
    }
  }
}
