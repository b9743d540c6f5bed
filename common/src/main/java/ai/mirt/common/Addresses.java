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

  /**
   * agent → push: {@link ReplyReady}, a reply was stored in the outbox; push claims and delivers it now rather than
   * at its next sweep. Only a hint: a lost one delays the reply by one sweep, it loses nothing.
   */
  public static final String PUSH_REPLY = "push.reply";

  /** webhook → push, request: empty body; reply {@code {"dryRun":bool,"payloads":[…]}}, newest last. */
  public static final String PUSH_OUTBOX = "push.outbox";

  /**
   * app → debounce, request: {@code {"deadlineMs":long,"claim":bool}}. With {@code claim} (in-memory state) every
   * buffered turn is made due now; without it (shared state) debounce stops claiming. Replies when nothing is left
   * in flight, or at the deadline.
   */
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
