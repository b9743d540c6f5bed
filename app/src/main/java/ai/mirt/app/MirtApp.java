package ai.mirt.app;

import ai.mirt.agent.AgentVerticle;
import ai.mirt.common.Addresses;
import ai.mirt.common.MirtConfig;
import ai.mirt.debounce.DebounceVerticle;
import ai.mirt.push.PushVerticle;
import ai.mirt.webhook.WebhookVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One running Mirt: a Vert.x instance with the four verticles, started and stopped in order. */
public final class MirtApp {

  private static final Logger LOG = LoggerFactory.getLogger(MirtApp.class);

  private final Vertx vertx;
  private final MirtConfig config;
  private final boolean verifyTokenGenerated;
  private final boolean adminTokenGenerated;
  private String webhookDeployment;
  private int port;

  private MirtApp(Vertx vertx, MirtConfig config, boolean verifyTokenGenerated, boolean adminTokenGenerated) {
    this.vertx = vertx;
    this.config = config;
    this.verifyTokenGenerated = verifyTokenGenerated;
    this.adminTokenGenerated = adminTokenGenerated;
  }

  /** Vert.x as Mirt runs it: Micrometer metrics with the Prometheus backend, so /metrics works. */
  public static Vertx newVertx() {
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
      .setEnabled(true));
    return Vertx.builder().with(options).build();
  }

  /**
   * Deploys push → agent → debounce → webhook, so that nothing is accepted before every stage behind it runs.
   * Missing webhook and admin tokens are generated here: Mirt never accepts unauthenticated requests.
   */
  public static Future<MirtApp> start(Vertx vertx, MirtConfig given) {
    boolean genVerify = given.manychat().verifyToken().isBlank();
    boolean genAdmin = given.admin().token().isBlank();
    JsonObject json = given.toJson();
    if (genVerify) {
      json.put("manychat.verify-token", randomToken());
    }
    if (genAdmin) {
      json.put("admin.token", randomToken());
    }
    MirtConfig cfg = MirtConfig.fromJson(json);
    MirtApp app = new MirtApp(vertx, cfg, genVerify, genAdmin);
    DeploymentOptions plain = new DeploymentOptions().setConfig(json);
    DeploymentOptions worker = new DeploymentOptions(plain).setThreadingModel(ThreadingModel.WORKER);
    WebhookVerticle webhook = new WebhookVerticle();
    return vertx.deployVerticle(new PushVerticle(), plain)
      .compose(id -> vertx.deployVerticle(new AgentVerticle(), worker))
      .compose(id -> vertx.deployVerticle(new DebounceVerticle(), plain))
      .compose(id -> vertx.deployVerticle(webhook, plain))
      .map(id -> {
        app.webhookDeployment = id;
        app.port = webhook.actualPort();
        return app;
      });
  }

  /**
   * Stops taking webhooks, lets buffered and in-flight turns finish within the grace period, then closes.
   * Blocks; call it from a thread of its own (a signal handler, a test), never from a Vert.x thread: the close
   * stops the event loops that would otherwise have to report its end.
   */
  public void shutdown() throws InterruptedException {
    long graceMs = config.shutdownGraceSeconds() * 1000L;
    LOG.info("shutting down: no new webhooks; finishing buffered turns for up to {} s", config.shutdownGraceSeconds());
    Future<Void> stopWebhook = webhookDeployment == null ? Future.succeededFuture() : vertx.undeploy(webhookDeployment);
    Future<JsonObject> drained = stopWebhook.compose(v -> vertx.eventBus().<JsonObject>request(Addresses.DEBOUNCE_DRAIN,
        new JsonObject().put("deadlineMs", System.currentTimeMillis() + graceMs),
        new DeliveryOptions().setSendTimeout(graceMs + 5_000)))
      .map(Message::body);
    try {
      JsonObject r = drained.toCompletionStage().toCompletableFuture().get(graceMs + 10_000, TimeUnit.MILLISECONDS);
      if (r.getBoolean("idle", false)) {
        LOG.info("all turns finished");
      } else {
        LOG.warn("grace period over: {} messages still buffered and {} turns in flight are dropped",
          r.getInteger("pendingMessages"), r.getInteger("inFlight"));
      }
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("draining turns failed: {}", e.getCause() != null ? e.getCause().getMessage() : e.toString());
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("closing Vert.x failed: {}", e.toString());
    }
  }

  public MirtConfig config() {
    return config;
  }

  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  boolean verifyTokenGenerated() {
    return verifyTokenGenerated;
  }

  boolean adminTokenGenerated() {
    return adminTokenGenerated;
  }

  private static String randomToken() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
