package ai.mirt.app;

import ai.mirt.common.MirtConfig;

import java.util.ArrayList;
import java.util.List;

/** The startup banner: what mode Mirt runs in and where to reach it. Never shows a configured secret. */
final class Banner {

  private Banner() {
  }

  /** @param cluster how this node sits in its cluster (address, members); {@code null} when not clustered */
  static List<String> lines(MirtConfig cfg, int port, boolean verifyGenerated, boolean adminGenerated,
                            String cluster) {
    String base = cfg.http().publicUrl().isBlank() ? "http://localhost:" + port
      : cfg.http().publicUrl().replaceAll("/+$", "");
    List<String> out = new ArrayList<>();
    out.add("Mirt is running");
    if (cfg.node().runs("webhook")) {
      out.add("  mode:      " + (cfg.manychat().pushMode()
        ? "push (acknowledge at once, reply through the ManyChat API)" : "response"));
    }
    out.add("  state:     " + (cfg.state().redis()
      ? "Redis " + MirtApp.redactedRedisUrl(cfg.state().redisUrl()) + ", keys under " + cfg.state().redisPrefix()
        + " (shared: survives restarts, serves many instances)"
      : "memory (single instance; buffered messages live in this process)"));
    out.add("  instance:  " + cfg.state().instanceId());
    if (cfg.node().runs("push")) {
      out.add("  ManyChat:  " + (cfg.manychat().dryRun()
        ? "dry run (no MANYCHAT_API_KEY: replies go to the log and GET " + base + "/admin/outbox)"
        : "live, " + cfg.manychat().apiUrl() + " (at most " + cfg.push().rateSendContent() + " sendContent and "
          + cfg.push().rateSubscriber() + " field/tag calls a second; replies retried for "
          + cfg.push().maxAgeSeconds() + " s)"));
    }
    if (cfg.node().runs("agent")) {
      out.add("  agent:     " + (cfg.agent().llm()
        ? "LLM " + cfg.agent().openaiModel() + " at "
          + (cfg.agent().openaiBaseUrl().isBlank() ? "https://api.openai.com/v1" : cfg.agent().openaiBaseUrl())
        : "offline (the built-in assistant answers in Ukrainian; set OPENAI_API_KEY for an LLM)"));
      out.add("  shop:      catalog " + cfg.agent().catalog() + ", texts " + cfg.agent().shop() + "; turn budget "
        + cfg.agent().budgetSeconds() + " s, " + cfg.agent().limitPerMinute() + " messages a minute per customer");
    }
    if (cfg.node().runs("push")) {
      out.add("  orders:    " + (cfg.orders().post()
        ? "posted to " + origin(cfg.orders().webhookUrl()) + ", listed at " + base + "/admin/orders"
        : "listed at " + base + "/admin/orders (set ORDER_WEBHOOK_URL to post them to a CRM)"));
    }
    out.add("  cluster:   " + (cfg.cluster().enabled()
      ? "Hazelcast cluster " + cfg.cluster().name() + ", this node " + (cluster == null ? cfg.cluster().host() : cluster)
        + ", joining " + cfg.cluster().members()
      : "not clustered"));
    out.add("  verticles: " + String.join(", ", cfg.node().verticles())
      + (cfg.node().runs("webhook") ? "" : " (no webhook: this node serves only health and metrics)"));
    if (cfg.node().runs("debounce")) {
      out.add("  debounce:  quiet " + cfg.debounce().quietSeconds() + " s, max wait " + cfg.debounce().maxWaitSeconds()
        + " s");
    }
    if (cfg.node().runs("webhook")) {
      out.add("  webhook:   POST " + base + "/webhooks/manychat");
    }
    out.add("  health:    " + base + "/health   metrics: " + base + "/metrics");
    if (verifyGenerated && cfg.node().runs("webhook")) {
      out.add("  webhook token (generated for this run; set MANYCHAT_VERIFY_TOKEN to fix it): "
        + cfg.manychat().verifyToken());
    }
    if (adminGenerated && cfg.node().runs("webhook")) {
      out.add("  admin token (generated for this run; set ADMIN_TOKEN to fix it): " + cfg.admin().token());
    }
    return out;
  }

  /** Scheme, host and port of a URL: its path or query may hold a token, which is never printed. */
  static String origin(String url) {
    try {
      java.net.URI u = java.net.URI.create(url);
      return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    } catch (IllegalArgumentException e) {
      return "(the configured URL)";
    }
  }
}
