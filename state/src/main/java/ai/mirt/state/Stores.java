package ai.mirt.state;

import ai.mirt.common.MirtConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The stores of one Mirt instance, all backed by the same place: this process's memory, or one Redis. The app
 * chooses them once and hands each verticle the ones it uses.
 */
public final class Stores {

  private final TurnStore turns;
  private final OutboxStore outbox;
  private final ConversationStore conversations;
  private final DeadLetterStore deadLetters;
  private final RateLimiter rates;
  private final OrderStore orders;
  private final MessageCounter counters;
  private final ControlStore controls;
  private final FollowUpStore followUps;
  private final String kind;
  private final Supplier<Future<Void>> ping;
  private final Supplier<Future<Void>> close;

  private Stores(TurnStore turns, OutboxStore outbox, ConversationStore conversations, DeadLetterStore deadLetters,
                 RateLimiter rates, OrderStore orders, MessageCounter counters, ControlStore controls,
                 FollowUpStore followUps, String kind, Supplier<Future<Void>> ping, Supplier<Future<Void>> close) {
    this.turns = turns;
    this.outbox = outbox;
    this.conversations = conversations;
    this.deadLetters = deadLetters;
    this.rates = rates;
    this.orders = orders;
    this.counters = counters;
    this.controls = controls;
    this.followUps = followUps;
    this.kind = kind;
    this.ping = ping;
    this.close = close;
  }

  /** In this process's memory, on the system clock. */
  public static Stores memory(MirtConfig config) {
    return memory(config, System::currentTimeMillis);
  }

  public static Stores memory(MirtConfig config, LongSupplier clock) {
    MemoryStore m = new MemoryStore(config, clock);
    return new Stores(m, m, m, m, m, new MemoryOrderStore(clock), new MemoryMessageCounter(clock),
      new MemoryControlStore(clock), m, "memory", Future::succeededFuture, Future::succeededFuture);
  }

  /** In the Redis of {@code redis.url}, under {@code redis.prefix}, on Redis's own clock. */
  public static Stores redis(Vertx vertx, MirtConfig config, MeterRegistry registry) {
    return redis(vertx, config, registry, null);
  }

  /** @param clock {@code null}: Redis {@code TIME}; otherwise a test's explicit clock */
  public static Stores redis(Vertx vertx, MirtConfig config, MeterRegistry registry, LongSupplier clock) {
    RedisStore r = new RedisStore(vertx, config, registry, clock);
    return new Stores(r, r, r, r, r, new RedisOrderStore(r), new RedisMessageCounter(r), new RedisControlStore(r), r,
      "redis", r::ping, r::close);
  }

  public TurnStore turns() {
    return turns;
  }

  public OutboxStore outbox() {
    return outbox;
  }

  public ConversationStore conversations() {
    return conversations;
  }

  public DeadLetterStore deadLetters() {
    return deadLetters;
  }

  public RateLimiter rates() {
    return rates;
  }

  public OrderStore orders() {
    return orders;
  }

  public MessageCounter counters() {
    return counters;
  }

  /** Pauses of the assistant and once-per-period markers, per subscriber. */
  public ControlStore controls() {
    return controls;
  }

  /**
   * The follow-ups: the same object as {@link #turns()}, whose {@link TurnStore#storeOwnReply} settles one in the
   * step that stores its reply.
   */
  public FollowUpStore followUps() {
    return followUps;
  }

  /** {@code memory} or {@code redis}. */
  public String kind() {
    return kind;
  }

  /** Succeeds when the store answers. */
  public Future<Void> ping() {
    return ping.get();
  }

  public Future<Void> close() {
    return close.get();
  }
}
