package ai.mirt.app;

import ai.mirt.common.MirtConfig;

import java.util.ArrayList;
import java.util.List;

/** The startup banner: what mode Mirt runs in and where to reach it. Never shows a configured secret. */
final class Banner {

  private Banner() {
  }

  private static String hours(MirtConfig.Schedule s) {
    return switch (s.mode().trim()) {
      case "inside-hours" -> "answers only in " + s.hours().trim() + " (" + s.timezone().trim() + ")";
      case "outside-hours" -> "answers only outside " + s.hours().trim() + " (" + s.timezone().trim() + ")";
      default -> "answers around the clock";
    };
  }

  /** 12.0 as 12, 0.5 as 0.5. */
  private static String number(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
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
        ? "push (acknowledge at once, reply through the ManyChat API)"
        : "response (answer the webhook request with the reply as a Dynamic Block, within "
          + cfg.responseMode().deadlineSeconds() + " s; later: the interim text, and the reply "
          + (cfg.manychat().dryRun() ? "is dead-lettered (no MANYCHAT_API_KEY to push it)"
            : "follows through the ManyChat API") + ")"));
    }
    out.add("  state:     " + (cfg.state().redis()
      ? "Redis " + MirtApp.redactedRedisUrl(cfg.state().redisUrl()) + ", keys under " + cfg.state().redisPrefix()
        + " (shared: survives restarts, serves many instances)"
      : "memory (single instance; buffered messages live in this process)"));
    out.add("  instance:  " + cfg.state().instanceId());
    if (cfg.node().runs("push")) {
      out.add("  ManyChat:  " + (cfg.manychat().dryRun() && !cfg.manychat().pushMode()
        ? "no API key: replies go out only as answers to webhook requests; the rest goes to the log and GET " + base
          + "/admin/outbox"
        : cfg.manychat().dryRun()
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
      out.add("  hours:     " + hours(cfg.schedule()) + "; after an escalation silent "
        + (cfg.handover().pauseMs() == 0 ? "until a manager resumes" : "for " + number(cfg.handover().pauseHours()) + " h")
        + "; " + (cfg.followUp().enabled() ? "one follow-up after " + number(cfg.followUp().afterHours()) + " h of silence"
          : "no follow-ups"));
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
