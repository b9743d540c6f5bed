package ai.mirt.webhook;

import ai.mirt.common.Addresses;
import ai.mirt.common.MirtConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The subscriber API and the control webhook, against a stand-in for the agent's desk that records its requests. */
class SubscriberRoutesTest {

  private static final String TOKEN = "s3cret-webhook";
  private static final String ADMIN = "s3cret-admin";

  private Vertx vertx;
  private WebClient client;
  private int port;
  private final List<JsonObject> asked = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> desk;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    desk = vertx.eventBus().consumer(Addresses.SUBSCRIBER_DESK, m -> {
      asked.add(m.body());
      if ("404".equals(m.body().getString("subscriber"))) {
        m.fail(404, "no conversation, pause or pending message of subscriber 404");
      } else {
        m.reply(new JsonObject().put("subscriber", m.body().getString("subscriber")).put("answered", true));
      }
    });
    WebhookVerticle verticle = new WebhookVerticle();
    JsonObject cfg = new JsonObject().put("http.port", 0).put("http.host", "127.0.0.1")
      .put("manychat.verify-token", TOKEN).put("admin.token", ADMIN);
    await(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(MirtConfig.fromJson(cfg).toJson())));
    port = verticle.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpRequest<Buffer> admin(io.vertx.core.http.HttpMethod method, String path) {
    return client.request(method, port, "127.0.0.1", path).putHeader("Authorization", "Bearer " + ADMIN);
  }

  private HttpResponse<Buffer> control(JsonObject body) throws Exception {
    return await(client.post(port, "127.0.0.1", SubscriberRoutes.CONTROL_PATH).putHeader("X-ManyChat-Token", TOKEN)
      .putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()));
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String fragment) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    assertThat(r.bodyAsJsonObject().getString("error")).contains(fragment);
  }

  @Test
  void theAdminViewAndResumeAskTheDesk() throws Exception {
    HttpResponse<Buffer> view = await(admin(io.vertx.core.http.HttpMethod.GET, "/admin/subscribers/777").send());
    assertThat(view.statusCode()).isEqualTo(200);
    assertThat(view.bodyAsJsonObject().getBoolean("answered")).isTrue();
    HttpResponse<Buffer> resume = await(admin(io.vertx.core.http.HttpMethod.POST, "/admin/subscribers/777/resume")
      .send());
    assertThat(resume.statusCode()).isEqualTo(200);
    assertThat(asked).containsExactly(
      new JsonObject().put("subscriber", "777").put("action", "view").put("by", "admin"),
      new JsonObject().put("subscriber", "777").put("action", "resume").put("by", "admin"));
  }

  @Test
  void anAdminPauseMayNameItsMinutes() throws Exception {
    HttpResponse<Buffer> plain = await(admin(io.vertx.core.http.HttpMethod.POST, "/admin/subscribers/5/pause").send());
    HttpResponse<Buffer> timed = await(admin(io.vertx.core.http.HttpMethod.POST, "/admin/subscribers/5/pause")
      .putHeader("Content-Type", "application/json").sendJsonObject(new JsonObject().put("minutes", 45)));
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(timed.statusCode()).isEqualTo(200);
    assertThat(asked.get(0).containsKey("minutes")).isFalse();
    assertThat(asked.get(1).getInteger("minutes")).isEqualTo(45);
    assertError(await(admin(io.vertx.core.http.HttpMethod.POST, "/admin/subscribers/5/pause")
      .sendBuffer(Buffer.buffer("{minutes"))), 400, "not valid JSON");
  }

  @Test
  void theAdminRoutesNeedTheAdminToken() throws Exception {
    assertError(await(client.get(port, "127.0.0.1", "/admin/subscribers/1").send()), 401, "admin token");
    assertError(await(client.post(port, "127.0.0.1", "/admin/subscribers/1/resume")
      .putHeader("Authorization", "Bearer " + TOKEN).send()), 401, "admin token");
    assertThat(asked).isEmpty();
  }

  @Test
  void theDesksRefusalsAndAbsenceAreClearErrors() throws Exception {
    assertError(await(admin(io.vertx.core.http.HttpMethod.GET, "/admin/subscribers/404").send()), 404,
      "subscriber 404");
    await(desk.unregister());
    assertError(await(admin(io.vertx.core.http.HttpMethod.GET, "/admin/subscribers/1").send()), 503,
      "no node runs the agent");
  }

  @Test
  void aManyChatButtonPausesAndResumes() throws Exception {
    HttpResponse<Buffer> paused = control(new JsonObject().put("subscriber", new JsonObject().put("id", 123456))
      .put("action", "pause").put("minutes", 90));
    HttpResponse<Buffer> resumed = control(new JsonObject().put("subscriber", new JsonObject().put("id", "123456"))
      .put("action", "resume"));
    assertThat(paused.statusCode()).isEqualTo(200);
    assertThat(resumed.statusCode()).isEqualTo(200);
    assertThat(asked).containsExactly(
      new JsonObject().put("subscriber", "123456").put("action", "pause").put("by", "manychat").put("minutes", 90),
      new JsonObject().put("subscriber", "123456").put("action", "resume").put("by", "manychat"));
  }

  @Test
  void aBadControlRequestIsA4xxNamingTheProblem() throws Exception {
    assertError(control(new JsonObject().put("action", "pause")), 400, "subscriber id");
    assertError(control(new JsonObject().put("subscriber", new JsonObject().put("id", -3)).put("action", "pause")),
      400, "whole number");
    assertError(control(new JsonObject().put("subscriber", new JsonObject().put("id", 1)).put("action", "wake")),
      400, "pause or resume");
    assertError(control(new JsonObject().put("subscriber", new JsonObject().put("id", 1))), 400, "pause or resume");
    assertError(await(client.post(port, "127.0.0.1", SubscriberRoutes.CONTROL_PATH)
      .putHeader("X-ManyChat-Token", TOKEN).putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer("[1,2]"))), 400, "JSON object");
    assertError(await(client.post(port, "127.0.0.1", SubscriberRoutes.CONTROL_PATH)
      .putHeader("X-ManyChat-Token", TOKEN).putHeader("Content-Type", "text/plain")
      .sendBuffer(Buffer.buffer("pause"))), 415, "application/json");
    assertError(await(client.post(port, "127.0.0.1", SubscriberRoutes.CONTROL_PATH)
      .putHeader("Content-Type", "application/json")
      .sendBuffer(new JsonObject().put("subscriber", 1).put("action", "pause").toBuffer())), 401, "invalid token");
    assertError(await(client.post(port, "127.0.0.1", SubscriberRoutes.CONTROL_PATH)
      .putHeader("X-ManyChat-Token", TOKEN).putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer("{\"pad\":\"" + "x".repeat(SubscriberRoutes.MAX_BODY_BYTES) + "\"}"))), 413, "larger");
    assertThat(asked).isEmpty();
  }
}
