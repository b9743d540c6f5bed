package ai.mirt.push;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The test Redis on 127.0.0.1:6379: a unique key prefix per test, and the deletion of its keys afterwards. */
final class TestRedis {

  static final String URL = "redis://127.0.0.1:6379/0";

  private TestRedis() {
  }

  static String uniquePrefix() {
    return "mirt-test:" + UUID.randomUUID() + ":";
  }

  /** Deletes every key under the prefix. */
  static Future<Void> deleteAll(Vertx vertx, String prefix) {
    Redis redis = Redis.createClient(vertx, URL);
    return keys(redis, prefix + "*", "0", new ArrayList<>())
      .compose(keys -> {
        if (keys.isEmpty()) {
          return Future.succeededFuture();
        }
        Request unlink = Request.cmd(Command.UNLINK);
        keys.forEach(unlink::arg);
        return redis.send(unlink).mapEmpty();
      })
      .eventually(redis::close)
      .mapEmpty();
  }

  /** How many keys are under the prefix. */
  static Future<Integer> count(Vertx vertx, String prefix) {
    Redis redis = Redis.createClient(vertx, URL);
    return keys(redis, prefix + "*", "0", new ArrayList<>()).map(List::size).eventually(redis::close);
  }

  private static Future<List<String>> keys(Redis redis, String pattern, String cursor, List<String> keys) {
    return redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(1000))
      .compose(r -> {
        r.get(1).forEach(k -> keys.add(k.toString()));
        String next = r.get(0).toString();
        return next.equals("0") ? Future.succeededFuture(keys) : keys(redis, pattern, next, keys);
      });
  }
}
