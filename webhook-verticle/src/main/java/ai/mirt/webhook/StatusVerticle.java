package ai.mirt.webhook;

import ai.mirt.common.Metrics;
import ai.mirt.common.MirtConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


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
    Router router = Router.router(vertx);
    new NodeStatus(vertx, cfg, Metrics.registry(null)).mount(router);
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
