package ai.mirt.app;

/**
 * The customer texts of the process tests: every text names its subscriber ({@code s1101 m2}), so a model call or a
 * reply shows whose messages its turn held, and the echo model's reply to a burst is predictable.
 */
final class Bursts {

  static final int SIZE = 3;

  private Bursts() {
  }

  /** What every text of the subscriber starts with; also how model calls are attributed. */
  static String tag(long subscriber) {
    return "s" + subscriber + " ";
  }

  /** The {@code i}-th text (from 1) of the subscriber's burst {@code label}. */
  static String text(long subscriber, String label, int i) {
    return tag(subscriber) + label + "m" + i;
  }

  static String text(long subscriber, int i) {
    return text(subscriber, "", i);
  }

  /** The burst's texts joined as its turn joins them. */
  static String burst(long subscriber, String label) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= SIZE; i++) {
      sb.append(i > 1 ? "\n" : "").append(text(subscriber, label, i));
    }
    return sb.toString();
  }

  static String burst(long subscriber) {
    return burst(subscriber, "");
  }

  /** The echo model's reply to the burst. */
  static String echo(long subscriber, String label) {
    return "ECHO[" + burst(subscriber, label) + "]";
  }

  static String echo(long subscriber) {
    return echo(subscriber, "");
  }

  /** Posts the burst, message {@code i} to {@code instances[i % n]}, each acknowledged with 202. */
  static void accept(long subscriber, String label, MirtProcess... instances) {
    for (int i = 1; i <= SIZE; i++) {
      instances[(i - 1) % instances.length].accept(subscriber, text(subscriber, label, i));
    }
  }

  static void accept(long subscriber, MirtProcess... instances) {
    accept(subscriber, "", instances);
  }
}
