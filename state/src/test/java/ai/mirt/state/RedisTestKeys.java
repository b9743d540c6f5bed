package ai.mirt.state;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The test Redis, a unique key prefix per test, and a way to list and delete the keys a test wrote. */
final class RedisTestKeys {

  static final String URL = "redis://127.0.0.1:6379/0";

  private RedisTestKeys() {
  }

  static String uniquePrefix() {
    return "mirt-test:" + UUID.randomUUID() + ":";
  }

  /** Runs one command on its own connection, outside any store under test. */
  static Response command(Request request) throws Exception {
    return withRedis(redis -> redis.send(request));
  }

  /** Every key matching the pattern, by SCAN. */
  static List<String> scan(String pattern) throws Exception {
    return withRedis(redis -> scan(redis, pattern, "0", new ArrayList<>()));
  }

  static void deleteAll(String prefix) throws Exception {
    withRedis(redis -> scan(redis, prefix + "*", "0", new ArrayList<>()).compose(keys -> {
      if (keys.isEmpty()) {
        return Future.succeededFuture();
      }
      Request unlink = Request.cmd(Command.UNLINK);
      keys.forEach(unlink::arg);
      return redis.send(unlink);
    }));
  }

  private static Future<List<String>> scan(Redis redis, String pattern, String cursor, List<String> keys) {
    return redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(1000))
      .compose(r -> {
        r.get(1).forEach(k -> keys.add(k.toString()));
        String next = r.get(0).toString();
        return next.equals("0") ? Future.succeededFuture(keys) : scan(redis, pattern, next, keys);
      });
  }

  private static <T> T withRedis(Function<Redis, Future<T>> work) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Redis redis = Redis.createClient(vertx, URL);
      try {
        return work.apply(redis).await(10, TimeUnit.SECONDS);
      } finally {
        redis.close().await(10, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
