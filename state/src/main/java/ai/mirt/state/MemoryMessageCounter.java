package ai.mirt.state;

import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * The {@link MessageCounter} in this process's memory, for one instance. A window's count is dropped once the window
 * has ended, so memory holds only the windows in progress. Every method holds the object's lock.
 */
public final class MemoryMessageCounter implements MessageCounter {

  /** A key's count in one window, named as in Redis: the key and the window's index since the epoch. */
  private record Window(String key, long index) {
  }

  /** When a window ends. */
  private record End(long at, Window window) {
  }

  private final LongSupplier clock;
  private final Map<Window, Long> counts = new HashMap<>();
  /** Every counted window once, the first to end at the head. */
  private final PriorityQueue<End> ends = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));

  public MemoryMessageCounter(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Future<Long> add(String key, long n, long windowMs) {
    if (windowMs <= 0) {
      return Future.failedFuture(new IllegalArgumentException("a window must last at least 1 ms, got " + windowMs));
    }
    long now = clock.getAsLong();
    while (!ends.isEmpty() && ends.peek().at() <= now) {
      counts.remove(ends.poll().window());
    }
    long index = Math.floorDiv(now, windowMs);
    Window w = new Window(key, index);
    Long before = counts.get(w);
    if (before == null) {
      ends.add(new End((index + 1) * windowMs, w));
    }
    long after = (before == null ? 0 : before) + n;
    counts.put(w, after);
    return Future.succeededFuture(after);
  }

  /** Windows held. */
  synchronized int size() {
    return counts.size();
  }
}
