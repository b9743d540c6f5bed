package ai.mirt.agent;

/** The demo catalog every test reads, from the repository's {@code conf/}. */
final class TestCatalog {

  static final String PATH = "../conf/catalog.json";

  static final Catalog CATALOG = Catalog.load(PATH);

  private TestCatalog() {
  }
}
