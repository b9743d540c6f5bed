package ai.mirt.webhook;

import ai.mirt.common.Addresses;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.MirtConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that runs only some verticles: it serves health and metrics whatever it runs, webhooks and admin only with
 * the webhook, and its health names the roles that no node answers for. The other nodes of the cluster are stood in
 * for by presence consumers on this event bus.
 */
@ExtendWith(VertxExtension.class)
class StatusVerticleTest {

  private Vertx vertx;

  /** Built as Mirt builds it, with Micrometer and Prometheus, so that /metrics answers. */
  @BeforeEach
  void start() {
    vertx = Vertx.builder()
      .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)).setEnabled(true)))
      .withMetrics(new MicrometerMetricsFactory()).build();
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject config(String verticles) {
    return MirtConfig.fromJson(new JsonObject().put("http.port", 0).put("http.host", "127.0.0.1")
      .put("manychat.verify-token", "t").put("admin.token", "a").put("instance.id", "node-7")
      .put("node.verticles", verticles).put("cluster.enabled", true).put("redis.url", "redis://127.0.0.1:6379"))
      .toJson();
  }

  private static Future<Integer> deployStatus(Vertx vertx, String verticles) {
    StatusVerticle v = new StatusVerticle();
    return vertx.deployVerticle(v, new DeploymentOptions().setConfig(config(verticles))).map(id -> v.actualPort());
  }

  private static MessageConsumer<JsonObject> present(Vertx vertx, String role) {
    return vertx.eventBus().consumer(Addresses.role(role), m -> m.reply(new JsonObject().put("instance", "other")));
  }

  private static void agentHealth(Vertx vertx, boolean up) {
    vertx.eventBus().<JsonObject>localConsumer(Addresses.HEALTH_AGENT,
      m -> m.reply(new ComponentHealth(up, new JsonObject().put("model", "offline").put("active", 0)).toJson()));
  }

  @Test
  void anAgentNodeServesHealthAndMetricsButNoWebhook(VertxTestContext ctx) {
    WebClient client = WebClient.create(vertx);
    agentHealth(vertx, true);
    present(vertx, "webhook");
    present(vertx, "debounce");
    present(vertx, "push");
    deployStatus(vertx, "agent")
      .compose(port -> client.post(port, "127.0.0.1", WebhookVerticle.WEBHOOK_PATH)
        .putHeader("X-ManyChat-Token", "t").putHeader("Content-Type", "application/json")
        .sendJsonObject(new JsonObject().put("subscriber", new JsonObject().put("id", "1")))
        .compose(hook -> client.get(port, "127.0.0.1", "/admin/outbox").bearerTokenAuthentication("a").send()
          .compose(admin -> client.get(port, "127.0.0.1", "/health").send()
            .compose(health -> client.get(port, "127.0.0.1", "/metrics").send()
              .map(metrics -> new HttpResponse<?>[] {hook, admin, health, metrics})))))
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r[0].statusCode()).isEqualTo(404);
        assertThat(r[0].getHeader("Content-Type")).startsWith("application/json");
        assertThat(((HttpResponse<Buffer>) r[0]).bodyAsJsonObject().getString("error"))
          .contains("no such endpoint").contains(WebhookVerticle.WEBHOOK_PATH);
        assertThat(r[1].statusCode()).isEqualTo(404);
        assertThat(r[2].statusCode()).isEqualTo(200);
        JsonObject health = ((HttpResponse<Buffer>) r[2]).bodyAsJsonObject();
        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getString("instance")).isEqualTo("node-7");
        assertThat(health.getJsonArray("verticles")).isEqualTo(new JsonArray().add("agent"));
        assertThat(health.getJsonObject("cluster")).isEqualTo(new JsonObject().put("enabled", true)
          .put("missing", new JsonArray()));
        assertThat(health.getJsonObject("components").fieldNames()).containsExactly("agent");
        assertThat(health.getJsonObject("components").getJsonObject("agent").getString("model")).isEqualTo("offline");
        assertThat(r[3].statusCode()).isEqualTo(200);
        assertThat(((HttpResponse<Buffer>) r[3]).bodyAsString()).contains("vertx_eventbus_handlers");
        ctx.completeNow();
      })));
  }

  @Test
  void healthNamesTheRolesNoNodeRunsWithoutFailing(VertxTestContext ctx) {
    WebClient client = WebClient.create(vertx);
    agentHealth(vertx, true);
    present(vertx, "debounce");
    deployStatus(vertx, "agent")
      .compose(port -> client.get(port, "127.0.0.1", "/health").send())
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.statusCode()).as("a missing role elsewhere does not make this node unhealthy").isEqualTo(200);
        assertThat(r.bodyAsJsonObject().getJsonObject("cluster").getJsonArray("missing"))
          .isEqualTo(new JsonArray().add("webhook").add("push"));
        ctx.completeNow();
      })));
  }

  @Test
  void aWebhookWithNoDebounceAnywhereAnswers503NamingIt(VertxTestContext ctx) {
    WebClient client = WebClient.create(vertx);
    WebhookVerticle webhook = new WebhookVerticle();
    vertx.deployVerticle(webhook, new DeploymentOptions().setConfig(config("webhook")))
      .compose(id -> client.post(webhook.actualPort(), "127.0.0.1", WebhookVerticle.WEBHOOK_PATH)
        .putHeader("X-ManyChat-Token", "t").putHeader("Content-Type", "application/json")
        .sendJsonObject(new JsonObject().put("subscriber", new JsonObject().put("id", "1"))
          .put("message", new JsonObject().put("text", "Привіт"))))
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("storage unavailable: no node runs debounce");
        ctx.completeNow();
      })));
  }

  @Test
  void healthIs503WhenAVerticleOfThisNodeIsDown(VertxTestContext ctx) {
    WebClient client = WebClient.create(vertx);
    agentHealth(vertx, false);
    deployStatus(vertx, "agent")
      .compose(port -> client.get(port, "127.0.0.1", "/health").send())
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
        ctx.completeNow();
      })));
  }

  @Test
  void aVerticleOfThisNodeThatDoesNotAnswerIsDown(VertxTestContext ctx) {
    WebClient client = WebClient.create(vertx);
    // No push health consumer at all: the push verticle of this node is not running.
    deployStatus(vertx, "push")
      .compose(port -> client.get(port, "127.0.0.1", "/health").send())
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.statusCode()).isEqualTo(503);
        JsonObject push = r.bodyAsJsonObject().getJsonObject("components").getJsonObject("push");
        assertThat(push.getString("status")).isEqualTo("DOWN");
        assertThat(push.getString("error")).isNotBlank();
        ctx.completeNow();
      })));
  }
}
