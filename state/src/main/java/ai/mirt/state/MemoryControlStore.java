package ai.mirt.state;

import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The {@link ControlStore} in this process's memory, for one instance. Ended pauses and expired markers are
 * dropped as they are met, so memory holds only what is in force. Every method holds the object's lock.
 */
public final class MemoryControlStore implements ControlStore {

  private final LongSupplier clock;
  private final Map<String, Pause> pauses = new HashMap<>();
  /**
   * The value recorded under each subscriber's name, the first to expire at the head: every marker is kept equally
   * long and a rewritten one moves to the tail, so that is also the oldest written.
   */
  private final LinkedHashMap<String, Marker> markers = new LinkedHashMap<>();

  private record Marker(String value, long until) {
  }

  public MemoryControlStore(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Future<Void> pause(String subscriberId, long untilMs, String reason) {
    long now = clock.getAsLong();
    pauses.values().removeIf(p -> ended(p, now));
    pauses.remove(subscriberId);
    if (untilMs > now) {
      pauses.put(subscriberId, new Pause(now, untilMs, reason == null ? "" : reason));
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Optional<Pause>> paused(String subscriberId) {
    return Future.succeededFuture(Optional.ofNullable(inForce(subscriberId)));
  }

  @Override
  public synchronized Future<Boolean> resume(String subscriberId) {
    boolean was = inForce(subscriberId) != null;
    pauses.remove(subscriberId);
    return Future.succeededFuture(was);
  }

  /** The subscriber's pause if it has not ended; an ended one is dropped. */
  private Pause inForce(String subscriberId) {
    Pause p = pauses.get(subscriberId);
    if (p != null && ended(p, clock.getAsLong())) {
      pauses.remove(subscriberId);
      return null;
    }
    return p;
  }

  private static boolean ended(Pause p, long now) {
    return p.until() <= now;
  }

  @Override
  public synchronized Future<Boolean> once(String subscriberId, String name, String value) {
    long now = clock.getAsLong();
    Iterator<Marker> it = markers.values().iterator();
    while (it.hasNext() && it.next().until() <= now) {
      it.remove();
    }
    String key = subscriberId + '\u0000' + name;
    Marker m = markers.get(key);
    if (m != null && m.value().equals(value)) {
      return Future.succeededFuture(false);
    }
    markers.remove(key);
    markers.put(key, new Marker(value, now + ONCE_KEPT_MS));
    return Future.succeededFuture(true);
  }

  /** Pauses and markers held. */
  synchronized int size() {
    return pauses.size() + markers.size();
  }
}
