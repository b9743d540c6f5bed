package ai.mirt.state;

import ai.mirt.state.FollowUpStore.FollowUp;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FollowUpStore contract against the real Redis on 127.0.0.1:6379: the one sorted set the follow-ups live in,
 * instances sharing it, and a restart.
 */
class RedisFollowUpStoreTest extends FollowUpStoreContract {

  @Override
  protected Backend backend() {
    return Backend.REDIS;
  }

  @Test
  void followUpsAreOneSortedSetOfDueTimes() throws Exception {
    String prefix = settings().getString("redis.prefix");
    await(followUps().schedule("7", T0 + 1_000));
    assertThat(RedisTestKeys.scan(prefix + "*")).containsExactly(prefix + "fu");
    assertThat(RedisTestKeys.command(Request.cmd(Command.ZSCORE).arg(prefix + "fu").arg("7")).toLong())
      .isEqualTo(T0 + 1_000);
    assertThat(RedisTestKeys.command(Request.cmd(Command.PTTL).arg(prefix + "fu")).toLong()).isEqualTo(-1);
  }

  @Test
  void twoInstancesClaimingAtOnceTakeEachFollowUpOnce() throws Exception {
    FollowUpStore other = anotherInstance().followUps();
    int subscribers = 40;
    for (int i = 0; i < subscribers; i++) {
      await((i % 2 == 0 ? followUps() : other).schedule("s" + i, T0 + i));
    }
    clock.advance(subscribers);
    Map<String, String> claimedBy = new HashMap<>();
    int duplicates = 0;
    boolean more = true;
    // Each round claims at least one while any is left: more rounds than follow-ups means some were claimed twice.
    for (int round = 0; more; round++) {
      assertThat(round).as("rounds").isLessThanOrEqualTo(subscribers);
      Future<List<FollowUp>> fromA = followUps().claimDue(7, LEASE);
      Future<List<FollowUp>> fromB = other.claimDue(7, LEASE);
      await(Future.all(fromA, fromB));
      for (FollowUp f : fromA.result()) {
        duplicates += claimedBy.putIfAbsent(f.subscriberId(), "a") == null ? 0 : 1;
      }
      for (FollowUp f : fromB.result()) {
        duplicates += claimedBy.putIfAbsent(f.subscriberId(), "b") == null ? 0 : 1;
      }
      assertThat(fromA.result().size()).isLessThanOrEqualTo(7);
      assertThat(fromB.result().size()).isLessThanOrEqualTo(7);
      more = !fromA.result().isEmpty() || !fromB.result().isEmpty();
    }
    assertThat(duplicates).isZero();
    assertThat(claimedBy).hasSize(subscribers);
  }

  @Test
  void aScheduleSurvivesARestart() throws Exception {
    await(followUps().schedule("7", T0 + 1_000));
    await(stores.close());
    Stores restarted = anotherInstance();
    clock.advance(1_000);
    assertThat(await(restarted.followUps().claimDue(10, LEASE)))
      .containsExactly(new FollowUp("7", T0 + 1_000, T0 + 1_000 + LEASE));
  }
}
