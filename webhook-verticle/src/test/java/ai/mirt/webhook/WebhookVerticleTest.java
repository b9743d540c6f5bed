package ai.mirt.webhook;

import ai.mirt.common.Addresses;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.InboundAck;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.testkit.ManyChatValidator;
import ai.mirt.testkit.Poll;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class WebhookVerticleTest {

  private static final String TOKEN = "s3cret-webhook";
  private static final String ADMIN = "s3cret-admin";

  private Vertx vertx;
  private WebClient client;
  private int port;
  private final List<InboundMessage> stored = new CopyOnWriteArrayList<>();
  private final AtomicLong storedAt = new AtomicLong();
  private volatile boolean storeDown;
  private volatile long storeDelayMs;
  private MessageConsumer<JsonObject> localOutbox;

  @BeforeEach
  void start(VertxTestContext ctx) {
    vertx = Vertx.builder()
      .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)).setEnabled(true)))
      .withMetrics(new MicrometerMetricsFactory()).build();
    client = WebClient.create(vertx);
    // Stand-in for the debounce verticle: records what it is asked to store.
    vertx.eventBus().<JsonObject>consumer(Addresses.INBOUND_MESSAGE, msg -> {
      if (storeDown) {
        msg.fail(503, "store down");
        return;
      }
      vertx.setTimer(Math.max(1, storeDelayMs), id -> {
        InboundMessage m = InboundMessage.fromJson(msg.body());
        boolean dup = stored.stream().anyMatch(s -> s.messageId() != null && s.messageId().equals(m.messageId()));
        if (!dup) {
          stored.add(m);
        }
        storedAt.set(System.nanoTime());
        msg.reply(new InboundAck(dup).toJson());
      });
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.HEALTH_DEBOUNCE,
      m -> m.reply(new ComponentHealth(true, new JsonObject().put("pendingMessages", 0)).toJson()));
    vertx.eventBus().<JsonObject>consumer(Addresses.HEALTH_AGENT,
      m -> m.reply(new ComponentHealth(true, new JsonObject().put("model", "offline")).toJson()));
    vertx.eventBus().<JsonObject>consumer(Addresses.HEALTH_PUSH,
      m -> m.reply(new ComponentHealth(true, new JsonObject().put("manychat", "dry-run")).toJson()));
    localOutbox = vertx.eventBus().<JsonObject>consumer(Addresses.PUSH_OUTBOX,
      m -> m.reply(new JsonObject().put("instance", "here").put("dryRun", true)
        .put("payloads", new io.vertx.core.json.JsonArray())));
    WebhookVerticle verticle = new WebhookVerticle();
    JsonObject cfg = new JsonObject().put("http.port", 0).put("http.host", "127.0.0.1")
      .put("manychat.verify-token", TOKEN).put("admin.token", ADMIN);
    vertx.deployVerticle(verticle, new io.vertx.core.DeploymentOptions().setConfig(MirtConfig.fromJson(cfg).toJson()))
      .onComplete(ctx.succeeding(id -> {
        port = verticle.actualPort();
        ctx.completeNow();
      }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  private HttpRequest<Buffer> post() {
    return client.post(port, "127.0.0.1", WebhookVerticle.WEBHOOK_PATH).putHeader("Content-Type", "application/json");
  }

  private Future<HttpResponse<Buffer>> postJson(JsonObject body) {
    return post().putHeader("X-ManyChat-Token", TOKEN).sendBuffer(body.toBuffer());
  }

  private static JsonObject message(String sub, String text) {
    return new JsonObject().put("subscriber", new JsonObject().put("id", sub))
      .put("message", new JsonObject().put("text", text));
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String fragment) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    assertThat(r.bodyAsJsonObject().getString("error")).contains(fragment);
  }

  @Test
  void validMessageIsStoredBeforeTheAcknowledgement(VertxTestContext ctx) {
    storeDelayMs = 150;
    postJson(message("1001", "Привіт")).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      long answeredAt = System.nanoTime();
      assertThat(r.statusCode()).isEqualTo(202);
      assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("accepted");
      assertThat(stored).hasSize(1);
      assertThat(stored.get(0).subscriberId()).isEqualTo("1001");
      assertThat(stored.get(0).text()).isEqualTo("Привіт");
      assertThat(storedAt.get()).isLessThan(answeredAt);
      assertThat(r.getHeader("X-Trace-Id")).isEqualTo(stored.get(0).traceId());
      assertThat(stored.get(0).replyTo()).as("push mode: no request waits").isNull();
      ctx.completeNow();
    })));
  }

  @Test
  void bearerTokenIsAcceptedToo(VertxTestContext ctx) {
    post().putHeader("Authorization", "Bearer " + TOKEN).sendBuffer(message("5", "hi").toBuffer())
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(stored).hasSize(1);
        ctx.completeNow();
      })));
  }

  @Test
  void wrongOrMissingTokenIsRejectedAndNothingStored(VertxTestContext ctx) {
    Future<HttpResponse<Buffer>> wrongHeader = post().putHeader("X-ManyChat-Token", TOKEN + "x")
      .sendBuffer(message("1", "a").toBuffer());
    Future<HttpResponse<Buffer>> wrongBearer = post().putHeader("Authorization", "Bearer nope")
      .sendBuffer(message("1", "a").toBuffer());
    Future<HttpResponse<Buffer>> adminTokenOnWebhook = post().putHeader("Authorization", "Bearer " + ADMIN)
      .sendBuffer(message("1", "a").toBuffer());
    Future<HttpResponse<Buffer>> missing = post().sendBuffer(message("1", "a").toBuffer());
    Future.all(wrongHeader, wrongBearer, adminTokenOnWebhook, missing).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      for (int i = 0; i < 4; i++) {
        assertError(all.resultAt(i), 401, "invalid token");
      }
      assertThat(stored).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void badInputsGetTheirStatusAndAJsonError(VertxTestContext ctx) {
    var notJson = post().putHeader("X-ManyChat-Token", TOKEN).sendBuffer(Buffer.buffer("{not json"));
    var array = post().putHeader("X-ManyChat-Token", TOKEN).sendBuffer(Buffer.buffer("[1,2]"));
    var empty = post().putHeader("X-ManyChat-Token", TOKEN).send();
    var noId = postJson(new JsonObject().put("message", new JsonObject().put("text", "hi")));
    var noContent = postJson(new JsonObject().put("subscriber", new JsonObject().put("id", 1)));
    var tooLong = postJson(message("1", "x".repeat(10_001)));
    var badImage = postJson(new JsonObject().put("clientId", 1).put("message", "a").put("image_url", "https://127.0.0.1/x.jpg"));
    var badChannel = postJson(message("1", "a").put("type", "pigeon"));
    var tooBig = postJson(message("1", "я".repeat(40_000)));
    var wrongType = client.post(port, "127.0.0.1", WebhookVerticle.WEBHOOK_PATH).putHeader("X-ManyChat-Token", TOKEN)
      .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("hello"));
    var noType = client.post(port, "127.0.0.1", WebhookVerticle.WEBHOOK_PATH).putHeader("X-ManyChat-Token", TOKEN)
      .sendBuffer(message("1", "a").toBuffer());
    var infiniteId = post().putHeader("X-ManyChat-Token", TOKEN)
      .sendBuffer(Buffer.buffer("{\"subscriber\":{\"id\":1e400},\"message\":{\"text\":\"hi\"}}"));
    var bigUnauthenticated = post().sendBuffer(message("1", "я".repeat(40_000)).toBuffer());
    Future.join(List.of(notJson, array, empty, noId, noContent, tooLong, badImage, badChannel, tooBig, wrongType, noType,
        infiniteId, bigUnauthenticated))
      .onComplete(ar -> ctx.verify(() -> {
        assertError(notJson.result(), 400, "not valid JSON");
        assertError(array.result(), 400, "JSON object");
        assertError(empty.result(), 400, "JSON object");
        assertError(noId.result(), 400, "missing subscriber id");
        assertError(noContent.result(), 400, "no text and no image");
        assertError(tooLong.result(), 400, "longer than 10000");
        assertError(badImage.result(), 400, "image URL");
        assertError(badChannel.result(), 400, "unknown channel");
        assertError(tooBig.result(), 413, "larger than 65536");
        assertError(wrongType.result(), 415, "application/json");
        assertError(noType.result(), 415, "application/json");
        assertError(infiniteId.result(), 400, "whole number");
        assertError(bigUnauthenticated.result(), 401, "invalid token");
        assertThat(stored).isEmpty();
        ctx.completeNow();
      }));
  }

  @Test
  void everyPayloadShapeIsAccepted(VertxTestContext ctx) {
    var documented = postJson(message("11", "a").put("type", "whatsapp"));
    var userShape = postJson(new JsonObject().put("user", new JsonObject().put("user_id", 12))
      .put("data", new JsonObject().put("message", new JsonObject().put("content", "b"))));
    var fullContact = postJson(new JsonObject().put("id", 13).put("last_input_text", "c").put("first_name", "Ira"));
    var flat = postJson(new JsonObject().put("sessionId", "14").put("message", "d"));
    Future.all(documented, userShape, fullContact, flat).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      for (int i = 0; i < 4; i++) {
        assertThat(all.<HttpResponse<Buffer>>resultAt(i).statusCode()).isEqualTo(202);
      }
      assertThat(stored).extracting(InboundMessage::subscriberId).containsExactlyInAnyOrder("11", "12", "13", "14");
      assertThat(stored).extracting(InboundMessage::text).containsExactlyInAnyOrder("a", "b", "c", "d");
      ctx.completeNow();
    })));
  }

  @Test
  void duplicateDeliveryIsAcknowledgedAgain(VertxTestContext ctx) {
    JsonObject body = message("9", "a");
    body.getJsonObject("message").put("id", "mid-1");
    postJson(body).compose(first -> postJson(body).map(second -> List.of(first, second)))
      .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
        assertThat(rs.get(0).statusCode()).isEqualTo(202);
        assertThat(rs.get(1).statusCode()).isEqualTo(202);
        assertThat(rs.get(1).bodyAsJsonObject().getBoolean("duplicate")).isTrue();
        assertThat(stored).hasSize(1);
        ctx.completeNow();
      })));
  }

  @Test
  void storeDownGivesRetryableErrorNotAcceptance(VertxTestContext ctx) {
    storeDown = true;
    postJson(message("1", "a")).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "storage unavailable"));
      ctx.completeNow();
    })));
  }

  @Test
  void aNodeThatRunsDebounceStoresThroughItsOwn(VertxTestContext ctx) {
    List<InboundMessage> local = new CopyOnWriteArrayList<>();
    vertx.eventBus().<Object>localConsumer(Addresses.INBOUND_MESSAGE_LOCAL, msg -> {
      // The record itself, not JSON: nothing is encoded or copied between the webhook and its own debounce.
      local.add((InboundMessage) msg.body());
      msg.reply(new InboundAck(false));
    });
    postJson(message("1001", "a"))
      .compose(r -> postJson(message("1002", "b")))
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(local).extracting(InboundMessage::subscriberId).containsExactly("1001", "1002");
        assertThat(stored).as("not handed to a debounce elsewhere").isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void aLocalDebounceThatFailsIsA503NotAHandOffElsewhere(VertxTestContext ctx) {
    vertx.eventBus().<JsonObject>localConsumer(Addresses.INBOUND_MESSAGE_LOCAL, msg -> msg.fail(503, "store down"));
    postJson(message("1001", "a")).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(stored).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void aNodeWithoutPushShowsTheOutboxOfAnother(VertxTestContext ctx) {
    vertx.eventBus().<JsonObject>consumer(Addresses.PUSH_OUTBOX_ANY,
      m -> m.reply(new JsonObject().put("instance", "push-node").put("payloads", new io.vertx.core.json.JsonArray())));
    client.get(port, "127.0.0.1", "/admin/outbox").putHeader("Authorization", "Bearer " + ADMIN).send()
      .compose(here -> {
        assertThat(here.bodyAsJsonObject().getString("instance")).as("this node's own push first").isEqualTo("here");
        return localOutbox.unregister();
      })
      .compose(v -> client.get(port, "127.0.0.1", "/admin/outbox").putHeader("Authorization", "Bearer " + ADMIN).send())
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.bodyAsJsonObject().getString("instance")).isEqualTo("push-node");
        ctx.completeNow();
      })));
  }

  /** Push's side of the dead-letter API, as a test stands it in: it records the requests and answers as told. */
  private final List<JsonObject> deadLetterRequests = new CopyOnWriteArrayList<>();

  private void deadLetterDesk(Consumer<Message<JsonObject>> answer) {
    vertx.eventBus().<JsonObject>consumer(Addresses.PUSH_DEAD_LETTERS, m -> {
      deadLetterRequests.add(m.body());
      answer.accept(m);
    });
  }

  private Future<HttpResponse<Buffer>> admin(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> r = client.request(method, port, "127.0.0.1", path);
    if (token != null) {
      r.putHeader("Authorization", "Bearer " + token);
    }
    return r.send();
  }

  @Test
  void deadLettersAreListedRetriedAndDeletedThroughPush(VertxTestContext ctx) {
    deadLetterDesk(m -> m.reply(new JsonObject().put("asked", m.body().getString("action"))));
    Future.all(
        admin(HttpMethod.GET, "/admin/dead-letters?limit=7", ADMIN),
        admin(HttpMethod.GET, "/admin/dead-letters", ADMIN),
        admin(HttpMethod.POST, "/admin/dead-letters/42/retry", ADMIN),
        admin(HttpMethod.DELETE, "/admin/dead-letters/43", ADMIN))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < 4; i++) {
          assertThat(all.<HttpResponse<Buffer>>resultAt(i).statusCode()).isEqualTo(200);
        }
        assertThat(all.<HttpResponse<Buffer>>resultAt(2).bodyAsJsonObject().getString("asked")).isEqualTo("retry");
        assertThat(deadLetterRequests).containsExactlyInAnyOrder(
          new JsonObject().put("action", "list").put("limit", 7),
          new JsonObject().put("action", "list").put("limit", 100),
          new JsonObject().put("action", "retry").put("id", "42"),
          new JsonObject().put("action", "delete").put("id", "43"));
        ctx.completeNow();
      })));
  }

  @Test
  void deadLettersNeedTheAdminTokenAndAGoodLimit(VertxTestContext ctx) {
    deadLetterDesk(m -> m.reply(new JsonObject()));
    Future.all(List.of(
        admin(HttpMethod.GET, "/admin/dead-letters", null),
        admin(HttpMethod.POST, "/admin/dead-letters/1/retry", TOKEN),
        admin(HttpMethod.DELETE, "/admin/dead-letters/1", "wrong"),
        admin(HttpMethod.GET, "/admin/dead-letters?limit=lots", ADMIN),
        admin(HttpMethod.GET, "/admin/dead-letters?limit=0", ADMIN),
        admin(HttpMethod.GET, "/admin/dead-letters?limit=1001", ADMIN)))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < 3; i++) {
          assertError(all.resultAt(i), 401, "invalid admin token");
        }
        for (int i = 3; i < 6; i++) {
          assertError(all.resultAt(i), 400, "limit must be a whole number from 1 to 1000");
        }
        assertThat(deadLetterRequests).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void pushRefusalsKeepTheirStatusAndAMissingPushIsA503(VertxTestContext ctx) {
    deadLetterDesk(m -> m.fail("42".equals(m.body().getString("id")) ? 404 : 409,
      "no dead letter with id '" + m.body().getString("id") + "'"));
    admin(HttpMethod.POST, "/admin/dead-letters/42/retry", ADMIN)
      .compose(notFound -> admin(HttpMethod.POST, "/admin/dead-letters/7/retry", ADMIN)
        .map(refused -> List.of(notFound, refused)))
      .onComplete(ctx.succeeding(two -> ctx.verify(() -> {
        assertError(two.get(0), 404, "no dead letter with id '42'");
        assertError(two.get(1), 409, "no dead letter with id '7'");
        ctx.completeNow();
      })));
  }

  @Test
  void withoutAPushNodeTheDeadLettersAreUnavailable(VertxTestContext ctx) {
    admin(HttpMethod.DELETE, "/admin/dead-letters/9", ADMIN)
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertError(r, 503, "dead letters unavailable: no node runs push");
        ctx.completeNow();
      })));
  }

  /** Push's side of the order listing, as a test stands it in: it records the requests and answers as told. */
  private final List<JsonObject> orderRequests = new CopyOnWriteArrayList<>();

  private void orderDesk(Consumer<Message<JsonObject>> answer) {
    vertx.eventBus().<JsonObject>consumer(Addresses.ORDERS_LIST, m -> {
      orderRequests.add(m.body());
      answer.accept(m);
    });
  }

  @Test
  void ordersAreListedThroughPush(VertxTestContext ctx) {
    JsonObject listed = new JsonObject().put("orders", new io.vertx.core.json.JsonArray()
      .add(new JsonObject().put("id", "o-2").put("version", 1).put("status", "pending")));
    orderDesk(m -> m.reply(listed));
    Future.all(
        admin(HttpMethod.GET, "/admin/orders?limit=7", ADMIN),
        admin(HttpMethod.GET, "/admin/orders", ADMIN),
        admin(HttpMethod.GET, "/admin/orders?limit=1000", ADMIN))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < 3; i++) {
          HttpResponse<Buffer> r = all.resultAt(i);
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.getHeader("Content-Type")).startsWith("application/json");
          assertThat(r.bodyAsJsonObject()).as("push's answer as it is").isEqualTo(listed);
        }
        assertThat(orderRequests).containsExactlyInAnyOrder(new JsonObject().put("limit", 7),
          new JsonObject().put("limit", 100), new JsonObject().put("limit", 1000));
        ctx.completeNow();
      })));
  }

  @Test
  void ordersNeedTheAdminTokenAndAGoodLimit(VertxTestContext ctx) {
    orderDesk(m -> m.reply(new JsonObject().put("orders", new io.vertx.core.json.JsonArray())));
    Future.all(List.of(
        admin(HttpMethod.GET, "/admin/orders", null),
        admin(HttpMethod.GET, "/admin/orders", TOKEN),
        admin(HttpMethod.GET, "/admin/orders", "wrong"),
        admin(HttpMethod.GET, "/admin/orders?limit=lots", ADMIN),
        admin(HttpMethod.GET, "/admin/orders?limit=0", ADMIN),
        admin(HttpMethod.GET, "/admin/orders?limit=1001", ADMIN)))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < 3; i++) {
          assertError(all.resultAt(i), 401, "invalid admin token");
        }
        for (int i = 3; i < 6; i++) {
          assertError(all.resultAt(i), 400, "limit must be a whole number from 1 to 1000");
        }
        assertThat(orderRequests).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void withoutAPushNodeTheOrdersAreUnavailable(VertxTestContext ctx) {
    admin(HttpMethod.GET, "/admin/orders", ADMIN)
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertError(r, 503, "orders unavailable: no node runs push");
        ctx.completeNow();
      })));
  }

  @Test
  void aStoreThatPushCannotReadMakesTheOrdersUnavailable(VertxTestContext ctx) {
    orderDesk(m -> m.fail(503, "storage unavailable: connection refused"));
    admin(HttpMethod.GET, "/admin/orders", ADMIN)
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertError(r, 503, "storage unavailable: connection refused");
        ctx.completeNow();
      })));
  }

  @Test
  void healthListsEveryComponent(VertxTestContext ctx) {
    client.get(port, "127.0.0.1", "/health").send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject body = r.bodyAsJsonObject();
      assertThat(body.getString("status")).isEqualTo("UP");
      assertThat(body.getJsonObject("components").fieldNames()).containsExactlyInAnyOrder("webhook", "debounce", "agent", "push");
      assertThat(body.getJsonObject("components").getJsonObject("agent").getString("model")).isEqualTo("offline");
      assertThat(body.getJsonArray("verticles")).containsExactly("webhook", "debounce", "agent", "push");
      assertThat(body.getJsonObject("cluster")).isEqualTo(new JsonObject().put("enabled", false)
        .put("missing", new io.vertx.core.json.JsonArray()));
      ctx.completeNow();
    })));
  }

  @Test
  void healthIsDownWhenAComponentReportsDown(VertxTestContext ctx) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.HEALTH_PUSH);
    consumer.handler(m -> m.reply(new ComponentHealth(false, new JsonObject().put("breaker", "OPEN")).toJson()));
    client.get(port, "127.0.0.1", "/health").send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      // Two consumers on one address answer in turn; ask until the failing one has answered.
      if (r.statusCode() == 200) {
        client.get(port, "127.0.0.1", "/health").send().onComplete(ctx.succeeding(r2 -> ctx.verify(() -> {
          assertThat(r2.statusCode()).isEqualTo(503);
          assertThat(r2.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
          ctx.completeNow();
        })));
        return;
      }
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
      ctx.completeNow();
    })));
  }

  @Test
  void aRequestCutOffBeforeItsAnswerIsCountedAsClosedNotAs200(VertxTestContext ctx) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      // Headers promise 100 bytes of body; 10 arrive, then the client goes away.
      socket.getOutputStream().write(("POST /webhooks/manychat HTTP/1.1\r\nHost: x\r\nX-ManyChat-Token: " + TOKEN
        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"subscri").getBytes());
      socket.getOutputStream().flush();
    }
    ai.mirt.testkit.Poll.until(vertx, () -> metric("mirt_webhook_requests_total{status=\"closed\"}"),
        java.time.Duration.ofSeconds(5), "a closed request counted")
      .onComplete(ctx.succeeding(line -> ctx.verify(() -> {
        assertThat(line).endsWith(" 1.0");
        ctx.completeNow();
      })));
  }

  /** The Prometheus line that starts with the name, from the registry Vert.x reports to, or null. */
  private static String metric(String name) {
    var registry = (io.micrometer.prometheusmetrics.PrometheusMeterRegistry)
      io.vertx.micrometer.backends.BackendRegistries.getDefaultNow();
    return registry.scrape().lines().filter(l -> l.startsWith(name)).findFirst().orElse(null);
  }

  @Test
  void metricsCountRequestsByStatusAndAckLatency(VertxTestContext ctx) {
    postJson(message("1", "a"))
      .compose(r -> post().send())
      .compose(r -> client.get(port, "127.0.0.1", "/metrics").send())
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.statusCode()).isEqualTo(200);
        String text = r.bodyAsString();
        assertThat(text).containsPattern("mirt_webhook_requests_total\\{[^}]*status=\"202\"[^}]*} 1\\.0");
        assertThat(text).containsPattern("mirt_webhook_requests_total\\{[^}]*status=\"401\"[^}]*} 1\\.0");
        assertThat(text).contains("mirt_webhook_ack_seconds_bucket");
        ctx.completeNow();
      })));
  }

  @Test
  void adminOutboxNeedsTheAdminToken(VertxTestContext ctx) {
    var ok = client.get(port, "127.0.0.1", "/admin/outbox").putHeader("Authorization", "Bearer " + ADMIN).send();
    var webhookToken = client.get(port, "127.0.0.1", "/admin/outbox").putHeader("Authorization", "Bearer " + TOKEN).send();
    var none = client.get(port, "127.0.0.1", "/admin/outbox").send();
    Future.all(ok, webhookToken, none).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertThat(ok.result().statusCode()).isEqualTo(200);
      assertThat(ok.result().bodyAsJsonObject().getBoolean("dryRun")).isTrue();
      assertError(webhookToken.result(), 401, "invalid admin token");
      assertError(none.result(), 401, "invalid admin token");
      ctx.completeNow();
    })));
  }

  @Test
  void unknownPathsAndMethodsGetJsonErrors(VertxTestContext ctx) {
    var unknown = client.get(port, "127.0.0.1", "/nope").send();
    var wrongMethod = client.get(port, "127.0.0.1", WebhookVerticle.WEBHOOK_PATH).send();
    Future.all(unknown, wrongMethod).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertError(unknown.result(), 404, "no such endpoint");
      assertError(wrongMethod.result(), 405, "not allowed");
      ctx.completeNow();
    })));
  }

  @Test
  void verticleRefusesToStartWithoutTokens(VertxTestContext ctx) {
    JsonObject cfg = MirtConfig.fromJson(new JsonObject().put("http.port", 0)).toJson();
    vertx.deployVerticle(new WebhookVerticle(), new io.vertx.core.DeploymentOptions().setConfig(cfg))
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(e.getMessage()).contains("manychat.verify-token");
        ctx.completeNow();
      })));
  }

  @Test
  void manyConcurrentRequestsAreAllStored(VertxTestContext ctx) throws Exception {
    int n = 50;
    List<Future<HttpResponse<Buffer>>> all = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(postJson(message("s" + (i % 5), "m" + i)));
    }
    Future.all(all).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
      assertThat(all).allSatisfy(f -> assertThat(f.result().statusCode()).isEqualTo(202));
      assertThat(stored).hasSize(n);
      ctx.completeNow();
    })));
    assertThat(ctx.awaitCompletion(20, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * Response mode: the request of a stored message is held until its reply arrives on the address the stored message
   * names (the test plays push and sends it there), a newer message of the subscriber, or the deadline. Each test runs
   * one or two webhook verticles in response mode beside the push-mode one.
   */
  @Nested
  class ResponseMode {

    private static final String INTERIM = "Хвилинку, уточнюю 🙏";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ManyChatValidator validator = ManyChatValidator.load();

    /** A webhook verticle in response mode, on a port of its own. */
    private record Webhook(String deployment, int port) {
    }

    private Future<Webhook> deploy(double deadlineSeconds) {
      WebhookVerticle v = new WebhookVerticle();
      JsonObject cfg = new JsonObject().put("http.port", 0).put("http.host", "127.0.0.1")
        .put("manychat.verify-token", TOKEN).put("admin.token", ADMIN).put("manychat.push-mode", false)
        .put("response-mode.deadline-seconds", deadlineSeconds).put("response-mode.interim-text", INTERIM)
        .put("instance.id", "web-test");
      return vertx.deployVerticle(v, new DeploymentOptions().setConfig(MirtConfig.fromJson(cfg).toJson()))
        .map(id -> new Webhook(id, v.actualPort()));
    }

    private Future<HttpResponse<Buffer>> send(Webhook w, JsonObject body) {
      return client.post(w.port(), "127.0.0.1", WebhookVerticle.WEBHOOK_PATH)
        .putHeader("Content-Type", "application/json").putHeader("X-ManyChat-Token", TOKEN)
        .sendBuffer(body.toBuffer());
    }

    /** The message with this text, once the stand-in debounce stored it. */
    private Future<InboundMessage> storedMessage(String text) {
      return Poll.until(vertx, () -> stored.stream().filter(m -> m.text().equals(text)).findFirst().orElse(null), WAIT,
        "message '" + text + "' stored");
    }

    /** What push does with a reply in response mode: offers its block to the address the message named. */
    private Future<JsonObject> offer(InboundMessage m, JsonObject block) {
      return vertx.eventBus().<JsonObject>request(m.replyTo(), new JsonObject().put("subscriberId", m.subscriberId())
        .put("turnId", "turn-" + m.text()).put("traceId", m.traceId()).put("block", block)).map(Message::body);
    }

    private JsonObject reply(String text) {
      return new JsonObject().put("version", "v2").put("content", new JsonObject().put("type", "instagram")
        .put("messages", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)))
        .put("actions", new JsonArray().add(new JsonObject().put("action", "add_tag").put("tag_name", "ai_responded")))
        .put("quick_replies", new JsonArray().add(new JsonObject().put("type", "flow").put("caption", "Так")
          .put("target", "content20250101120000_123456"))));
    }

    /** A 200 with a JSON body that ManyChat takes as a Dynamic Block; its texts. */
    private List<String> block(HttpResponse<Buffer> r) {
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      assertThat(r.getHeader("Content-Type")).startsWith("application/json");
      JsonObject body = r.bodyAsJsonObject();
      assertThat(validator.dynamicBlockViolations(body)).as(body.encode()).isEmpty();
      return body.getJsonObject("content").getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getString("text")).toList();
    }

    private JsonObject withId(JsonObject body, String id) {
      body.getJsonObject("message").put("id", id);
      return body;
    }

    @Test
    void aRequestIsHeldUntilItsReplyArrivesOnTheAddressItsMessageNames(VertxTestContext ctx) {
      deploy(5).compose(w -> {
          Future<HttpResponse<Buffer>> answer = send(w, message("1001", "Привіт"));
          return storedMessage("Привіт").compose(m -> {
            ctx.verify(() -> {
              assertThat(m.replyTo()).startsWith(Addresses.response("web-test."));
              assertThat(answer.isComplete()).as("held while no reply came").isFalse();
              assertThat(metric("mirt_webhook_response_waiting")).endsWith(" 1.0");
            });
            return offer(m, reply("Вітаю! Чим допомогти?"))
              .compose(ack -> answer.map(r -> {
                ctx.verify(() -> {
                  assertThat(ack.getBoolean("delivered")).isTrue();
                  assertThat(block(r)).containsExactly("Вітаю! Чим допомогти?");
                  assertThat(r.bodyAsJsonObject()).isEqualTo(reply("Вітаю! Чим допомогти?"));
                  assertThat(r.getHeader("X-Trace-Id")).isEqualTo(m.traceId());
                });
                return m;
              }));
          });
        })
        .compose(m -> offer(m, reply("ще раз")))
        .onComplete(ctx.succeeding(again -> ctx.verify(() -> {
          assertThat(again.getBoolean("delivered")).as("answered once").isFalse();
          assertThat(metric("mirt_webhook_response_answers_total{outcome=\"reply\"}")).endsWith(" 1.0");
          assertThat(metric("mirt_webhook_response_held_total")).endsWith(" 1.0");
          assertThat(metric("mirt_webhook_response_waiting")).endsWith(" 0.0");
          assertThat(metric("mirt_webhook_response_wait_seconds_count{outcome=\"reply\"}")).endsWith(" 1");
          String sum = metric("mirt_webhook_response_wait_seconds_sum{outcome=\"reply\"}");
          assertThat(Double.parseDouble(sum.substring(sum.lastIndexOf(' ') + 1))).isBetween(0.0, 10.0);
          assertThat(metric("mirt_webhook_requests_total{status=\"200\"}")).endsWith(" 1.0");
          ctx.completeNow();
        })));
    }

    @Test
    void theEarlierRequestOfABurstIsAnsweredEmptyWhenTheNextMessageArrives(VertxTestContext ctx) {
      deploy(5).compose(w -> {
        Future<HttpResponse<Buffer>> first = send(w, message("2001", "a1"));
        return storedMessage("a1").compose(m1 -> {
          Future<HttpResponse<Buffer>> other = send(w, message("2002", "b1"));
          return storedMessage("b1").compose(b -> {
            Future<HttpResponse<Buffer>> second = send(w, message("2001", "a2"));
            return first.compose(r1 -> {
              ctx.verify(() -> {
                assertThat(block(r1)).as("an empty block").isEmpty();
                assertThat(second.isComplete()).isFalse();
                assertThat(other.isComplete()).as("another subscriber's request").isFalse();
              });
              return storedMessage("a2");
            }).compose(m2 -> offer(m2, reply("Відповідь на a1 і a2")))
              .compose(ack -> offer(b, reply("Відповідь на b1")))
              .compose(ack -> Future.all(second, other));
          });
        });
      }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(block(all.resultAt(0))).containsExactly("Відповідь на a1 і a2");
        assertThat(block(all.resultAt(1))).containsExactly("Відповідь на b1");
        assertThat(metric("mirt_webhook_response_answers_total{outcome=\"empty\"}")).endsWith(" 1.0");
        assertThat(metric("mirt_webhook_response_answers_total{outcome=\"reply\"}")).endsWith(" 2.0");
        ctx.completeNow();
      })));
    }

    @Test
    void aDuplicateIsAnsweredEmptyAtOnceAndTheOriginalStillWaitsForTheReply(VertxTestContext ctx) {
      JsonObject body = withId(message("3001", "двічі"), "mid-7");
      deploy(5).compose(w -> {
        Future<HttpResponse<Buffer>> original = send(w, body);
        return storedMessage("двічі")
          .compose(m -> send(w, body).compose(dup -> {
            ctx.verify(() -> {
              assertThat(block(dup)).isEmpty();
              assertThat(metric("mirt_webhook_response_answers_total{outcome=\"empty\"}")).endsWith(" 1.0");
              assertThat(original.isComplete()).isFalse();
              assertThat(stored).hasSize(1);
            });
            return offer(m, reply("Одна відповідь"));
          }))
          .compose(ack -> original);
      }).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(block(r)).containsExactly("Одна відповідь");
        ctx.completeNow();
      })));
    }

    @Test
    void pastTheDeadlineTheInterimTextAnswersCountedFromWhenTheRequestCame(VertxTestContext ctx) {
      // Storing takes most of the deadline: the deadline still counts from the request, not from the store's ack.
      storeDelayMs = 800;
      long[] sent = new long[1];
      deploy(1).compose(w -> {
          sent[0] = System.currentTimeMillis();
          return send(w, message("4001", "Ви тут?"));
        })
        .compose(r -> {
          long took = System.currentTimeMillis() - sent[0];
          ctx.verify(() -> {
            assertThat(block(r)).containsExactly(INTERIM);
            assertThat(took).isBetween(950L, 1_700L);
            assertThat(metric("mirt_webhook_response_waiting")).endsWith(" 0.0");
          });
          return storedMessage("Ви тут?");
        })
        .compose(m -> offer(m, reply("Пізно")))
        .onComplete(ctx.succeeding(late -> ctx.verify(() -> {
          assertThat(late.getBoolean("delivered")).isFalse();
          assertThat(metric("mirt_webhook_response_answers_total{outcome=\"interim\"}")).endsWith(" 1.0");
          ctx.completeNow();
        })));
    }

    @Test
    void aClosedConnectionIsForgottenAndItsReplyFindsNoRequest(VertxTestContext ctx) {
      HttpClient http = vertx.createHttpClient();
      deploy(5).compose(w -> http.request(HttpMethod.POST, w.port(), "127.0.0.1", WebhookVerticle.WEBHOOK_PATH))
        .compose(req -> {
          req.putHeader("Content-Type", "application/json").putHeader("X-ManyChat-Token", TOKEN)
            .send(message("5001", "бувай").toBuffer());
          return storedMessage("бувай").compose(m -> closeAndWait(req).map(m));
        })
        .compose(m -> {
          ctx.verify(() -> assertThat(metric("mirt_webhook_response_waiting")).as("forgotten at once")
            .endsWith(" 0.0"));
          return offer(m, reply("Нікому"));
        })
        .onComplete(ctx.succeeding(ack -> ctx.verify(() -> {
          assertThat(ack.getBoolean("delivered")).isFalse();
          assertThat(metric("mirt_webhook_response_answers_total{outcome=\"closed\"}")).endsWith(" 1.0");
          ctx.completeNow();
        })));
    }

    private Future<String> closeAndWait(HttpClientRequest req) {
      return req.connection().close().compose(v -> Poll.until(vertx,
        () -> metric("mirt_webhook_response_answers_total{outcome=\"closed\"}"), WAIT, "the closed request forgotten"));
    }

    @Test
    void badRequestsAndAStoreThatFailsAreStillAnsweredAtOnce(VertxTestContext ctx) {
      deploy(5).compose(w -> {
        var notJson = client.post(w.port(), "127.0.0.1", WebhookVerticle.WEBHOOK_PATH)
          .putHeader("Content-Type", "application/json").putHeader("X-ManyChat-Token", TOKEN)
          .sendBuffer(Buffer.buffer("{not json"));
        var noId = send(w, new JsonObject().put("message", new JsonObject().put("text", "hi")));
        var badChannel = send(w, message("1", "a").put("type", "pigeon"));
        var wrongToken = client.post(w.port(), "127.0.0.1", WebhookVerticle.WEBHOOK_PATH)
          .putHeader("Content-Type", "application/json").putHeader("X-ManyChat-Token", "nope")
          .sendBuffer(message("1", "a").toBuffer());
        var wrongType = client.post(w.port(), "127.0.0.1", WebhookVerticle.WEBHOOK_PATH)
          .putHeader("Content-Type", "text/plain").putHeader("X-ManyChat-Token", TOKEN).sendBuffer(Buffer.buffer("a"));
        return Future.all(List.of(notJson, noId, badChannel, wrongToken, wrongType)).compose(bad -> {
          storeDown = true;
          return send(w, message("1", "a")).map(down -> List.of(notJson.result(), noId.result(), badChannel.result(),
            wrongToken.result(), wrongType.result(), down));
        });
      }).onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
        assertError(rs.get(0), 400, "not valid JSON");
        assertError(rs.get(1), 400, "missing subscriber id");
        assertError(rs.get(2), 400, "unknown channel");
        assertError(rs.get(3), 401, "invalid token");
        assertError(rs.get(4), 415, "application/json");
        assertError(rs.get(5), 503, "storage unavailable");
        assertThat(stored).isEmpty();
        assertThat(metric("mirt_webhook_response_held_total")).as("nothing was held").isNull();
        ctx.completeNow();
      })));
    }

    @Test
    void aNewerMessageTakenByAnotherWebhookAnswersTheOlderRequestEmpty(VertxTestContext ctx) {
      Future.all(deploy(5), deploy(5)).compose(both -> {
        Webhook one = both.resultAt(0);
        Webhook two = both.resultAt(1);
        Future<HttpResponse<Buffer>> first = send(one, message("6001", "x1"));
        return storedMessage("x1").compose(m1 -> {
          Future<HttpResponse<Buffer>> second = send(two, message("6001", "x2"));
          return first.compose(r1 -> {
            ctx.verify(() -> {
              assertThat(block(r1)).isEmpty();
              assertThat(second.isComplete()).isFalse();
            });
            return storedMessage("x2");
          }).compose(m2 -> {
            ctx.verify(() -> assertThat(m2.replyTo()).as("each webhook its own address").isNotEqualTo(m1.replyTo()));
            return offer(m1, reply("не туди")).compose(wrong -> {
              ctx.verify(() -> assertThat(wrong.getBoolean("delivered")).isFalse());
              return offer(m2, reply("Відповідь"));
            });
          }).compose(ack -> second);
        });
      }).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(block(r)).containsExactly("Відповідь");
        ctx.completeNow();
      })));
    }

    @Test
    void newerNoticesAreOrderedByArrivalAndTiesByAddress(VertxTestContext ctx) {
      deploy(5).compose(w -> {
        Future<HttpResponse<Buffer>> held = send(w, message("7001", "перше"));
        return storedMessage("перше").compose(m -> {
          String sub = m.subscriberId();
          long at = m.receivedAt();
          // Older than ours, our own, and a tie with a smaller address: all leave the request waiting.
          newer(sub, "response.to.zzz", at - 1);
          newer(sub, m.replyTo(), at + 1);
          newer(sub, "response.to.a", at);
          return roundTrip(m).compose(v -> {
            ctx.verify(() -> assertThat(held.isComplete()).as("still waiting").isFalse());
            // A tie with a larger address wins.
            newer(sub, "response.to.zzz", at);
            return held;
          });
        });
      }).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(block(r)).isEmpty();
        ctx.completeNow();
      })));
    }

    private void newer(String subscriberId, String replyTo, long receivedAt) {
      vertx.eventBus().publish(Addresses.RESPONSE_NEWER, new JsonObject().put("subscriberId", subscriberId)
        .put("replyTo", replyTo).put("receivedAt", receivedAt));
    }

    /** An offer for nobody to the same webhook: answered after everything published to it before. */
    private Future<Void> roundTrip(InboundMessage m) {
      return vertx.eventBus().<JsonObject>request(m.replyTo(), new JsonObject().put("subscriberId", "nobody")
        .put("block", reply("-"))).map(r -> {
          assertThat(r.body().getBoolean("delivered")).isFalse();
          return null;
        });
    }

    @Test
    void aReplyTheHolderCannotReadIsRefused(VertxTestContext ctx) {
      deploy(5).compose(w -> {
        send(w, message("8001", "щось"));
        return storedMessage("щось");
      }).compose(m -> vertx.eventBus().request(m.replyTo(), new JsonObject().put("subscriberId", "8001"))
        .transform(ar -> Future.succeededFuture(ar.cause())))
        .onComplete(ctx.succeeding(err -> ctx.verify(() -> {
          assertThat(err).isInstanceOf(io.vertx.core.eventbus.ReplyException.class);
          assertThat(((io.vertx.core.eventbus.ReplyException) err).failureCode()).isEqualTo(400);
          ctx.completeNow();
        })));
    }

    @Test
    void aWebhookThatStopsAnswersItsHeldRequestsWithTheInterimText(VertxTestContext ctx) {
      deploy(5).compose(w -> {
        Future<HttpResponse<Buffer>> held = send(w, message("9001", "чекаю"));
        return storedMessage("чекаю").compose(m -> vertx.undeploy(w.deployment()).compose(v -> held));
      }).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(block(r)).containsExactly(INTERIM);
        assertThat(metric("mirt_webhook_response_waiting")).as("the gauge goes with the verticle").isNull();
        ctx.completeNow();
      })));
    }
  }
}
