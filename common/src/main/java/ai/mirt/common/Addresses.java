package ai.mirt.common;

/**
 * Every event-bus address Mirt uses. Producer → consumer and the payload record are named on each line;
 * the bus carries the records' {@code toJson()} form.
 */
public final class Addresses {

  /** webhook → debounce, request: {@link InboundMessage}; reply {@link InboundAck} once stored. */
  public static final String INBOUND_MESSAGE = "inbound.message";

  /**
   * webhook → debounce of the same node, request: as {@link #INBOUND_MESSAGE}. A node that runs both stores its
   * webhooks through its own debounce rather than one chosen round-robin across the cluster. Here the message may
   * travel as the {@link InboundMessage} record itself and the answer as an {@link InboundAck} (see
   * {@link LocalCodec}): the webhook's hot path then builds no JSON for the bus.
   */
  public static final String INBOUND_MESSAGE_LOCAL = "inbound.message.local";

  /**
   * debounce → agent, request: a due {@link Turn}; the agent replies {@code {"taken":true}} on receipt. A
   * {@code NO_HANDLERS} failure means no node runs an agent: debounce gives the turn back without counting an
   * attempt.
   */
  public static final String AGENT_TURN = "agent.turn";

  /**
   * agent → push: {@link ReplyReady}, a reply was stored in the outbox; push claims and delivers it now rather than
   * at its next sweep. Only a hint: a lost one delays the reply by one sweep, it loses nothing.
   */
  public static final String PUSH_REPLY = "push.reply";

  /**
   * webhook → push of the same node, request: empty body; reply
   * {@code {"instance":name,"dryRun":bool,"payloads":[…],"deadLetters":[…]}}, newest payload last.
   */
  public static final String PUSH_OUTBOX = "push.outbox";

  /** webhook → the push of any node, request: as {@link #PUSH_OUTBOX}; asked by a node that runs no push. */
  public static final String PUSH_OUTBOX_ANY = "push.outbox.any";

  /**
   * app → debounce of the same node (a local consumer), request: {@code {"deadlineMs":long,"claim":bool}}. With {@code claim} (in-memory state) every
   * buffered turn is made due now; without it (shared state) debounce stops claiming. Replies when nothing is left
   * in flight, or at the deadline.
   */
  public static final String DEBOUNCE_DRAIN = "debounce.drain";

  /**
   * webhook → the push of any node, request {@code {"action":"list","limit":n}}, {@code {"action":"retry","id":…}}
   * or {@code {"action":"delete","id":…}}: the dead-letter API. Refusals fail the request with the HTTP status to
   * answer (404 unknown id, 409 ManyChat refused the retry, 503 ManyChat or the store unavailable).
   */
  public static final String PUSH_DEAD_LETTERS = "push.dead-letters";

  /**
   * An interim message to a customer whose turn is still being answered ({@link Reply} JSON, texts only). Sent at
   * most once per turn and not stored: a lost interim message costs nothing, the answer follows. Any push node.
   */
  public static final String PUSH_INTERIM = "push.interim";

  /** The confirmed orders, newest first ({@code {"limit": n}} → {@code {"orders": [...]}}); any push node answers. */
  public static final String ORDERS_LIST = "orders.list";

  /** A new or changed order was stored ({@code {"id": "..."}}): post it now rather than at the next sweep. */
  public static final String ORDERS_NEW = "orders.new";

  /**
   * webhook → the agent of any node, request {@code {"action":"view"|"pause"|"resume","subscriber":id,"minutes":n}}:
   * a subscriber's state and pause, and the manager's takeover. Refusals fail the request with the HTTP status to
   * answer (400 bad request, 404 unknown subscriber, 503 store unavailable).
   */
  public static final String SUBSCRIBER_DESK = "agent.subscribers";

  /**
   * Response mode, webhook → every webhook (publish): {@code {"subscriberId":…,"replyTo":…}}, a newer message of the
   * subscriber arrived; a request of that subscriber held elsewhere than {@code replyTo} is answered with an empty
   * block at once, since only the latest request of a burst carries the reply.
   */
  public static final String RESPONSE_NEWER = "response.newer";

  /**
   * Response mode, push → the webhook verticle that holds a subscriber's request, request
   * {@code {"subscriberId":…,"block":{Dynamic Block v2}}}; reply {@code {"delivered":bool}}: whether a request was
   * still waiting and was answered with the block. Each webhook verticle listens on its own address.
   */
  public static String response(String holder) {
    return "response.to." + holder;
  }

  /** webhook → debounce, request: empty body; reply {@link ComponentHealth}. */
  public static final String HEALTH_DEBOUNCE = "health.debounce";

  /** webhook → agent, request: empty body; reply {@link ComponentHealth}. */
  public static final String HEALTH_AGENT = "health.agent";

  /** webhook → push, request: empty body; reply {@link ComponentHealth}. */
  public static final String HEALTH_PUSH = "health.push";

  /**
   * Presence of a role across the cluster, request: empty body; reply {@code {"instance": name}}. Each verticle
   * registers its role's address ({@link Presence}); a {@code NO_HANDLERS} failure means that no node runs the role.
   */
  public static String role(String name) {
    return "mirt.role." + name;
  }

  private Addresses() {
  }
}
