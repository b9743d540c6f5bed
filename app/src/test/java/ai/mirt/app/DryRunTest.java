package ai.mirt.app;

import ai.mirt.common.MirtConfig;
import ai.mirt.testkit.ManyChatValidator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick start: no ManyChat key and no LLM key. Replies come from the built-in offline model and land in the
 * outbox view instead of ManyChat.
 */
@ExtendWith(VertxExtension.class)
class DryRunTest {

  private Vertx testVertx;
  private MirtApp app;
  private WebClient client;

  @BeforeEach
  void start(VertxTestContext ctx) {
    testVertx = Vertx.vertx();
    client = WebClient.create(testVertx);
    MirtConfig cfg = MirtConfig.fromJson(PipelineTest.config("https://api.manychat.com", "", null).toJson());
    MirtApp.start(MirtApp.newVertx(), cfg).onComplete(ctx.succeeding(a -> {
      app = a;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    app.vertx().close().compose(v -> testVertx.close()).onComplete(ctx.succeedingThenComplete());
  }

  private io.vertx.core.Future<JsonArray> outbox() {
    return client.get(app.port(), "127.0.0.1", "/admin/outbox")
      .putHeader("Authorization", "Bearer " + PipelineTest.ADMIN).send()
      .map(r -> {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.bodyAsJsonObject().getBoolean("dryRun")).isTrue();
        return r.bodyAsJsonObject().getJsonArray("payloads");
      });
  }

  @Test
  void offlineReplyAboutDressesAppearsInTheOutbox(VertxTestContext ctx) throws Exception {
    JsonObject catalog = new JsonObject(Files.readString(Path.of("..", "conf", "catalog.json")));
    JsonObject body = new JsonObject().put("subscriber", new JsonObject().put("id", 777))
      .put("message", new JsonObject().put("text", "Добрий день! Які у вас є сукні?"));
    client.post(app.port(), "127.0.0.1", "/webhooks/manychat").putHeader("X-ManyChat-Token", PipelineTest.TOKEN)
      .putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer())
      .compose(r -> {
        assertThat(r.statusCode()).isEqualTo(202);
        return pollOutbox(1, System.currentTimeMillis() + 10_000);
      })
      .onComplete(ctx.succeeding(payloads -> ctx.verify(() -> {
        JsonObject entry = payloads.getJsonObject(0);
        assertThat(entry.getString("subscriberId")).isEqualTo("777");
        JsonArray calls = entry.getJsonArray("calls");
        assertThat(calls).isNotEmpty();
        ManyChatValidator validator = ManyChatValidator.load();
        StringBuilder texts = new StringBuilder();
        StringBuilder images = new StringBuilder();
        for (int i = 0; i < calls.size(); i++) {
          JsonObject call = calls.getJsonObject(i);
          validator.assertValid(call.getString("path"), call.getJsonObject("body"));
          JsonObject content = call.getJsonObject("body").getJsonObject("data", new JsonObject())
            .getJsonObject("content", new JsonObject());
          for (Object o : content.getJsonArray("messages", new JsonArray())) {
            JsonObject m = (JsonObject) o;
            if ("text".equals(m.getString("type"))) {
              texts.append(m.getString("text")).append('\n');
            } else {
              images.append(m.getString("url")).append('\n');
            }
          }
        }
        // The offline model names a dress from the catalog, with its price, and shows its photo.
        boolean namesADress = false;
        for (Object o : catalog.getJsonArray("products")) {
          JsonObject p = (JsonObject) o;
          if ("dresses".equals(p.getString("category")) && texts.toString().contains(p.getString("name"))) {
            namesADress = true;
            assertThat(texts.toString()).contains(String.valueOf(p.getInteger("price")));
            assertThat(images.toString()).contains(p.getJsonArray("photos").getString(0));
          }
        }
        assertThat(namesADress).as("reply names a dress: %s", texts).isTrue();
        assertThat(texts.toString()).containsPattern("[іїєґІЇЄҐ]");
        ctx.completeNow();
      })));
  }

  /** Asks the outbox every 50 ms until it holds {@code n} payloads or the deadline passes. */
  private io.vertx.core.Future<JsonArray> pollOutbox(int n, long deadline) {
    return outbox().compose(p -> {
      if (p.size() >= n) {
        return io.vertx.core.Future.succeededFuture(p);
      }
      if (System.currentTimeMillis() > deadline) {
        return io.vertx.core.Future.failedFuture(new AssertionError("outbox stayed empty"));
      }
      io.vertx.core.Promise<JsonArray> next = io.vertx.core.Promise.promise();
      testVertx.setTimer(50, id -> pollOutbox(n, deadline).onComplete(next));
      return next.future();
    });
  }
}
