package ai.mirt.state;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;

import java.util.List;

/**
 * The {@link MessageCounter} in Redis, shared by every instance: one key per key and window,
 * {@code count:<key>:<window index>} under the prefix, counted and given its expiry (the window's end) in one script
 * on the {@link RedisStore}'s clock.
 */
final class RedisMessageCounter implements MessageCounter {

  private final RedisStore redis;

  RedisMessageCounter(RedisStore redis) {
    this.redis = redis;
  }

  @Override
  public Future<Long> add(String key, long n, long windowMs) {
    if (windowMs <= 0) {
      return Future.failedFuture(new IllegalArgumentException("a window must last at least 1 ms, got " + windowMs));
    }
    return redis.run("countAdd", RedisStore.Script.COUNT_ADD, List.of(redis.global("count:" + key + ":")),
      n, windowMs).map(Response::toLong);
  }
}
