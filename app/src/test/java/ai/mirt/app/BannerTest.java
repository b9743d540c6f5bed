package ai.mirt.app;

import ai.mirt.common.MirtConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BannerTest {

  @Test
  void defaultsShowDryRunOfflineMemoryAndTheWebhookUrl() {
    MirtConfig c = MirtConfig.fromJson(new JsonObject().put("manychat.verify-token", "hook").put("admin.token", "adm"));
    String text = String.join("\n", Banner.lines(c, 8000, true, true, null));
    assertThat(text).contains("push").contains("memory").contains("dry run").contains("offline")
      .contains("not clustered").contains("POST http://localhost:8000/webhooks/manychat")
      .contains("webhook token (generated").contains("hook").contains("admin token (generated").contains("adm");
  }

  @Test
  void liveSettingsShowTheirTargetsButNeverConfiguredSecrets() {
    MirtConfig c = MirtConfig.fromJson(new JsonObject()
      .put("manychat.api-key", "123:very-secret").put("manychat.verify-token", "configured-hook")
      .put("admin.token", "configured-admin").put("agent.openai-api-key", "sk-secret")
      .put("agent.openai-model", "gpt-4.1-mini").put("http.public-url", "https://mirt.shop.example/")
      .put("redis.url", "redis://:redis-pass@10.0.0.5:6379/1").put("redis.prefix", "shop:")
      .put("instance.id", "node-7"));
    List<String> lines = Banner.lines(c, 8000, false, false, null);
    String text = String.join("\n", lines);
    assertThat(text).contains("live, https://api.manychat.com").contains("LLM gpt-4.1-mini")
      .contains("POST https://mirt.shop.example/webhooks/manychat")
      .contains("state:     Redis redis://***@10.0.0.5:6379/1, keys under shop: (shared")
      .contains("instance:  node-7")
      .doesNotContain("redis-pass")
      .doesNotContain("very-secret").doesNotContain("configured-hook").doesNotContain("configured-admin")
      .doesNotContain("sk-secret");
  }

  @Test
  void theShopFilesAndWhereOrdersGoAreShownWithoutTheWebhooksSecretPath() {
    MirtConfig local = MirtConfig.fromJson(new JsonObject().put("manychat.verify-token", "hook").put("admin.token", "a"));
    MirtConfig posting = MirtConfig.fromJson(new JsonObject().put("manychat.verify-token", "hook").put("admin.token", "a")
      .put("orders.webhook-url", "https://crm.example.com:8443/hooks/secret-token?key=abc")
      .put("agent.budget-seconds", 30));

    String quiet = String.join("\n", Banner.lines(local, 8000, true, true, null));
    String posted = String.join("\n", Banner.lines(posting, 8000, true, true, null));

    assertThat(quiet).contains("shop:      catalog conf/catalog.json, texts conf/shop.yaml; turn budget 25 s, "
      + "60 messages a minute per customer")
      .contains("orders:    listed at http://localhost:8000/admin/orders (set ORDER_WEBHOOK_URL");
    assertThat(posted).contains("orders:    posted to https://crm.example.com:8443, listed at")
      .contains("turn budget 30 s").doesNotContain("secret-token").doesNotContain("key=abc");
  }

  @Test
  void theHoursTheTakeoverAndTheFollowUpsAreShown() {
    MirtConfig always = MirtConfig.fromJson(new JsonObject().put("manychat.verify-token", "hook").put("admin.token", "a"));
    MirtConfig shop = MirtConfig.fromJson(new JsonObject().put("manychat.verify-token", "hook").put("admin.token", "a")
      .put("schedule.mode", "inside-hours").put("schedule.hours", "mon-fri 09:00-18:00")
      .put("handover.pause-hours", 0.0).put("followup.after-hours", 0.0));
    MirtConfig nights = MirtConfig.fromJson(new JsonObject().put("manychat.verify-token", "hook").put("admin.token", "a")
      .put("schedule.mode", "outside-hours").put("schedule.timezone", "Europe/Warsaw")
      .put("followup.after-hours", 1.5));

    assertThat(String.join("\n", Banner.lines(always, 8000, true, true, null))).contains("hours:     answers around "
      + "the clock; after an escalation silent for 12 h; one follow-up after 3 h of silence");
    assertThat(String.join("\n", Banner.lines(shop, 8000, true, true, null))).contains("hours:     answers only in "
      + "mon-fri 09:00-18:00 (Europe/Kyiv); after an escalation silent until a manager resumes; no follow-ups");
    assertThat(String.join("\n", Banner.lines(nights, 8000, true, true, null))).contains("answers only outside "
      + "mon-fri 09:00-18:00, sat 10:00-16:00 (Europe/Warsaw)").contains("one follow-up after 1.5 h");
  }

  @Test
  void aClusteredAgentNodeNamesItsClusterAndVerticlesAndNoWebhook() {
    MirtConfig c = MirtConfig.fromJson(new JsonObject().put("manychat.verify-token", "hook").put("admin.token", "adm")
      .put("redis.url", "redis://127.0.0.1:6379").put("cluster.enabled", true).put("cluster.name", "shop")
      .put("cluster.members", "10.0.0.1,10.0.0.2").put("node.verticles", "agent"));
    String text = String.join("\n", Banner.lines(c, 8000, true, true, "[10.0.0.3]:5701, 3 member(s) now"));
    assertThat(text)
      .contains("cluster:   Hazelcast cluster shop, this node [10.0.0.3]:5701, 3 member(s) now, joining 10.0.0.1,10.0.0.2")
      .contains("verticles: agent (no webhook: this node serves only health and metrics)")
      .contains("agent:     offline")
      .contains("health:    http://localhost:8000/health")
      .doesNotContain("webhooks/manychat").doesNotContain("ManyChat:").doesNotContain("debounce:")
      .doesNotContain("mode:")
      .doesNotContain("webhook token").doesNotContain("admin token");
  }

  @Test
  void aWebhookNodeWithoutAgentShowsNoModel() {
    MirtConfig c = MirtConfig.fromJson(new JsonObject().put("manychat.verify-token", "hook").put("admin.token", "adm")
      .put("redis.url", "redis://127.0.0.1:6379").put("cluster.enabled", true)
      .put("node.verticles", "webhook,debounce,push"));
    String text = String.join("\n", Banner.lines(c, 8000, false, false, null));
    assertThat(text).contains("verticles: webhook, debounce, push\n").contains("POST http://localhost:8000/webhooks/manychat")
      .contains("ManyChat:  dry run").contains("debounce:  quiet").doesNotContain("agent:     ").contains("mode:      push")
      .contains("this node 127.0.0.1, joining 127.0.0.1");
  }

  @Test
  void responseModeShowsItsDeadlineAndWhereLateRepliesGo() {
    JsonObject base = new JsonObject().put("manychat.verify-token", "hook").put("admin.token", "adm")
      .put("manychat.push-mode", false).put("response-mode.deadline-seconds", 7.5);
    String keyless = String.join("\n", Banner.lines(MirtConfig.fromJson(base), 8000, false, false, null));
    String keyed = String.join("\n", Banner.lines(MirtConfig.fromJson(base.copy()
      .put("manychat.api-key", "123:very-secret")), 8000, false, false, null));

    assertThat(keyless).contains("mode:      response (answer the webhook request with the reply as a Dynamic Block, "
        + "within 7.5 s; later: the interim text, and the reply is dead-lettered (no MANYCHAT_API_KEY")
      .contains("ManyChat:  no API key: replies go out only as answers to webhook requests")
      .doesNotContain("push (acknowledge").doesNotContain("dry run");
    assertThat(keyed).contains("within 7.5 s; later: the interim text, and the reply follows through the ManyChat API")
      .contains("ManyChat:  live, https://api.manychat.com").doesNotContain("dead-lettered")
      .doesNotContain("very-secret");
  }
}
