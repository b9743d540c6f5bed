package ai.mirt.state;

import ai.mirt.common.Turn;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How every {@link OutboxStore} hands out stored replies under leases and finishes them. */
abstract class OutboxStoreContract extends StoreContract {

  private Turn stored(String sub, String text) throws InterruptedException {
    Turn t = turnOf(sub, text);
    assertThat(await(turns().handoff(t, reply(t, "re: " + text), "{}")).deliver()).isTrue();
    return t;
  }

  @Test
  void aStoredReplyIsClaimedOnceWhileItsLeaseRuns() throws Exception {
    assertThat(await(outbox().claim("7", "node-a"))).isEmpty();
    Turn t = stored("7", "Привіт");
    OutboxEntry e = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(e.reply().messages()).isEqualTo(reply(t, "re: Привіт").messages());
    assertThat(e.accepted()).isZero();
    assertThat(e.attempts()).isZero();
    assertThat(await(outbox().claim("7", "node-b"))).isEmpty();
    assertThat(await(outbox().claimDue(10, "node-b"))).isEmpty();
    clock.advance(LEASE);
    assertThat(await(outbox().claim("7", "node-b"))).as("the lease ended: another claim takes it").isPresent();
  }

  @Test
  void aResumedDeliveryKnowsWhichCallsWereAccepted() throws Exception {
    stored("7", "Привіт");
    OutboxEntry first = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(await(outbox().accepted(first, 1))).isTrue();
    clock.advance(LEASE - 1);
    assertThat(await(outbox().accepted(first, 2))).as("recording extends the lease").isTrue();
    clock.advance(LEASE - 1);
    assertThat(await(outbox().claim("7", "node-b"))).isEmpty();
    clock.advance(1);
    OutboxEntry second = await(outbox().claim("7", "node-b")).orElseThrow();
    assertThat(second.accepted()).isEqualTo(2);
    assertThat(second.claim()).isNotEqualTo(first.claim());
    assertThat(await(outbox().accepted(first, 3))).as("the first claim was lost").isFalse();
    assertThat(await(outbox().finish(first, null))).isFalse();
    assertThat(await(outbox().retryLater(first, 1, 0))).isFalse();
    assertThat(await(outbox().pending())).isEqualTo(1);
    assertThat(await(outbox().finish(second, null))).isTrue();
    assertThat(await(outbox().pending())).isZero();
  }

  @Test
  void aRetryWaitsForItsDelayAndKeepsTheAttempts() throws Exception {
    stored("7", "Привіт");
    OutboxEntry e = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(await(outbox().retryLater(e, 1, 2_000))).isTrue();
    assertThat(await(outbox().accepted(e, 1))).as("a given-up claim is not current").isFalse();
    clock.advance(1_999);
    assertThat(await(outbox().claimDue(10, "node-b"))).isEmpty();
    clock.advance(1);
    List<OutboxEntry> due = await(outbox().claimDue(10, "node-b"));
    assertThat(due).hasSize(1);
    assertThat(due.get(0).attempts()).isEqualTo(1);
  }

  @Test
  void dueRepliesAreClaimedOldestFirstUpToTheLimit() throws Exception {
    stored("1", "a");
    clock.advance(10);
    stored("2", "b");
    clock.advance(10);
    stored("3", "c");
    List<OutboxEntry> two = await(outbox().claimDue(2, "node-a"));
    assertThat(two).extracting(OutboxEntry::subscriberId).containsExactly("1", "2");
    assertThat(await(outbox().claimDue(10, "node-a"))).extracting(OutboxEntry::subscriberId).containsExactly("3");
  }

  @Test
  void finishingAReplyReleasesTheSubscriber() throws Exception {
    Turn t = stored("7", "Привіт");
    append("7", "ще питання");
    clock.advance(QUIET);
    assertThat(claim()).isEmpty();
    OutboxEntry e = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(await(turns().stats()).inFlight()).isEqualTo(1);
    assertThat(await(outbox().finish(e, null))).isTrue();
    assertThat(await(outbox().claim("7", "node-a"))).isEmpty();
    assertThat(claim()).extracting(Turn::text).containsExactly("ще питання");
    assertThat(await(stores.deadLetters().recent(10))).isEmpty();
    assertThat(t.turnId()).isNotNull();
  }

  @Test
  void aDeadLetteredReplyIsRecordedWithItsReason() throws Exception {
    Turn t = stored("7", "Привіт");
    OutboxEntry e = await(outbox().claim("7", "node-a")).orElseThrow();
    DeadLetter d = new DeadLetter("push", "7", t.turnId(), "3011", "messaging window closed", clock.getAsLong(),
      new JsonObject().put("calls", 1));
    assertThat(await(outbox().finish(e, d))).isTrue();
    assertThat(await(stores.deadLetters().recent(10))).containsExactly(d);
    assertThat(await(turns().stats()).inFlight()).isZero();
  }
}
