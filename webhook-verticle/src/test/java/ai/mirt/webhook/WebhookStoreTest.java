package ai.mirt.webhook;

import ai.mirt.common.MirtConfig;
import ai.mirt.state.Stores;
import ai.mirt.state.TurnStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.Proxy;

import static org.assertj.core.api.Assertions.assertThat;

/** A webhook on a node that runs debounce: it writes each message to the debounce's store itself. */
@ExtendWith(VertxExtension.class)
class WebhookStoreTest {

  private static final String TOKEN = "s3cret-webhook";
  private static final JsonObject CFG = MirtConfig.fromJson(new JsonObject().put("http.port", 0)
    .put("http.host", "127.0.0.1").put("manychat.verify-token", TOKEN).put("admin.token", "s3cret-admin")).toJson();

  private Future<Integer> deploy(Vertx vertx, TurnStore store) {
    WebhookVerticle verticle = new WebhookVerticle(store);
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(CFG)).map(id -> verticle.actualPort());
  }

  private static Future<HttpResponse<Buffer>> post(Vertx vertx, int port, String sub, String text, String mid) {
    JsonObject body = new JsonObject().put("subscriber", new JsonObject().put("id", sub))
      .put("message", new JsonObject().put("text", text).put("mid", mid));
    return WebClient.create(vertx).post(port, "127.0.0.1", WebhookVerticle.WEBHOOK_PATH)
      .putHeader("Content-Type", "application/json").putHeader("X-ManyChat-Token", TOKEN)
      .sendBuffer(body.toBuffer());
  }

  @Test
  void aStoredMessageIsInTheStoreBeforeItsAnswer(Vertx vertx, VertxTestContext ctx) {
    TurnStore store = Stores.memory(MirtConfig.fromJson(CFG)).turns();
    deploy(vertx, store)
      .compose(port -> post(vertx, port, "41", "Привіт", "m-1")
        .compose(first -> {
          ctx.verify(() -> {
            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(first.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "accepted"));
          });
          return store.pending("41");
        })
        .compose(pending -> {
          ctx.verify(() -> assertThat(pending).extracting(m -> m.text()).containsExactly("Привіт"));
          return post(vertx, port, "41", "Привіт", "m-1");
        }))
      .compose(again -> {
        ctx.verify(() -> {
          assertThat(again.statusCode()).isEqualTo(202);
          assertThat(again.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
        });
        return store.stats();
      })
      .onComplete(ctx.succeeding(stats -> ctx.verify(() -> {
        assertThat(stats.pendingMessages()).as("the duplicate is not stored twice").isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void aStoreThatFailsIsA503AndNothingIsAccepted(Vertx vertx, VertxTestContext ctx) {
    TurnStore down = (TurnStore) Proxy.newProxyInstance(TurnStore.class.getClassLoader(),
      new Class<?>[] {TurnStore.class}, (proxy, method, args) -> Future.failedFuture("Redis is unreachable"));
    deploy(vertx, down)
      .compose(port -> post(vertx, port, "42", "Привіт", "m-2"))
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "storage unavailable"));
        ctx.completeNow();
      })));
  }
}
