package ai.mirt.state;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * The {@link ControlStore} in Redis, shared by every instance, on the connection, prefix and clock of the
 * {@link RedisStore} it runs its scripts through: {@code {sub}:pause} and {@code {sub}:once:<name>}, hashes that
 * expire with what they hold. Each step reads and writes in one script, so two instances never both see a value as
 * new.
 */
final class RedisControlStore implements ControlStore {

  /** How a pause until resumed is kept: Redis's numbers are doubles, which cannot hold {@link Long#MAX_VALUE}. */
  private static final String UNTIL_RESUMED = "";

  private final RedisStore redis;

  RedisControlStore(RedisStore redis) {
    this.redis = redis;
  }

  @Override
  public Future<Void> pause(String subscriberId, long untilMs, String reason) {
    String until = untilMs == Pause.UNTIL_RESUMED ? UNTIL_RESUMED : Long.toString(untilMs);
    return redis.run("pause", RedisStore.Script.CONTROL_PAUSE, List.of(redis.key(subscriberId, "pause")),
      until, reason == null ? "" : reason).mapEmpty();
  }

  @Override
  public Future<Optional<Pause>> paused(String subscriberId) {
    return redis.run("paused", RedisStore.Script.CONTROL_PAUSED, List.of(redis.key(subscriberId, "pause")))
      .map(r -> Optional.ofNullable(r == null ? null : new Pause(r.get(0).toLong(), until(r.get(1).toString()),
        r.get(2).toString())));
  }

  private static long until(String stored) {
    return stored.equals(UNTIL_RESUMED) ? Pause.UNTIL_RESUMED : Long.parseLong(stored);
  }

  @Override
  public Future<Boolean> resume(String subscriberId) {
    return redis.run("resume", RedisStore.Script.CONTROL_RESUME, List.of(redis.key(subscriberId, "pause")))
      .map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<Boolean> once(String subscriberId, String name, String value) {
    return redis.run("once", RedisStore.Script.CONTROL_ONCE, List.of(redis.key(subscriberId, "once:" + name)),
      value, ONCE_KEPT_MS).map(r -> r.toInteger() == 1);
  }
}
