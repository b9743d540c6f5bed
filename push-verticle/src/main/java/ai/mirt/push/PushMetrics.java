package ai.mirt.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The push counters that more than one piece increments, so that each has one name, one description. */
final class PushMetrics {

  private PushMetrics() {
  }

  /** A reply, or part of one, given up: counted by the reason's code. */
  static void deadLetter(MeterRegistry registry, String code) {
    Counter.builder("mirt.push.dead.letters").description("replies, or parts of them, that could not be delivered, "
      + "by reason").tag("reason", code).register(registry).increment();
  }

  /** A reply whose messages reached the customer without some of its actions or later calls. */
  static void partial(MeterRegistry registry, String code) {
    Counter.builder("mirt.push.partial").description("replies delivered without some of their actions or calls")
      .tag("reason", code).register(registry).increment();
  }
}
