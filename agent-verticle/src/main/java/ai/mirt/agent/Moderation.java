package ai.mirt.agent;

/** What moderation found in a turn's text. */
public enum Moderation {
  OK,
  /** Insults: answered politely from the shop's texts, never by the model. */
  ABUSE,
  /** An attempt to steer the assistant ("ignore previous instructions"): a person takes over; the model never sees it. */
  INJECTION
}
