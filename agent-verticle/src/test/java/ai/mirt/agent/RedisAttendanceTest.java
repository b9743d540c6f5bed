package ai.mirt.agent;

import ai.mirt.common.MirtConfig;
import ai.mirt.common.Reply;
import ai.mirt.state.Stores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The same on a real Redis, and what only shared state can show: two instances, and a restart. */
class RedisAttendanceTest extends AttendanceContract {

  private static final String URL = "redis://127.0.0.1:6379/0";
  private final String prefix = "mirt-test:" + UUID.randomUUID() + ":";

  @Override
  Stores stores(Vertx vertx, MirtConfig config, LongSupplier clock) {
    MirtConfig c = MirtConfig.fromJson(config.toJson().put("redis.url", URL).put("redis.prefix", prefix));
    return Stores.redis(vertx, c, new SimpleMeterRegistry(), clock);
  }

  @AfterEach
  void dropKeys() throws Exception {
    Vertx v = Vertx.vertx();
    Redis redis = Redis.createClient(v, URL);
    try {
      var keys = await(redis.send(Request.cmd(Command.KEYS).arg(prefix + "*")));
      if (keys.size() > 0) {
        Request del = Request.cmd(Command.UNLINK);
        keys.forEach(k -> del.arg(k.toString()));
        await(redis.send(del));
      }
    } finally {
      redis.close();
      await(v.close());
    }
  }

  @Test
  void twoInstancesSendOneReminder() throws Exception {
    deploy();
    deploy();
    String sub = sub();
    say(sub, "Покажіть сукні");
    now.addAndGet(3 * HOUR);
    Reply reminder = deliver(sub);
    assertThat(reminder.addTags()).containsExactly(FollowUps.SENT);
    // Both instances swept at least once more after the reminder went: a second one would be waiting by now.
    String other = sub();
    say(other, "Покажіть сукні");
    now.addAndGet(3 * HOUR);
    deliver(other);
    String third = sub();
    say(third, "Покажіть сукні");
    now.addAndGet(3 * HOUR);
    deliver(third);
    assertThat(replyWaiting(sub)).isFalse();
  }

  @Test
  void aReminderScheduledBeforeARestartIsSentAfterIt() throws Exception {
    String first = deploy();
    String sub = sub();
    say(sub, "Покажіть сукні");
    await(vertx.undeploy(first));
    deploy(new JsonObject());
    now.addAndGet(3 * HOUR);
    assertThat(deliver(sub).addTags()).containsExactly(FollowUps.SENT);
  }
}
