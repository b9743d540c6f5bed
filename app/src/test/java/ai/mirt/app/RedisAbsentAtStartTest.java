package ai.mirt.app;

import ai.mirt.common.MirtConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis configured but not answering when Mirt starts: Mirt starts anyway (it recovers when Redis comes), refuses
 * every message with 503 instead of keeping it in memory, and says so in /health.
 */
@ExtendWith(VertxExtension.class)
class RedisAbsentAtStartTest {

  @Test
  void mirtStartsButAcceptsNothingUntilRedisAnswers(VertxTestContext ctx) throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    MirtConfig cfg = MirtConfig.fromJson(PipelineTest.config("https://api.manychat.com", "", null).toJson()
      .put("redis.url", "redis://127.0.0.1:" + closedPort + "/0"));
    Vertx testVertx = Vertx.vertx();
    WebClient client = WebClient.create(testVertx);
    JsonObject body = new JsonObject().put("subscriber", new JsonObject().put("id", 42))
      .put("message", new JsonObject().put("text", "Привіт"));
    MirtApp.start(MirtApp.newVertx(), cfg).compose(app -> client.post(app.port(), "127.0.0.1", "/webhooks/manychat")
        .putHeader("X-ManyChat-Token", PipelineTest.TOKEN).putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer())
        .compose(posted -> client.get(app.port(), "127.0.0.1", "/health").send()
          .map(health -> new Object[] {app, posted, health})))
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        MirtApp app = (MirtApp) r[0];
        var posted = (io.vertx.ext.web.client.HttpResponse<?>) r[1];
        var health = (io.vertx.ext.web.client.HttpResponse<?>) r[2];
        assertThat(app.stores().kind()).isEqualTo("redis");
        assertThat(posted.statusCode()).isEqualTo(503);
        assertThat(posted.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "storage unavailable"));
        assertThat(health.statusCode()).isEqualTo(503);
        JsonObject debounce = health.bodyAsJsonObject().getJsonObject("components").getJsonObject("debounce");
        assertThat(debounce.getString("status")).isEqualTo("DOWN");
        assertThat(debounce.getString("error")).startsWith("storage unavailable");
        app.vertx().close().compose(v -> testVertx.close()).onComplete(ctx.succeedingThenComplete());
      })));
  }
}
