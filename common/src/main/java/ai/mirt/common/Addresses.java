package ai.mirt.common;

/**
 * Every event-bus address Mirt uses. Producer → consumer and the payload record are named on each line;
 * the bus carries the records' {@code toJson()} form.
 */
public final class Addresses {

  /** webhook → debounce, request: {@link InboundMessage}; reply {@link InboundAck} once stored. */
  public static final String INBOUND_MESSAGE = "inbound.message";

  /** debounce → agent: a due {@link Turn}. */
  public static final String AGENT_TURN = "agent.turn";

  /** agent → debounce, request: {@link Handoff}; reply {@link HandoffDecision} (deliver or superseded). */
  public static final String TURN_HANDOFF = "turn.handoff";

  /** agent → push: the {@link Reply} of a turn that debounce allowed to be delivered. */
  public static final String PUSH_REPLY = "push.reply";

  /** push → debounce (and agent → debounce on failure): {@link TurnCompleted}, releases the subscriber. */
  public static final String TURN_COMPLETED = "turn.completed";

  /** webhook → push, request: empty body; reply {@code {"dryRun":bool,"payloads":[…]}}, newest last. */
  public static final String PUSH_OUTBOX = "push.outbox";

  /** app → debounce, request: {@code {"deadlineMs":long}}; makes every buffered turn due now and replies when all are done. */
  public static final String DEBOUNCE_DRAIN = "debounce.drain";

  /** webhook → debounce, request: empty body; reply {@link ComponentHealth}. */
  public static final String HEALTH_DEBOUNCE = "health.debounce";

  /** webhook → agent, request: empty body; reply {@link ComponentHealth}. */
  public static final String HEALTH_AGENT = "health.agent";

  /** webhook → push, request: empty body; reply {@link ComponentHealth}. */
  public static final String HEALTH_PUSH = "health.push";

  private Addresses() {
  }
}
