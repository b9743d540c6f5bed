package ai.mirt.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

/** Where Mirt's meters go. */
public final class Metrics {

  private Metrics() {
  }

  /**
   * The registry to use: the one given (tests), else the one Vert.x reports to (Prometheus, served on
   * {@code /metrics}), else a private one when Vert.x runs without metrics.
   */
  public static MeterRegistry registry(MeterRegistry given) {
    if (given != null) {
      return given;
    }
    MeterRegistry vertx = BackendRegistries.getDefaultNow();
    return vertx != null ? vertx : new SimpleMeterRegistry();
  }
}
