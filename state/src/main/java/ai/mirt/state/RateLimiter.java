package ai.mirt.state;

import io.vertx.core.Future;

/**
 * Token buckets that pace calls to an API: each bucket holds one token, refilled every {@code intervalMs}, so calls
 * taken from it are at least that far apart, whatever instance takes them. In Redis the buckets are shared by every
 * instance; in memory they pace this process only. Times come from the store's clock.
 */
public interface RateLimiter {

  /**
   * Takes the bucket's token if it is there.
   *
   * @param bucket     the bucket's name (stored under the store's prefix)
   * @param intervalMs how often the token comes back
   * @return 0 when the token was taken (the call may go now), otherwise how many ms until it is back; nothing was
   * taken then
   */
  Future<Long> take(String bucket, long intervalMs);

  /** No token is handed out from the bucket for {@code ms} from now (a 429's {@code Retry-After}). */
  Future<Void> pause(String bucket, long ms);
}
