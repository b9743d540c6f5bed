package ai.mirt.app;

import ai.mirt.agent.AgentVerticle;
import ai.mirt.common.Addresses;
import ai.mirt.common.Metrics;
import ai.mirt.common.MirtConfig;
import ai.mirt.debounce.DebounceVerticle;
import ai.mirt.push.PushVerticle;
import ai.mirt.state.Stores;
import ai.mirt.webhook.StatusVerticle;
import ai.mirt.webhook.WebhookVerticle;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running Mirt: a Vert.x instance with the four verticles, started and stopped in order, and the stores they
 * share (chosen here: memory, or Redis when {@code redis.url} is set).
 */
public final class MirtApp {

  private static final Logger LOG = LoggerFactory.getLogger(MirtApp.class);

  private final Vertx vertx;
  private final MirtConfig config;
  private final Stores stores;
  private final boolean verifyTokenGenerated;
  private final boolean adminTokenGenerated;
  private String webhookDeployment;
  private int port;
  private HazelcastClusterManager clusterManager;

  private MirtApp(Vertx vertx, MirtConfig config, Stores stores, boolean verifyTokenGenerated,
                  boolean adminTokenGenerated) {
    this.vertx = vertx;
    this.config = config;
    this.stores = stores;
    this.verifyTokenGenerated = verifyTokenGenerated;
    this.adminTokenGenerated = adminTokenGenerated;
  }

  /** Vert.x as Mirt runs it: Micrometer metrics with the Prometheus backend, so /metrics works. */
  public static Vertx newVertx() {
    return Vertx.builder().with(options()).build();
  }

  /**
   * Vert.x's own metrics of the HTTP server and the event bus look up a meter for every request and every message,
   * a measurable share of the webhook's cost under load; Mirt's {@code mirt_webhook_*} and {@code mirt_debounce_*}
   * metrics say what those would about the webhook and the backlog. The rest (HTTP client, pools, net) stays.
   */
  private static VertxOptions options() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
      .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
      .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
      .setEnabled(true));
  }

  /**
   * Builds Vert.x as the configuration asks (on the Hazelcast cluster with {@code cluster.enabled}, after joining
   * it) and starts Mirt on it. If the start fails, that Vert.x is closed again (and the cluster left).
   *
   * @throws ConfigException when the cluster settings cannot be used (a Hazelcast file that does not exist or does
   *                         not parse, a host that is not an address)
   */
  public static Future<MirtApp> launch(MirtConfig cfg) {
    if (!cfg.cluster().enabled()) {
      Vertx vertx = newVertx();
      return start(vertx, cfg).recover(e -> vertx.close().transform(v -> Future.failedFuture(e)));
    }
    HazelcastClusterManager manager = Clustering.manager(cfg.cluster());
    return Clustering.start(options(), cfg.cluster(), manager)
      .compose(vertx -> start(vertx, cfg)
        .map(app -> {
          app.clusterManager = manager;
          return app;
        })
        .recover(e -> vertx.close().transform(v -> Future.failedFuture(e))));
  }

  /**
   * Chooses the stores, then deploys the node's verticles in the order push → agent → debounce → webhook, so that
   * nothing is accepted before every stage behind it runs. A node without the webhook serves health and metrics
   * only. Missing webhook and admin tokens are generated here: Mirt never accepts unauthenticated requests; a
   * missing instance id becomes host name and process id.
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
    if (given.state().instanceId().isBlank()) {
      json.put("instance.id", defaultInstanceId());
    }
    MirtConfig cfg = MirtConfig.fromJson(json);
    String instance = cfg.state().instanceId();
    MeterRegistry registry = Metrics.registry(null);
    Stores stores = cfg.state().redis() ? Stores.redis(vertx, cfg, registry) : Stores.memory(cfg);
    MirtApp app = new MirtApp(vertx, cfg, stores, genVerify, genAdmin);
    DeploymentOptions plain = new DeploymentOptions().setConfig(json);
    DeploymentOptions worker = new DeploymentOptions(plain).setThreadingModel(ThreadingModel.WORKER);
    // A node that runs debounce stores its webhooks in the debounce's store directly; a webhook-only node sends them
    // to a debounce elsewhere in the cluster.
    WebhookVerticle webhook = new WebhookVerticle(cfg.node().runs("debounce") ? stores.turns() : null);
    StatusVerticle status = new StatusVerticle();
    Future<String> chain = checkStore(cfg, stores).map("");
    for (String role : MirtConfig.Node.DEPLOY_ORDER) {
      if (!cfg.node().runs(role)) {
        continue;
      }
      chain = chain.compose(id -> switch (role) {
        case "push" -> vertx.deployVerticle(new PushVerticle(stores.outbox(), stores.deadLetters(), stores.rates(),
          stores.orders(), instance, null), plain);
        case "agent" -> vertx.deployVerticle(new AgentVerticle(stores.turns(), stores.conversations(),
          stores.counters(), stores.orders(), stores.controls(), stores.followUps(), instance, null,
          System::currentTimeMillis), worker);
        case "debounce" -> vertx.deployVerticle(new DebounceVerticle(stores.turns(), instance, null), plain);
        default -> vertx.deployVerticle(webhook, plain).onSuccess(d -> app.webhookDeployment = d);
      });
    }
    if (!cfg.node().runs("webhook")) {
      chain = chain.compose(id -> vertx.deployVerticle(status, plain));
    }
    return chain.map(id -> {
      app.port = cfg.node().runs("webhook") ? webhook.actualPort() : status.actualPort();
      return app;
    });
  }

  /** A Redis that does not answer yet is no reason not to start: webhooks answer 503 until it does. */
  private static Future<Void> checkStore(MirtConfig cfg, Stores stores) {
    return stores.ping().recover(e -> {
      LOG.warn("Redis at {} does not answer yet ({}); webhooks answer 503 until it does",
        redactedRedisUrl(cfg.state().redisUrl()), e.getMessage());
      return Future.succeededFuture();
    });
  }

  /** The Redis URL without its password, for the banner and logs. */
  static String redactedRedisUrl(String url) {
    try {
      URI u = new URI(url);
      if (u.getUserInfo() == null) {
        return url;
      }
      return new URI(u.getScheme(), "***", u.getHost(), u.getPort(), u.getPath(), u.getQuery(), u.getFragment())
        .toString();
    } catch (Exception e) {
      return "(unreadable URL)";
    }
  }

  private static String defaultInstanceId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "mirt";
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  /**
   * Stops taking webhooks, lets buffered and in-flight turns finish within the grace period, then closes.
   * Blocks; call it from a thread of its own (a signal handler, a test), never from a Vert.x thread: the close
   * stops the event loops that would otherwise have to report its end.
   */
  public void shutdown() throws InterruptedException {
    long graceMs = config.shutdownGraceSeconds() * 1000L;
    boolean shared = config.state().redis();
    LOG.info("shutting down: no new webhooks; {} for up to {} s", shared
      ? "finishing the turns and replies this instance is working on (buffered messages stay in Redis)"
      : "finishing buffered turns", config.shutdownGraceSeconds());
    long deadline = System.currentTimeMillis() + graceMs;
    Future<Void> stopWebhook = webhookDeployment == null ? Future.succeededFuture() : vertx.undeploy(webhookDeployment);
    Future<JsonObject> drained = stopWebhook.compose(v -> !config.node().runs("debounce")
        ? Future.succeededFuture(new JsonObject().put("idle", true))
        : vertx.eventBus().<JsonObject>request(Addresses.DEBOUNCE_DRAIN,
            new JsonObject().put("deadlineMs", deadline).put("claim", !shared),
            new DeliveryOptions().setSendTimeout(graceMs + 5_000)).map(Message::body))
      .compose(r -> shared ? localWorkDone(deadline) : Future.succeededFuture(r));
    try {
      JsonObject r = drained.toCompletionStage().toCompletableFuture().get(graceMs + 10_000, TimeUnit.MILLISECONDS);
      if (r.getBoolean("idle", false)) {
        LOG.info("all turns finished");
      } else if (shared) {
        LOG.warn("grace period over: work still running here is taken over by another instance when its lease ends");
      } else {
        LOG.warn("grace period over: {} messages still buffered and {} turns in flight are dropped",
          r.getInteger("pendingMessages"), r.getInteger("inFlight"));
      }
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("draining turns failed: {}", e.getCause() != null ? e.getCause().getMessage() : e.toString());
    }
    try {
      // The verticles first, so that no sweep runs against a store that is already closed.
      Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
        .transform(ar -> stores.close())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("closing the store failed: {}", e.toString());
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("closing Vert.x failed: {}", e.toString());
    }
  }

  /**
   * With shared state: waits until this instance's agent and push have nothing in hand. Completes with
   * {@code {"idle": false}} at the deadline.
   */
  private Future<JsonObject> localWorkDone(long deadline) {
    Future<Integer> agent = active("agent", Addresses.HEALTH_AGENT);
    Future<Integer> push = active("push", Addresses.HEALTH_PUSH);
    return Future.join(agent, push).transform(ar -> {
      boolean idle = agent.succeeded() && push.succeeded() && agent.result() == 0 && push.result() == 0;
      if (idle || System.currentTimeMillis() >= deadline) {
        return Future.succeededFuture(new JsonObject().put("idle", idle));
      }
      return vertx.timer(50).compose(v -> localWorkDone(deadline));
    });
  }

  /** How many turns or replies this node's verticle of that role has in hand; 0 when the node does not run it. */
  private Future<Integer> active(String role, String healthAddress) {
    if (!config.node().runs(role)) {
      return Future.succeededFuture(0);
    }
    return vertx.eventBus().<JsonObject>request(healthAddress, new JsonObject(),
        new DeliveryOptions().setSendTimeout(2_000))
      .map(m -> m.body().getInteger("active", 0));
  }

  /** How this node sits in its cluster, for the banner; {@code null} when it is not clustered. */
  String clusterDescription() {
    return clusterManager == null ? null : Clustering.describe(clusterManager);
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

  public Stores stores() {
    return stores;
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
