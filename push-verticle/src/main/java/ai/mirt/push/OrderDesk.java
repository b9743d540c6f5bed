package ai.mirt.push;

import ai.mirt.state.OrderStore;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The stored orders, newest first, for {@code GET /admin/orders}. Answered by every push, whether or not it posts
 * orders: the orders are stored either way, and the list is how people see them without a CRM.
 */
final class OrderDesk {

  static final int MAX_LIST = 1_000;
  static final int DEFAULT_LIST = 100;

  private final OrderStore orders;

  OrderDesk(OrderStore orders) {
    this.orders = orders;
  }

  /** {@code {"limit": n}} (1 to {@link #MAX_LIST}; default {@link #DEFAULT_LIST}) → {@code {"orders": [...]}}. */
  void handle(Message<Object> msg) {
    Object given = msg.body() instanceof JsonObject body ? body.getValue("limit") : null;
    if (given != null && !(given instanceof Integer)) {
      msg.fail(400, "limit must be a whole number from 1 to " + MAX_LIST);
      return;
    }
    int limit = given == null ? DEFAULT_LIST : Math.max(1, Math.min((Integer) given, MAX_LIST));
    orders.recent(limit)
      .onSuccess(list -> {
        JsonArray out = new JsonArray();
        list.forEach(o -> out.add(o.toJson()));
        msg.reply(new JsonObject().put("orders", out));
      })
      .onFailure(e -> msg.fail(503, "storage unavailable: " + e.getMessage()));
  }
}
