package ai.mirt.state;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A clock that moves only when the test moves it. */
final class ManualClock implements LongSupplier {

  private final AtomicLong now;

  ManualClock(long start) {
    now = new AtomicLong(start);
  }

  @Override
  public long getAsLong() {
    return now.get();
  }

  void advance(long ms) {
    now.addAndGet(ms);
  }
}
