package ai.mirt.state;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link OrderStore} in Redis, shared by every instance, on the connection, prefix and clock of the
 * {@link RedisStore} it runs its scripts through. Each step is one script, so a claim and an outcome never interleave.
 *
 * <p>Keys under the prefix: {@code order:<id>} (a hash: the JSON, its digest, version, posted version, attempts,
 * createdAt, updatedAt, next attempt, last error, and the lease of the version being posted with its owner; expires
 * {@link #MAX_AGE_MS} after the order was created), {@code orders} (ids by createdAt, for the newest first and the
 * trimming) and {@code orders:due} (ids by next attempt, only of orders with something to post).
 */
final class RedisOrderStore implements OrderStore {

  private static final String[] FIELDS = {"json", "version", "posted", "attempts", "createdAt", "updatedAt", "next",
    "error"};

  private final RedisStore redis;
  private final int maxOrders;
  private final long maxAgeMs;

  RedisOrderStore(RedisStore redis) {
    this(redis, MAX_ORDERS, MAX_AGE_MS);
  }

  RedisOrderStore(RedisStore redis, int maxOrders, long maxAgeMs) {
    this.redis = redis;
    this.maxOrders = maxOrders;
    this.maxAgeMs = maxAgeMs;
  }

  @Override
  public Future<StoredOrder> save(JsonObject order) {
    String id;
    try {
      id = OrderJson.id(order);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return redis.run("saveOrder", RedisStore.Script.ORDER_SAVE, List.of(key(id), all(), due()),
        id, order.encode(), OrderJson.digest(order), maxOrders, maxAgeMs, key(""))
      .map(r -> order(id, r, 0));
  }

  @Override
  public Future<List<StoredOrder>> claimDue(int limit, String owner, long leaseMs) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return redis.run("claimOrders", RedisStore.Script.DUE, List.of(due()), limit, RedisStore.flag(false))
      .compose(ids -> RedisStore.perCandidate(RedisStore.strings(ids), id ->
        redis.run("claimOrders", RedisStore.Script.ORDER_CLAIM, List.of(key(id), due()), id, owner, leaseMs)
          .map(r -> r == null ? null : order(id, r, 0))));
  }

  @Override
  public Future<Void> posted(String id, int version) {
    return outcome("orderPosted", id, version, "posted", 0, 0, "");
  }

  @Override
  public Future<Void> retryLater(String id, int version, int attempts, long delayMs, String error) {
    return outcome("orderRetry", id, version, "retry", attempts, delayMs, error);
  }

  @Override
  public Future<Void> abandon(String id, int version, String error) {
    return outcome("orderAbandon", id, version, "abandon", 0, 0, error);
  }

  private Future<Void> outcome(String op, String id, int version, String kind, int attempts, long delayMs,
                               String error) {
    return redis.run(op, RedisStore.Script.ORDER_OUTCOME, List.of(key(id), due()),
      id, version, kind, attempts, delayMs, error == null ? "" : error).mapEmpty();
  }

  @Override
  public Future<List<StoredOrder>> recent(int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return redis.run("recentOrders", RedisStore.Script.ORDER_RECENT, List.of(all()), limit, key("")).map(r -> {
      List<StoredOrder> out = new ArrayList<>(r.size());
      for (Response o : r) {
        out.add(order(o.get(0).toString(), o, 1));
      }
      return out;
    });
  }

  @Override
  public Future<Optional<StoredOrder>> get(String id) {
    Request hmget = Request.cmd(Command.HMGET).arg(key(id));
    for (String f : FIELDS) {
      hmget.arg(f);
    }
    return redis.command("getOrder", hmget)
      .map(r -> r.get(0) == null ? Optional.empty() : Optional.of(order(id, r, 0)));
  }

  private String key(String id) {
    return redis.global("order:" + id);
  }

  private String all() {
    return redis.global("orders");
  }

  private String due() {
    return redis.global("orders:due");
  }

  /** The order from the {@link #FIELDS} of its hash, starting at {@code from} in the reply. */
  private static StoredOrder order(String id, Response r, int from) {
    String error = r.get(from + 7) == null ? "" : r.get(from + 7).toString();
    return new StoredOrder(id, new JsonObject(r.get(from).toString()), r.get(from + 1).toInteger(),
      r.get(from + 2).toInteger(), r.get(from + 3).toInteger(), r.get(from + 4).toLong(), r.get(from + 5).toLong(),
      r.get(from + 6).toLong(), error.isEmpty() ? null : error);
  }
}
