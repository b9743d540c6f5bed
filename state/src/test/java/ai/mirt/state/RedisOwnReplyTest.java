package ai.mirt.state;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The own-reply contract against the real Redis on 127.0.0.1:6379, the keys an own reply lives in, and a follow-up
 * stored by another instance than the one that scheduled it.
 */
class RedisOwnReplyTest extends OwnReplyContract {

  @Override
  protected Backend backend() {
    return Backend.REDIS;
  }

  @Test
  void anOwnReplyLivesInTheKeysOfAHandedOverTurnAndLeavesOnlyTheConversation() throws Exception {
    String prefix = settings().getString("redis.prefix");
    assertThat(storeOwn(own("7", "own-1", "a"), "{\"v\":1}", claimedFollowUp("7")))
      .isEqualTo(TurnStore.OwnReplyResult.STORED);
    assertThat(RedisTestKeys.scan(prefix + "*")).containsExactlyInAnyOrder(prefix + "{7}:turn", prefix + "{7}:out",
      prefix + "{7}:conv", prefix + "busy", prefix + "outbox", prefix + "stored");
    assertThat(RedisTestKeys.command(Request.cmd(Command.ZSCORE).arg(prefix + "busy").arg("7")).toDouble())
      .as("handed over").isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(RedisTestKeys.command(Request.cmd(Command.HGET).arg(prefix + "{7}:turn").arg("handed")).toString())
      .isEqualTo("1");
    deliver(ownTurn(own("7", "own-1", "a")));
    assertThat(RedisTestKeys.scan(prefix + "*")).containsExactly(prefix + "{7}:conv");
  }

  @Test
  void aFollowUpClaimedByOneInstanceIsStoredByAnother() throws Exception {
    Stores other = anotherInstance();
    await(followUps().schedule("7", T0));
    FollowUpStore.FollowUp claimed = await(other.followUps().claimDue(10, LEASE)).get(0);
    assertThat(await(other.turns().storeOwnReply(own("7", "fu-1", "a"), null, claimed)))
      .isEqualTo(TurnStore.OwnReplyResult.STORED);
    assertThat(await(followUps().scheduled("7"))).isEmpty();
    assertThat(await(outbox().claim("7", "node-a")).orElseThrow().turnId()).isEqualTo("fu-1");
  }
}
