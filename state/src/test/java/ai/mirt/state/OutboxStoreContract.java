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
    assertThat(await(outbox().retryLater(first, 1, 0, 0))).isFalse();
    assertThat(await(outbox().pending())).isEqualTo(1);
    assertThat(await(outbox().finish(second, null))).isTrue();
    assertThat(await(outbox().pending())).isZero();
  }

  @Test
  void aRetryWaitsForItsDelayAndKeepsTheAttemptsAndTimeouts() throws Exception {
    stored("7", "Привіт");
    OutboxEntry e = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(e.timeouts()).isZero();
    assertThat(await(outbox().retryLater(e, 1, 2, 2_000))).isTrue();
    assertThat(await(outbox().accepted(e, 1))).as("a given-up claim is not current").isFalse();
    clock.advance(1_999);
    assertThat(await(outbox().claimDue(10, "node-b"))).isEmpty();
    clock.advance(1);
    List<OutboxEntry> due = await(outbox().claimDue(10, "node-b"));
    assertThat(due).hasSize(1);
    assertThat(due.get(0).attempts()).isEqualTo(1);
    assertThat(due.get(0).timeouts()).isEqualTo(2);
    assertThat(await(outbox().retryLater(due.get(0), 1, 2, 0))).as("a pause passes the counts unchanged").isTrue();
    OutboxEntry again = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(again.attempts()).isEqualTo(1);
    assertThat(again.timeouts()).isEqualTo(2);
    assertThat(await(outbox().retryLater(again, 3, 0, 0))).isTrue();
    assertThat(await(outbox().claim("7", "node-a")).orElseThrow()).extracting(OutboxEntry::attempts,
      OutboxEntry::timeouts).containsExactly(3, 0);
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
  void aReplyWaitingForItsRetryIsClaimedAfterRepliesDueBeforeIt() throws Exception {
    stored("1", "a");
    OutboxEntry e = await(outbox().claim("1", "node-a")).orElseThrow();
    // Due again after the quiet window in which the next reply is stored.
    assertThat(await(outbox().retryLater(e, 1, 0, QUIET + 100))).isTrue();
    stored("2", "b");
    clock.advance(100);
    assertThat(await(outbox().claimDue(1, "node-a"))).extracting(OutboxEntry::subscriberId).containsExactly("2");
    assertThat(await(outbox().claimDue(1, "node-a"))).extracting(OutboxEntry::subscriberId).containsExactly("1");
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
    List<DeadLetter> dead = await(stores.deadLetters().recent(10));
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).id()).isNotNull();
    assertThat(dead.get(0).withId(null)).isEqualTo(d);
    assertThat(await(stores.deadLetters().get(dead.get(0).id()))).contains(dead.get(0));
    assertThat(await(turns().stats()).inFlight()).isZero();
  }

  @Test
  void aClaimTellsWhenTheReplyWasStoredAndWhenTheSubscriberLastWrote() throws Exception {
    append("7", "Привіт");
    clock.advance(1_000);
    assertThat(await(turns().append(msg("7", "є сукні?", "mid-1")))).isEqualTo(TurnStore.AppendResult.STORED);
    clock.advance(QUIET);
    Turn t = claim().get(0);
    clock.advance(500);
    assertThat(await(turns().handoff(t, reply(t, "так"), "{}")).deliver()).isTrue();
    long storedAt = clock.getAsLong();
    clock.advance(100);
    assertThat(await(turns().append(msg("7", "є сукні?", "mid-1")))).as("a duplicate is not a new message")
      .isEqualTo(TurnStore.AppendResult.DUPLICATE);
    OutboxEntry e = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(e.storedAt()).isEqualTo(storedAt);
    assertThat(e.lastInboundAt()).isEqualTo(T0 + 1_000);

    clock.advance(200);
    append("7", "а на 116?");
    assertThat(await(outbox().retryLater(e, 1, 0, 0))).isTrue();
    clock.advance(300);
    OutboxEntry again = await(outbox().claimDue(10, "node-a")).get(0);
    assertThat(again.storedAt()).as("a retry does not make the reply younger").isEqualTo(storedAt);
    assertThat(again.lastInboundAt()).isEqualTo(storedAt + 300);
  }

  @Test
  void theLastInboundTimeIsEachSubscribersOwnAndForgottenAfterTwoDays() throws Exception {
    stored("7", "Привіт");
    clock.advance(1);
    append("8", "інший");
    long ttl = TurnRules.LAST_INBOUND_TTL_MS;
    clock.advance(ttl - QUIET - 2);
    OutboxEntry e = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(e.lastInboundAt()).as("written at T0, %d ms ago", ttl - 1).isEqualTo(T0);
    assertThat(await(outbox().retryLater(e, 0, 0, 0))).isTrue();
    clock.advance(1);
    assertThat(await(outbox().claim("7", "node-a")).orElseThrow().lastInboundAt()).isZero();
    append("8", "знову");
    Turn u = claim().get(0);
    assertThat(await(turns().handoff(u, reply(u, "r"), "{}")).deliver()).isTrue();
    assertThat(await(outbox().claim("8", "node-a")).orElseThrow().lastInboundAt())
      .as("a subscriber who wrote again is remembered from then").isEqualTo(T0 + ttl);
  }

  @Test
  void aSubscriberWhoNeverWroteHasNoLastInboundTime() throws Exception {
    Turn t = stored("7", "Привіт");
    clock.advance(TurnRules.LAST_INBOUND_TTL_MS);
    OutboxEntry e = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(e.lastInboundAt()).isZero();
    assertThat(e.storedAt()).isEqualTo(T0 + QUIET);
    assertThat(e.turnId()).isEqualTo(t.turnId());
  }

  @Test
  void theBacklogCountsStoredRepliesAndTheOldestOfThem() throws Exception {
    assertThat(await(outbox().backlog())).isEqualTo(new OutboxStore.Backlog(0, 0));
    Turn first = stored("1", "a");
    long firstAt = clock.getAsLong();
    clock.advance(50);
    stored("2", "b");
    long secondAt = clock.getAsLong();
    clock.advance(50);
    assertThat(await(outbox().backlog())).isEqualTo(new OutboxStore.Backlog(2, firstAt));
    assertThat(await(outbox().pending())).isEqualTo(2);

    OutboxEntry e = await(outbox().claim("1", "node-a")).orElseThrow();
    assertThat(await(outbox().retryLater(e, 1, 1, 0))).isTrue();
    assertThat(await(outbox().backlog())).as("a retry is still the oldest")
      .isEqualTo(new OutboxStore.Backlog(2, firstAt));
    deliver(first);
    assertThat(await(outbox().backlog())).isEqualTo(new OutboxStore.Backlog(1, secondAt));
    OutboxEntry second = await(outbox().claim("2", "node-a")).orElseThrow();
    assertThat(await(outbox().finish(second, new DeadLetter("push", "2", second.turnId(), "3011", "closed",
      clock.getAsLong(), null)))).isTrue();
    assertThat(await(outbox().backlog())).isEqualTo(new OutboxStore.Backlog(0, 0));
    assertThat(await(outbox().pending())).isZero();
  }
}
