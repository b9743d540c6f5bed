package ai.mirt.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A verticle's presence on the (clustered) event bus: it answers on {@link Addresses#role(String)} with the name of
 * its instance, so that any node can tell whether some node runs that role.
 */
public final class Presence {

  private Presence() {
  }

  /** Registers the presence consumer of {@code role}; completes once it is known across the cluster. */
  public static Future<Void> announce(Vertx vertx, String role, String instance) {
    JsonObject answer = new JsonObject().put("instance", instance);
    return vertx.eventBus().<JsonObject>consumer(Addresses.role(role), m -> m.reply(answer)).completion();
  }
}
