package ai.mirt.state;

/** The RateLimiter contract against the in-memory store. */
class MemoryRateLimiterTest extends RateLimiterContract {

  @Override
  protected Backend backend() {
    return Backend.MEMORY;
  }
}
