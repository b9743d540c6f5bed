package ai.mirt.state;

import io.vertx.core.Future;

/**
 * Fixed-window counters, for limits such as the messages one subscriber may send a minute. A window of
 * {@code windowMs} starts at every multiple of it since the epoch, on the store's clock, so every instance sharing the
 * store counts in the same windows; a window's count is forgotten once it has ended. Use one window size per key.
 */
public interface MessageCounter {

  /**
   * Adds n to the count of key in the current window of windowMs (windows aligned to the epoch) and returns the count
   * after adding.
   */
  Future<Long> add(String key, long n, long windowMs);
}
