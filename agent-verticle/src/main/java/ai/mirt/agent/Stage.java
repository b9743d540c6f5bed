package ai.mirt.agent;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a conversation stands in the sale; the name is written to the {@code ai_state} field, so the shop's ManyChat
 * flows can branch on it. {@link #canGoTo} is the transition table: a node that asks for a move the table does not
 * allow is refused (and logged) and the conversation keeps its stage, never silently reset.
 */
public enum Stage {
  STATE_0_INIT,
  STATE_1_DISCOVERY,
  STATE_2_VISION,
  STATE_3_SIZE_COLOR,
  STATE_4_OFFER,
  STATE_5_PAYMENT_DELIVERY,
  STATE_6_UPSELL,
  STATE_7_END,
  STATE_8_COMPLAINT,
  STATE_9_OOD;

  private static final Map<Stage, Set<Stage>> NEXT = new EnumMap<>(Stage.class);

  static {
    // Complaints and off-topic questions may come at any point, and a conversation may always stay where it is.
    Set<Stage> anyTime = EnumSet.of(STATE_8_COMPLAINT, STATE_9_OOD);
    Set<Stage> browsing = EnumSet.of(STATE_1_DISCOVERY, STATE_2_VISION, STATE_3_SIZE_COLOR, STATE_4_OFFER);
    allow(STATE_0_INIT, browsing, anyTime);
    allow(STATE_1_DISCOVERY, browsing, anyTime);
    allow(STATE_2_VISION, browsing, anyTime);
    allow(STATE_3_SIZE_COLOR, browsing, anyTime);
    allow(STATE_4_OFFER, browsing, anyTime, EnumSet.of(STATE_5_PAYMENT_DELIVERY));
    allow(STATE_5_PAYMENT_DELIVERY, anyTime, EnumSet.of(STATE_4_OFFER, STATE_5_PAYMENT_DELIVERY, STATE_6_UPSELL,
      STATE_7_END));
    allow(STATE_6_UPSELL, anyTime, EnumSet.of(STATE_5_PAYMENT_DELIVERY, STATE_6_UPSELL, STATE_7_END,
      STATE_1_DISCOVERY, STATE_3_SIZE_COLOR, STATE_4_OFFER));
    allow(STATE_7_END, browsing, anyTime, EnumSet.of(STATE_5_PAYMENT_DELIVERY, STATE_7_END));
    // A manager takes a complaint over; when the customer goes on shopping, the assistant follows.
    allow(STATE_8_COMPLAINT, browsing, anyTime, EnumSet.of(STATE_5_PAYMENT_DELIVERY, STATE_7_END));
    // Off-topic is a detour: the conversation returns to any stage it could have been in.
    allow(STATE_9_OOD, browsing, anyTime, EnumSet.of(STATE_5_PAYMENT_DELIVERY, STATE_6_UPSELL, STATE_7_END));
  }

  @SafeVarargs
  private static void allow(Stage from, Set<Stage>... targets) {
    Set<Stage> all = EnumSet.of(from);
    for (Set<Stage> t : targets) {
      all.addAll(t);
    }
    NEXT.put(from, all);
  }

  /** Whether a conversation in this stage may move to {@code next}. {@code /restart} is not a move: it starts over. */
  public boolean canGoTo(Stage next) {
    return next != null && NEXT.get(this).contains(next);
  }

  /** The stages this one may move to, for the README and for tests. */
  public Set<Stage> next() {
    return EnumSet.copyOf(NEXT.get(this));
  }

  /** The stage named {@code wire}; empty for anything else (an old or foreign value). */
  public static Optional<Stage> fromWire(String wire) {
    if (wire == null) {
      return Optional.empty();
    }
    for (Stage s : values()) {
      if (s.name().equals(wire.trim())) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
