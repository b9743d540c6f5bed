package ai.mirt.webhook;

import ai.mirt.common.MirtConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The HTTP face of a node that runs no webhook (an agent or push node of a cluster): {@code GET /health} and
 * {@code GET /metrics} on the same port, and a JSON 404 for everything else, webhooks and admin included.
 */
public class StatusVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(StatusVerticle.class);

  private HttpServer server;

  @Override
  public Future<?> start() {
    MirtConfig cfg = MirtConfig.fromJson(config());
    MeterRegistry registry = Optional.ofNullable(BackendRegistries.getDefaultNow()).orElseGet(SimpleMeterRegistry::new);
    Router router = Router.router(vertx);
    new NodeStatus(vertx, cfg, registry).mount(router);
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(cfg.http().port(), cfg.http().host())
      .onSuccess(s -> LOG.info("health and metrics listening on {}:{} (no webhook on this node)", cfg.http().host(),
        s.actualPort()));
  }

  /** The port actually bound (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
