package ai.mirt.webhook;

import ai.mirt.common.Addresses;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The subscriber API and the manager's takeover switch, answered by any node's agent:
 * <ul>
 *   <li>{@code GET /admin/subscribers/{id}}: state, intent, pause, pending and latest messages, latest reply;</li>
 *   <li>{@code POST /admin/subscribers/{id}/pause} (optional {@code {"minutes": n}}) and
 *       {@code POST /admin/subscribers/{id}/resume}, with the admin token;</li>
 *   <li>{@code POST /webhooks/manychat/control} with {@code {"subscriber":{"id":…},"action":"pause"|"resume",
 *       "minutes":n}} and the webhook token, for a button in ManyChat's Live Chat.</li>
 * </ul>
 */
final class SubscriberRoutes {

  static final String CONTROL_PATH = WebhookVerticle.WEBHOOK_PATH + "/control";
  /** Small JSON bodies only: an id, an action and a number. */
  static final int MAX_BODY_BYTES = 4 * 1024;
  static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;

  private SubscriberRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  static void mount(Vertx vertx, Router router, Handler<RoutingContext> webhookAuth,
                    Handler<RoutingContext> adminAuth, Handler<RoutingContext> requireJson) {
    SubscriberRoutes routes = new SubscriberRoutes(vertx);
    router.get("/admin/subscribers/:id").handler(adminAuth).handler(ctx -> routes.ask(ctx,
      request(ctx.pathParam("id"), "view", null)));
    router.post("/admin/subscribers/:id/resume").handler(adminAuth).handler(ctx -> routes.ask(ctx,
      request(ctx.pathParam("id"), "resume", null)));
    router.post("/admin/subscribers/:id/pause").handler(adminAuth)
      .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(routes::adminPause);
    router.post(CONTROL_PATH).handler(webhookAuth).handler(requireJson)
      .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(routes::control);
  }

  private static JsonObject request(String subscriber, String action, Object minutes) {
    JsonObject r = new JsonObject().put("subscriber", subscriber).put("action", action).put("by", "admin");
    return minutes == null ? r : r.put("minutes", minutes);
  }

  private void adminPause(RoutingContext ctx) {
    JsonObject body;
    if (ctx.body().buffer() == null || ctx.body().buffer().length() == 0) {
      body = new JsonObject();
    } else {
      body = NodeStatus.jsonBody(ctx);
      if (body == null) {
        return;
      }
    }
    ask(ctx, request(ctx.pathParam("id"), "pause", body.getValue("minutes")));
  }

  private void control(RoutingContext ctx) {
    JsonObject body = NodeStatus.jsonBody(ctx);
    if (body == null) {
      return;
    }
    String id;
    try {
      Object sub = body.getValue("subscriber");
      Object raw = sub instanceof JsonObject o ? o.getValue("id") : sub != null ? sub : body.getValue("subscriber_id");
      id = PayloadParser.id(raw, "subscriber.id");
    } catch (BadRequestException e) {
      NodeStatus.error(ctx, e.status(), e.getMessage());
      return;
    }
    Object action = body.getValue("action");
    if (!"pause".equals(action) && !"resume".equals(action)) {
      NodeStatus.error(ctx, 400, "action must be pause or resume");
      return;
    }
    JsonObject request = new JsonObject().put("subscriber", id).put("action", action).put("by", "manychat");
    if (body.containsKey("minutes")) {
      request.put("minutes", body.getValue("minutes"));
    }
    ask(ctx, request);
  }

  private void ask(RoutingContext ctx, JsonObject request) {
    NodeStatus.relay(ctx, vertx.eventBus().request(Addresses.SUBSCRIBER_DESK, request,
      new DeliveryOptions().setSendTimeout(TIMEOUT_MS)), "subscribers", "the agent");
  }
}
