package ai.mirt.agent.eval;

import ai.mirt.agent.Assistant;
import ai.mirt.agent.CatalogSource;
import ai.mirt.agent.SalesGraph;
import ai.mirt.agent.Shop;
import ai.mirt.agent.Writer;
import ai.mirt.common.MirtConfig;

/** The assistants the eval tests talk to, built from the repository's {@code conf/}. */
final class Assistants {

  static final String CONF = "../conf/";

  private Assistants() {
  }

  /** The shipped offline assistant, built exactly as the service builds it from its settings. */
  static Assistant offline() throws Exception {
    return Assistant.create(config().agent());
  }

  /**
   * The real graph, shop and catalog with {@code writer} answering every node: the runner's own tests must not change
   * when the offline assistant learns to answer better.
   */
  static Assistant writing(Writer writer) throws Exception {
    Shop shop = Shop.load(CONF + "shop.yaml");
    CatalogSource catalog = CatalogSource.load(CONF + "catalog.json");
    SalesGraph graph = new SalesGraph(catalog::current, shop, writer, writer, 20, true);
    return new Assistant(graph, shop, catalog, 20, writer);
  }

  static MirtConfig config() {
    return MirtConfig.fromJson(MirtConfig.defaults()
      .put("agent.catalog", CONF + "catalog.json")
      .put("agent.shop", CONF + "shop.yaml")
      .put("agent.prompts", CONF + "prompts.yaml")
      .put("agent.openai-api-key", "")
      .put("agent.openai-base-url", ""));
  }
}
