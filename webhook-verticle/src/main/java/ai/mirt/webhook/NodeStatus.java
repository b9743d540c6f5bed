package ai.mirt.webhook;

import ai.mirt.common.Addresses;
import ai.mirt.common.ComponentHealth;
import ai.mirt.common.MirtConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every node serves, whatever verticles it runs: {@code GET /health} and {@code GET /metrics}, and JSON errors.
 *
 * <p>Health is 200 when the verticles of this node are up, 503 when one of them is down. The body also names the
 * roles that no node of the cluster runs ({@code missing}): work for such a role waits until a node with it joins,
 * which does not make this node unhealthy.
 */
public final class NodeStatus {

  public static final String JSON = "application/json";

  private static final Map<String, String> HEALTH_ADDRESSES = Map.of(
    "debounce", Addresses.HEALTH_DEBOUNCE,
    "agent", Addresses.HEALTH_AGENT,
    "push", Addresses.HEALTH_PUSH);

  private final Vertx vertx;
  private final MirtConfig cfg;
  private final MeterRegistry registry;

  public NodeStatus(Vertx vertx, MirtConfig cfg, MeterRegistry registry) {
    this.vertx = vertx;
    this.cfg = cfg;
    this.registry = registry;
  }

  /** Mounts {@code /health} and {@code /metrics}, and JSON answers for unknown paths and methods. */
  public void mount(Router router) {
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(this::metrics);
    router.errorHandler(404, ctx -> error(ctx, 404, "no such endpoint: " + ctx.request().method() + " "
      + ctx.request().path()));
    router.errorHandler(405, ctx -> error(ctx, 405, "method " + ctx.request().method() + " not allowed on "
      + ctx.request().path()));
  }

  /** This node's health: its own verticles, and the roles missing from the cluster. */
  public Future<JsonObject> check() {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(2_000);
    List<String> local = new ArrayList<>();
    List<Future<ComponentHealth>> checks = new ArrayList<>();
    for (String role : MirtConfig.Node.ROLES) {
      if (!cfg.node().runs(role)) {
        continue;
      }
      local.add(role);
      if (role.equals("webhook")) {
        checks.add(Future.succeededFuture(new ComponentHealth(true,
          new JsonObject().put("mode", cfg.manychat().pushMode() ? "push" : "response"))));
      } else {
        checks.add(vertx.eventBus().<JsonObject>request(HEALTH_ADDRESSES.get(role), new JsonObject(), opts)
          .map(r -> ComponentHealth.fromJson(r.body()))
          .otherwise(e -> new ComponentHealth(false, new JsonObject().put("error", e.getMessage()))));
      }
    }
    List<String> remote = MirtConfig.Node.ROLES.stream().filter(r -> !cfg.node().runs(r)).toList();
    List<Future<Boolean>> present = remote.stream()
      .map(r -> vertx.eventBus().request(Addresses.role(r), new JsonObject(), opts)
        .map(m -> true)
        // Only "nobody listens" means missing; a slow answer is a slow node, not an absent role.
        .otherwise(e -> !(e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS)))
      .toList();
    return Future.join(Future.join(checks), Future.join(present)).transform(ar -> {
      JsonObject components = new JsonObject();
      boolean up = true;
      for (int i = 0; i < local.size(); i++) {
        ComponentHealth h = checks.get(i).result();
        up &= h.up();
        components.put(local.get(i), h.toJson());
      }
      JsonArray missing = new JsonArray();
      for (int i = 0; i < remote.size(); i++) {
        if (!present.get(i).result()) {
          missing.add(remote.get(i));
        }
      }
      return Future.succeededFuture(new JsonObject()
        .put("status", up ? "UP" : "DOWN")
        .put("instance", cfg.state().instanceId())
        .put("verticles", new JsonArray(local))
        .put("cluster", new JsonObject().put("enabled", cfg.cluster().enabled()).put("missing", missing))
        .put("components", components));
    });
  }

  private void health(RoutingContext ctx) {
    check().onComplete(ar -> {
      JsonObject body = ar.result();
      send(ctx, "UP".equals(body.getString("status")) ? 200 : 503, body);
    });
  }

  private void metrics(RoutingContext ctx) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      PrometheusScrapingHandler.create(prometheus).handle(ctx);
    } else {
      error(ctx, 503, "metrics are not enabled in this process");
    }
  }

  /** The request's body as a JSON object; {@code null} once a body that is not one was answered with 400. */
  static JsonObject jsonBody(RoutingContext ctx) {
    try {
      Object parsed = ctx.body().buffer() == null ? null : io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
      if (parsed instanceof JsonObject o) {
        return o;
      }
      error(ctx, 400, "body must be a JSON object");
    } catch (DecodeException e) {
      error(ctx, 400, "body is not valid JSON");
    }
    return null;
  }

  /**
   * Answers with what another verticle replied over the bus: 200 and its body; its refusal's own HTTP status; 503
   * when no node runs {@code role}, or the bus failed.
   */
  static void relay(RoutingContext ctx, Future<Message<JsonObject>> asked,
                    String what, String role) {
    asked.onSuccess(r -> send(ctx, 200, r.body())).onFailure(e -> {
      if (e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() >= 400 && re.failureCode() < 600) {
        error(ctx, re.failureCode(), re.getMessage());
      } else if (e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
        error(ctx, 503, what + " unavailable: no node runs " + role);
      } else {
        error(ctx, 503, what + " unavailable: " + e.getMessage());
      }
    });
  }

  public static void error(RoutingContext ctx, int status, String message) {
    send(ctx, status, new JsonObject().put("error", message));
  }

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body.encode());
  }
}
