package ai.mirt.agent;

import java.util.Locale;

/** The graph's answering nodes; each writes the answer for one kind of turn. */
public enum Step {
  VISION,
  DISCOVERY,
  OFFER,
  PAYMENT,
  UPSELL,
  ESCALATION,
  OUT_OF_DOMAIN;

  /** The node's name in the graph: {@code vision}, {@code discovery}, … */
  public String node() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Step fromNode(String node) {
    return valueOf(node.toUpperCase(Locale.ROOT));
  }
}
