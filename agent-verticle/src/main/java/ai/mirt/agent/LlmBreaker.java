package ai.mirt.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The {@code llm} circuit breaker. A model that is down or slow would make every customer wait for the call's timeout
 * before the honest text; after {@code maxFailures} failures within {@link #WINDOW_MS} the breaker opens and calls
 * are refused at once for {@code resetMs}. Then it lets one call through (half-open): its success closes the breaker,
 * its failure opens it again. Thread-safe; the clock is injectable so the timing can be tested without waiting.
 */
public final class LlmBreaker {

  /** The breaker's name, for health and logs. */
  public static final String NAME = "llm";
  /** Failures older than this no longer count towards opening. */
  public static final long WINDOW_MS = 60_000;

  public enum State {
    CLOSED, OPEN, HALF_OPEN;

    /** {@code closed}, {@code open} or {@code half_open}, as health reports it. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(LlmBreaker.class);

  private final int maxFailures;
  private final long resetMs;
  private final LongSupplier clock;
  private final Deque<Long> failures = new ArrayDeque<>();
  private boolean open;
  private long openedAt;
  /** The one call let through after the reset period is under way. */
  private boolean trialRunning;

  public LlmBreaker(int maxFailures, long resetMs) {
    this(maxFailures, resetMs, System::currentTimeMillis);
  }

  LlmBreaker(int maxFailures, long resetMs, LongSupplier clock) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("agent.breaker-max-failures must be at least 1");
    }
    this.maxFailures = maxFailures;
    this.resetMs = Math.max(0, resetMs);
    this.clock = clock;
  }

  /**
   * Whether a call may go to the model now. In half-open state only the first caller gets {@code true}; it must then
   * report {@link #success()} or {@link #failure()}.
   */
  public synchronized boolean tryAcquire() {
    if (!open) {
      return true;
    }
    if (trialRunning || clock.getAsLong() - openedAt < resetMs) {
      return false;
    }
    trialRunning = true;
    return true;
  }

  /** The model answered: a trial call closes the breaker. */
  public synchronized void success() {
    if (open) {
      LOG.info("{} circuit breaker closed: the model answers again", NAME);
    }
    open = false;
    trialRunning = false;
    failures.clear();
  }

  /** The model failed; the failure that reaches the limit, or a failed trial call, opens the breaker. */
  public synchronized void failure() {
    long now = clock.getAsLong();
    if (open) {
      if (trialRunning) {
        // The trial call failed: wait another reset period.
        openedAt = now;
        trialRunning = false;
        LOG.warn("{} circuit breaker stays open: the trial call failed", NAME);
      }
      // Otherwise a call that started before the breaker opened: it is open already.
      return;
    }
    failures.addLast(now);
    while (!failures.isEmpty() && now - failures.peekFirst() >= WINDOW_MS) {
      failures.removeFirst();
    }
    if (failures.size() >= maxFailures) {
      open = true;
      openedAt = now;
      trialRunning = false;
      failures.clear();
      LOG.warn("{} circuit breaker opened after {} model failures within {} s; customers get the fallback text for "
        + "{} ms", NAME, maxFailures, WINDOW_MS / 1000, resetMs);
    }
  }

  public synchronized State state() {
    if (!open) {
      return State.CLOSED;
    }
    return trialRunning || clock.getAsLong() - openedAt >= resetMs ? State.HALF_OPEN : State.OPEN;
  }
}
