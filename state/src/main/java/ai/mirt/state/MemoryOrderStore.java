package ai.mirt.state;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The {@link OrderStore} in this process's memory, for one instance; the orders are lost with the process. Every
 * method holds the object's lock: the agent's worker threads save orders while push's event loop posts them.
 */
public final class MemoryOrderStore implements OrderStore {

  private final LongSupplier clock;
  private final int maxOrders;
  private final long maxAgeMs;
  /** By id, in the order they were created: the head is what goes first. */
  private final LinkedHashMap<String, Order> orders = new LinkedHashMap<>();

  /** An order and the lease of the version being posted, which no caller sees. */
  private static final class Order {
    final String id;
    final long createdAt;
    JsonObject json;
    String digest;
    int version;
    int posted;
    int attempts;
    long updatedAt;
    long next;
    String error;
    long leaseUntil;
    int leasedVersion;

    Order(String id, long createdAt) {
      this.id = id;
      this.createdAt = createdAt;
    }

    boolean dueAt(long now) {
      return version > posted && next != 0 && next <= now;
    }

    StoredOrder view() {
      return new StoredOrder(id, json.copy(), version, posted, attempts, createdAt, updatedAt, next, error);
    }
  }

  public MemoryOrderStore(LongSupplier clock) {
    this(clock, MAX_ORDERS, MAX_AGE_MS);
  }

  MemoryOrderStore(LongSupplier clock, int maxOrders, long maxAgeMs) {
    this.clock = clock;
    this.maxOrders = maxOrders;
    this.maxAgeMs = maxAgeMs;
  }

  @Override
  public synchronized Future<StoredOrder> save(JsonObject order) {
    String id;
    try {
      id = OrderJson.id(order);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    long now = clock.getAsLong();
    trim(now);
    String digest = OrderJson.digest(order);
    Order o = orders.get(id);
    if (o != null && o.digest.equals(digest)) {
      return Future.succeededFuture(o.view());
    }
    if (o == null) {
      o = new Order(id, now);
      orders.put(id, o);
    }
    o.json = order.copy();
    o.digest = digest;
    o.version++;
    o.attempts = 0;
    o.error = null;
    o.updatedAt = now;
    // A version still being posted holds the next one back until its outcome is known.
    o.next = Math.max(now, o.leaseUntil);
    StoredOrder saved = o.view();
    trim(now);
    return Future.succeededFuture(saved);
  }

  @Override
  public synchronized Future<List<StoredOrder>> claimDue(int limit, String owner, long leaseMs) {
    long now = clock.getAsLong();
    trim(now);
    List<Order> due = orders.values().stream().filter(o -> o.dueAt(now))
      .sorted(Comparator.comparingLong((Order o) -> o.next).thenComparing(o -> o.id))
      .limit(Math.max(0, limit)).toList();
    List<StoredOrder> out = new ArrayList<>(due.size());
    for (Order o : due) {
      o.leaseUntil = now + leaseMs;
      o.leasedVersion = o.version;
      o.next = o.leaseUntil;
      out.add(o.view());
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Void> posted(String id, int version) {
    Order o = outcome(id, version);
    if (o != null) {
      o.posted = Math.max(o.posted, version);
      if (o.posted >= o.version) {
        o.next = 0;
        o.error = null;
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> retryLater(String id, int version, int attempts, long delayMs, String error) {
    Order o = outcome(id, version);
    if (o != null && current(o, version)) {
      o.attempts = attempts;
      o.error = error;
      o.next = clock.getAsLong() + Math.max(0, delayMs);
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> abandon(String id, int version, String error) {
    Order o = outcome(id, version);
    if (o != null && current(o, version)) {
      o.error = error;
      o.next = 0;
    }
    return Future.succeededFuture();
  }

  /** The current version is the one reported, still to be posted and not abandoned. */
  private static boolean current(Order o, int version) {
    return version == o.version && o.version > o.posted && o.next != 0;
  }

  /**
   * The order an outcome is about, with the lease of that version ended: a newer version that waited for the post
   * becomes due now.
   */
  private Order outcome(String id, int version) {
    long now = clock.getAsLong();
    trim(now);
    Order o = orders.get(id);
    if (o == null || o.leasedVersion != version) {
      return o;
    }
    o.leaseUntil = 0;
    o.leasedVersion = 0;
    if (o.version > version && o.version > o.posted && o.next > now) {
      o.next = now;
    }
    return o;
  }

  @Override
  public synchronized Future<List<StoredOrder>> recent(int limit) {
    trim(clock.getAsLong());
    List<Order> all = new ArrayList<>(orders.values());
    List<StoredOrder> out = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
      out.add(all.get(i).view());
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Optional<StoredOrder>> get(String id) {
    trim(clock.getAsLong());
    return Future.succeededFuture(Optional.ofNullable(orders.get(id)).map(Order::view));
  }

  /** Drops the orders past their age, then the oldest beyond the count. */
  private void trim(long now) {
    Iterator<Order> it = orders.values().iterator();
    while (it.hasNext() && (it.next().createdAt < now - maxAgeMs || orders.size() > maxOrders)) {
      it.remove();
    }
  }

  /** Orders kept. */
  synchronized int size() {
    return orders.size();
  }
}
