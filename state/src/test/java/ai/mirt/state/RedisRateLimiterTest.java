package ai.mirt.state;

/** The RateLimiter contract against the real Redis on 127.0.0.1:6379, under a prefix of its own. */
class RedisRateLimiterTest extends RateLimiterContract {

  @Override
  protected Backend backend() {
    return Backend.REDIS;
  }
}
