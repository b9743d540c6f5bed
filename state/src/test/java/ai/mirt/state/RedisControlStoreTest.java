package ai.mirt.state;

import ai.mirt.state.ControlStore.Pause;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ControlStore contract against the real Redis on 127.0.0.1:6379, the keys pauses and markers live in, and
 * several instances sharing them.
 */
class RedisControlStoreTest extends ControlStoreContract {

  @Override
  protected Backend backend() {
    return Backend.REDIS;
  }

  private String prefix() {
    return settings().getString("redis.prefix");
  }

  private long pttl(String key) throws Exception {
    return RedisTestKeys.command(Request.cmd(Command.PTTL).arg(prefix() + key)).toLong();
  }

  @Test
  void aFinitePauseExpiresInRedisWhenItEnds() throws Exception {
    await(controls().pause("7", T0 + MINUTE, "manager"));
    await(controls().once("7", "away", "d1"));
    assertThat(RedisTestKeys.scan(prefix() + "*")).containsExactlyInAnyOrder(prefix() + "{7}:pause",
      prefix() + "{7}:once:away");
    assertThat(pttl("{7}:pause")).isBetween(MINUTE - 2_000, MINUTE);
    assertThat(pttl("{7}:once:away")).isBetween(ControlStore.ONCE_KEPT_MS - 60_000, ControlStore.ONCE_KEPT_MS);

    await(controls().pause("7", Pause.UNTIL_RESUMED, "takeover"));
    assertThat(pttl("{7}:pause")).as("a pause until resumed does not expire").isEqualTo(-1);
    await(controls().pause("7", T0 + 2 * MINUTE, "again"));
    assertThat(pttl("{7}:pause")).isBetween(2 * MINUTE - 2_000, 2 * MINUTE);
    assertThat(await(controls().resume("7"))).isTrue();
    await(controls().pause("8", T0, "ended"));
    assertThat(RedisTestKeys.scan(prefix() + "*")).as("a lifted or ended pause leaves no key")
      .containsExactly(prefix() + "{7}:once:away");
  }

  @Test
  void anotherInstanceSeesThePause() throws Exception {
    ControlStore other = anotherInstance().controls();
    await(controls().pause("7", Pause.UNTIL_RESUMED, "takeover"));
    assertThat(await(other.paused("7"))).contains(new Pause(T0, Pause.UNTIL_RESUMED, "takeover"));
    assertThat(await(other.resume("7"))).isTrue();
    assertThat(await(controls().paused("7"))).isEmpty();
  }

  @Test
  void ofInstancesRacingOverOneValueExactlyOneRecordsIt() throws Exception {
    ControlStore other = anotherInstance().controls();
    for (int round = 0; round < 20; round++) {
      List<Future<Boolean>> racing = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        racing.add(controls().once("7", "away", "day-" + round));
        racing.add(other.once("7", "away", "day-" + round));
      }
      await(Future.all(racing));
      assertThat(racing.stream().filter(Future::result).count()).as("round %d", round).isEqualTo(1);
    }
  }
}
