package ai.mirt.state;

import ai.mirt.common.HandoffDecision;
import ai.mirt.common.Turn;
import ai.mirt.state.TurnStore.FailOutcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The debounce rules every {@link TurnStore} keeps, on an explicit clock. */
abstract class TurnStoreContract extends StoreContract {

  @Test
  void burstBecomesOneTurnOnlyAfterTheQuietWindow() throws Exception {
    append("7", "Привіт");
    clock.advance(1_000);
    append("7", "є сукні");
    clock.advance(1_000);
    append("7", "на 116?");
    clock.advance(QUIET - 1);
    assertThat(claim()).isEmpty();
    clock.advance(1);
    List<Turn> turns = claim();
    assertThat(turns).hasSize(1);
    Turn t = turns.get(0);
    assertThat(t.text()).isEqualTo("Привіт\nє сукні\nна 116?");
    assertThat(t.messageCount()).isEqualTo(3);
    assertThat(t.firstAt()).isEqualTo(T0);
    assertThat(t.attempt()).isEqualTo(1);
    assertThat(t.reruns()).isZero();
    assertThat(t.traceId()).isEqualTo("tr-на 116?");
    assertThat(claim()).as("a claimed buffer is not claimed twice").isEmpty();
  }

  @Test
  void maxWaitCapsAnEndlessStream() throws Exception {
    for (int i = 0; i < 10; i++) {
      append("7", "m" + i);
      assertThat(claim()).as("after %d s", i).isEmpty();
      clock.advance(1_000);
    }
    append("7", "m10");
    // 10 s after the first message, although the customer wrote just now.
    List<Turn> due = claim();
    assertThat(due).hasSize(1);
    assertThat(due.get(0).messageCount()).isEqualTo(11);
  }

  @Test
  void dueBuffersAreClaimedOldestFirstUpToTheLimit() throws Exception {
    // Subscriber ids in the opposite order of their due times, so only the due time can explain the order.
    append("3", "a");
    clock.advance(100);
    append("2", "b");
    clock.advance(100);
    append("1", "c");
    clock.advance(QUIET);
    List<Turn> first = await(turns().claimDue(2, "node-a", false));
    assertThat(first).extracting(Turn::subscriberId).containsExactly("3", "2");
    assertThat(await(turns().claimDue(0, "node-a", false))).isEmpty();
    assertThat(claim()).extracting(Turn::subscriberId).containsExactly("1");
  }

  @Test
  void aLeaseLastsItsWholeTimeWithoutARenewal() throws Exception {
    Turn t = turnOf("7", "Привіт");
    clock.advance(LEASE);
    assertThat(await(turns().expiredLeases(10))).as("at the end of the lease, not yet expired").isEmpty();
    assertThat(await(turns().expire(t, "lease ended"))).isEqualTo(FailOutcome.UNCHANGED);
    clock.advance(1);
    assertThat(await(turns().expiredLeases(10))).extracting(Turn::turnId).containsExactly(t.turnId());
  }

  @Test
  void expiredLeasesAreListedUpToTheLimit() throws Exception {
    append("1", "a");
    append("2", "b");
    append("3", "c");
    clock.advance(QUIET);
    assertThat(claim()).hasSize(3);
    clock.advance(LEASE + 1);
    assertThat(await(turns().expiredLeases(2))).hasSize(2);
    assertThat(await(turns().expiredLeases(10))).hasSize(3);
  }

  @Test
  void aMessageIdIsForgottenExactlyADayLater() throws Exception {
    assertThat(await(turns().append(msg("7", "Привіт", "mid-9")))).isEqualTo(TurnStore.AppendResult.STORED);
    clock.advance(TurnRules.DEDUPE_TTL_MS - 1);
    assertThat(await(turns().append(msg("7", "Привіт", "mid-9")))).isEqualTo(TurnStore.AppendResult.DUPLICATE);
    clock.advance(1);
    assertThat(await(turns().append(msg("7", "Привіт", "mid-9")))).isEqualTo(TurnStore.AppendResult.STORED);
  }

  @Test
  void drainClaimsBuffersBeforeTheyAreDue() throws Exception {
    append("7", "ще пишу");
    assertThat(claim()).isEmpty();
    assertThat(await(turns().claimDue(10, "node-a", true))).extracting(Turn::text).containsExactly("ще пишу");
  }

  @Test
  void onlyOneTurnPerSubscriberIsInFlight() throws Exception {
    Turn first = turnOf("7", "one");
    append("7", "two");
    clock.advance(MAX_WAIT);
    assertThat(claim()).as("the second turn waits for the first").isEmpty();
    await(turns().renew("7", first.turnId(), "node-a"));
    assertThat(await(turns().handoff(first, reply(first, "r1"), "{}")).deliver()).as("superseded").isFalse();
    clock.advance(MAX_WAIT);
    first = claim().get(0);
    assertThat(first.text()).isEqualTo("one\ntwo");
    assertThat(await(turns().handoff(first, reply(first, "r1"), "{}")).deliver()).isTrue();
    append("7", "three");
    clock.advance(MAX_WAIT);
    assertThat(claim()).as("a reply in the outbox still holds the subscriber").isEmpty();
    deliver(first);
    assertThat(claim()).extracting(Turn::text).containsExactly("three");
  }

  @Test
  void aDuplicateMessageIdIsStoredOnceForADay() throws Exception {
    assertThat(await(turns().append(msg("7", "Привіт", "mid-1")))).isEqualTo(TurnStore.AppendResult.STORED);
    assertThat(await(turns().append(msg("7", "Привіт", "mid-1")))).isEqualTo(TurnStore.AppendResult.DUPLICATE);
    assertThat(await(turns().append(msg("8", "Привіт", "mid-1")))).as("ids are per subscriber")
      .isEqualTo(TurnStore.AppendResult.STORED);
    assertThat(await(turns().append(msg("7", "Привіт", null)))).isEqualTo(TurnStore.AppendResult.STORED);
    assertThat(await(turns().stats()).pendingMessages()).isEqualTo(3);
    clock.advance(TurnRules.DEDUPE_TTL_MS + 1);
    assertThat(await(turns().append(msg("7", "Привіт", "mid-1")))).isEqualTo(TurnStore.AppendResult.STORED);
  }

  @Test
  void restartDropsWhatWasBufferedBeforeIt() throws Exception {
    append("7", "старе питання", "ще старе");
    clock.advance(1_000);
    append("7", "/restart", "нове питання");
    clock.advance(QUIET);
    Turn t = claim().get(0);
    assertThat(t.text()).isEqualTo("/restart\nнове питання");
    assertThat(t.firstAt()).isEqualTo(T0 + 1_000);
  }

  @Test
  void handoffStoresTheReplyAndTheConversationOnce() throws Exception {
    Turn t = turnOf("7", "Привіт");
    HandoffDecision d = await(turns().handoff(t, reply(t, "Вітаю!"), "{\"stage\":\"x\"}"));
    assertThat(d.deliver()).isTrue();
    assertThat(await(stores.conversations().load("7"))).isEqualTo("{\"stage\":\"x\"}");
    assertThat(await(outbox().pending())).isEqualTo(1);
    HandoffDecision again = await(turns().handoff(t, reply(t, "інша відповідь"), "{\"stage\":\"y\"}"));
    assertThat(again.deliver()).as("a repeated handoff (a lost answer) still delivers").isTrue();
    assertThat(await(outbox().pending())).isEqualTo(1);
    assertThat(await(stores.conversations().load("7"))).isEqualTo("{\"stage\":\"x\"}");
    OutboxEntry e = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(e.reply()).isEqualTo(reply(t, "Вітаю!"));
    assertThat(await(turns().renew("7", t.turnId(), "node-a"))).as("a handed-over turn needs no lease").isFalse();
  }

  @Test
  void newMessagesSupersedeAReplyNotYetStored() throws Exception {
    Turn t = turnOf("7", "Привіт");
    clock.advance(500);
    append("7", "а є на 116?");
    HandoffDecision d = await(turns().handoff(t, reply(t, "Вітаю!"), "{\"v\":1}"));
    assertThat(d.deliver()).isFalse();
    assertThat(await(outbox().pending())).isZero();
    assertThat(await(stores.conversations().load("7"))).as("a discarded turn saves nothing").isEmpty();
    clock.advance(QUIET - 1);
    assertThat(claim()).as("the re-run waits for the quiet window after the newest message").isEmpty();
    clock.advance(1);
    Turn rerun = claim().get(0);
    assertThat(rerun.text()).isEqualTo("Привіт\nа є на 116?");
    assertThat(rerun.reruns()).isEqualTo(1);
    assertThat(rerun.attempt()).isEqualTo(1);
    assertThat(rerun.firstAt()).isEqualTo(t.firstAt());
    assertThat(rerun.turnId()).isNotEqualTo(t.turnId());
  }

  @Test
  void aTurnReRunTooOftenIsDeliveredAnyway() throws Exception {
    Turn t = turnOf("7", "m0");
    for (int i = 1; i <= 2; i++) {
      append("7", "m" + i);
      assertThat(await(turns().handoff(t, reply(t, "r"), "{}")).deliver()).isFalse();
      clock.advance(QUIET);
      t = claim().get(0);
      assertThat(t.reruns()).isEqualTo(i);
    }
    append("7", "m3");
    assertThat(await(turns().handoff(t, reply(t, "r"), "{}")).deliver()).isTrue();
    deliver(t);
    clock.advance(QUIET);
    Turn next = claim().get(0);
    assertThat(next.text()).isEqualTo("m3");
    assertThat(next.reruns()).isZero();
  }

  @Test
  void aReRunOverARestartDoesNotBringBackOlderMessages() throws Exception {
    Turn t = turnOf("7", "старе");
    append("7", "/restart");
    assertThat(await(turns().handoff(t, reply(t, "r"), "{}")).deliver()).isFalse();
    clock.advance(QUIET);
    assertThat(claim()).extracting(Turn::text).containsExactly("/restart");
  }

  @Test
  void lateHandoffOfATurnTakenOverChangesNothing() throws Exception {
    Turn old = turnOf("7", "Привіт");
    clock.advance(LEASE + 1);
    assertThat(await(turns().expiredLeases(10))).extracting(Turn::turnId).containsExactly(old.turnId());
    assertThat(await(turns().expire(old, "lease ended"))).isEqualTo(FailOutcome.RETRY);
    Turn again = await(turns().claimDue(10, "node-b", false)).get(0);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(await(turns().handoff(again, reply(again, "new"), "{\"v\":\"new\"}")).deliver()).isTrue();
    HandoffDecision late = await(turns().handoff(old, reply(old, "old"), "{\"v\":\"old\"}"));
    assertThat(late.deliver()).isFalse();
    assertThat(await(stores.conversations().load("7"))).isEqualTo("{\"v\":\"new\"}");
    assertThat(await(outbox().claim("7", "node-b")).orElseThrow().reply().turnId()).isEqualTo(again.turnId());
    assertThat(await(turns().renew("7", old.turnId(), "node-a"))).isFalse();
    assertThat(await(turns().fail(old, "late failure"))).isEqualTo(FailOutcome.UNCHANGED);
  }

  @Test
  void aRenewedLeaseDoesNotExpire() throws Exception {
    Turn t = turnOf("7", "Привіт");
    clock.advance(LEASE - 1);
    assertThat(await(turns().renew("7", t.turnId(), "node-b"))).isTrue();
    clock.advance(LEASE - 1);
    assertThat(await(turns().expiredLeases(10))).isEmpty();
    assertThat(await(turns().expire(t, "lease ended"))).isEqualTo(FailOutcome.UNCHANGED);
    clock.advance(2);
    assertThat(await(turns().expiredLeases(10))).extracting(Turn::turnId).containsExactly(t.turnId());
    assertThat(await(turns().renew("7", "other-turn", "node-b"))).isFalse();
    assertThat(await(turns().renew("8", t.turnId(), "node-b"))).isFalse();
  }

  @Test
  void aHandedOverTurnNeverExpires() throws Exception {
    Turn t = turnOf("7", "Привіт");
    await(turns().handoff(t, reply(t, "r"), "{}"));
    clock.advance(10 * LEASE);
    assertThat(await(turns().expiredLeases(10))).isEmpty();
    assertThat(await(turns().expire(t, "lease ended"))).isEqualTo(FailOutcome.UNCHANGED);
    assertThat(await(turns().stats()).inFlight()).isEqualTo(1);
  }

  @Test
  void aFailedTurnIsRetriedWithItsMessagesFirstThenDeadLettered() throws Exception {
    Turn t = turnOf("7", "перше");
    append("7", "друге");
    assertThat(await(turns().fail(t, "model down"))).isEqualTo(FailOutcome.RETRY);
    Turn second = claim().get(0);
    assertThat(second.text()).as("due at once, the failed messages first").isEqualTo("перше\nдруге");
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.firstAt()).isEqualTo(t.firstAt());
    assertThat(await(turns().fail(second, "model down"))).isEqualTo(FailOutcome.RETRY);
    Turn third = claim().get(0);
    assertThat(third.attempt()).isEqualTo(3);
    assertThat(await(turns().fail(third, "model down again"))).isEqualTo(FailOutcome.DEAD_LETTERED);
    List<DeadLetter> dead = await(stores.deadLetters().recent(10));
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).source()).isEqualTo("debounce");
    assertThat(dead.get(0).code()).isEqualTo("agent_failed");
    assertThat(dead.get(0).reason()).isEqualTo("model down again");
    assertThat(dead.get(0).turnId()).isEqualTo(third.turnId());
    assertThat(dead.get(0).payload().getString("text")).isEqualTo("перше\nдруге");
    assertThat(await(turns().stats())).as("the needs_human notice holds the subscriber")
      .isEqualTo(new TurnStore.Stats(0, 0, 1));
    deliver(third);
    assertThat(await(turns().stats())).isEqualTo(new TurnStore.Stats(0, 0, 0));
    append("7", "нове");
    clock.advance(QUIET);
    assertThat(claim()).extracting(Turn::attempt).containsExactly(1);
  }

  @Test
  void anExpiredLeaseUsesUpAnAttemptToo() throws Exception {
    Turn t = turnOf("7", "Привіт");
    for (int attempt = 1; attempt < 3; attempt++) {
      clock.advance(LEASE + 1);
      assertThat(await(turns().expire(t, "lease ended"))).isEqualTo(FailOutcome.RETRY);
      t = claim().get(0);
      assertThat(t.attempt()).isEqualTo(attempt + 1);
    }
    clock.advance(LEASE + 1);
    assertThat(await(turns().expire(t, "lease ended"))).isEqualTo(FailOutcome.DEAD_LETTERED);
    assertThat(await(stores.deadLetters().recent(1))).extracting(DeadLetter::code).containsExactly("lease_expired");
    OutboxEntry notice = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(notice.reply()).isEqualTo(TurnRules.needsHuman(t));
    assertThat(notice.storedAt()).isEqualTo(clock.getAsLong());
    assertThat(await(turns().expiredLeases(10))).as("the notice's turn is handed over").isEmpty();
    append("7", "алло?");
    clock.advance(QUIET);
    assertThat(claim()).isEmpty();
    assertThat(await(outbox().finish(notice, null))).isTrue();
    assertThat(claim()).extracting(Turn::text).containsExactly("алло?");
  }

  @Test
  void aDeadLetteredTurnTagsTheContactForAManagerAndKeepsTheConversation() throws Exception {
    Turn first = turnOf("7", "Привіт");
    await(turns().handoff(first, reply(first, "Вітаю!"), "{\"v\":1}"));
    deliver(first);
    append("7", "де моє замовлення?");
    clock.advance(QUIET);
    Turn t = claim().get(0);
    for (int attempt = 1; attempt < 3; attempt++) {
      assertThat(await(turns().fail(t, "model down"))).isEqualTo(FailOutcome.RETRY);
      t = claim().get(0);
    }
    clock.advance(100);
    assertThat(await(turns().fail(t, "model down"))).isEqualTo(FailOutcome.DEAD_LETTERED);
    long at = clock.getAsLong();
    assertThat(await(outbox().backlog())).isEqualTo(new OutboxStore.Backlog(1, at));
    append("7", "алло?");
    clock.advance(MAX_WAIT);
    assertThat(claim()).as("the notice holds the subscriber like a reply").isEmpty();
    assertThat(await(turns().stats())).isEqualTo(new TurnStore.Stats(1, 1, 1));

    List<OutboxEntry> due = await(outbox().claimDue(10, "node-a"));
    assertThat(due).hasSize(1);
    OutboxEntry notice = due.get(0);
    assertThat(notice.reply()).isEqualTo(TurnRules.needsHuman(t));
    assertThat(notice.reply().messages()).isEmpty();
    assertThat(notice.reply().addTags()).containsExactly(TurnRules.NEEDS_HUMAN_TAG);
    assertThat(notice.turnId()).isEqualTo(t.turnId());
    assertThat(notice).extracting(OutboxEntry::accepted, OutboxEntry::attempts, OutboxEntry::timeouts,
      OutboxEntry::storedAt, OutboxEntry::lastInboundAt).containsExactly(0, 0, 0, at, at);
    assertThat(await(stores.conversations().load("7"))).isEqualTo("{\"v\":1}");

    clock.advance(LEASE + 1);
    assertThat(await(turns().fail(t, "again"))).isEqualTo(FailOutcome.UNCHANGED);
    assertThat(await(turns().expire(t, "again"))).isEqualTo(FailOutcome.UNCHANGED);
    assertThat(await(turns().release(t))).isFalse();
    assertThat(await(turns().renew("7", t.turnId(), "node-a"))).isFalse();
    assertThat(await(stores.deadLetters().recent(10))).hasSize(1);

    OutboxEntry retaken = await(outbox().claim("7", "node-b")).orElseThrow();
    assertThat(await(outbox().finish(retaken, null))).isTrue();
    assertThat(await(outbox().backlog())).isEqualTo(new OutboxStore.Backlog(0, 0));
    List<Turn> next = claim();
    assertThat(next).extracting(Turn::text).as("the dead-lettered messages do not come back").containsExactly("алло?");
    assertThat(next.get(0).attempt()).isEqualTo(1);
  }

  @Test
  void aReleasedTurnComesBackDueAtOnceWithoutUsingAnAttempt() throws Exception {
    Turn t = turnOf("7", "перше");
    append("7", "друге");
    for (int i = 0; i < 5; i++) {
      assertThat(await(turns().release(t))).isTrue();
      assertThat(await(turns().stats())).isEqualTo(new TurnStore.Stats(1, 2, 0));
      t = claim().get(0);
      assertThat(t.text()).as("due at once, the released messages first").isEqualTo("перше\nдруге");
      assertThat(t.attempt()).as("no attempt used after %d releases", i + 1).isEqualTo(1);
      assertThat(t.firstAt()).isEqualTo(T0);
    }
    assertThat(await(turns().fail(t, "model down"))).isEqualTo(FailOutcome.RETRY);
    Turn second = claim().get(0);
    assertThat(await(turns().release(second))).isTrue();
    assertThat(claim()).extracting(Turn::attempt).as("a release keeps the attempt it had").containsExactly(2);
    assertThat(await(stores.deadLetters().recent(10))).isEmpty();
  }

  @Test
  void aReleaseOfATurnNoLongerInFlightChangesNothing() throws Exception {
    Turn t = turnOf("7", "Привіт");
    await(turns().handoff(t, reply(t, "r"), "{}"));
    assertThat(await(turns().release(t))).as("handed over").isFalse();
    assertThat(await(turns().stats())).isEqualTo(new TurnStore.Stats(0, 0, 1));
    deliver(t);
    assertThat(await(turns().release(t))).as("completed").isFalse();
    Turn u = turnOf("8", "a");
    assertThat(await(turns().release(u))).isTrue();
    Turn v = claim().get(0);
    assertThat(await(turns().release(u))).as("an older claim of the same subscriber").isFalse();
    assertThat(await(turns().stats()).inFlight()).isEqualTo(1);
    assertThat(v.turnId()).isNotEqualTo(u.turnId());
  }

  @Test
  void statsCountBuffersMessagesAndTurnsInFlight() throws Exception {
    assertThat(await(turns().stats()).idle()).isTrue();
    Turn t = turnOf("1", "a");
    append("2", "b", "c");
    await(turns().handoff(t, reply(t, "r"), "{}"));
    append("1", "d");
    TurnStore.Stats s = await(turns().stats());
    assertThat(s).isEqualTo(new TurnStore.Stats(2, 3, 1));
    assertThat(s.idle()).isFalse();
    deliver(t);
    assertThat(await(turns().stats())).isEqualTo(new TurnStore.Stats(2, 3, 0));
  }

  @Test
  void aClaimedTurnCarriesTheTimeItBecameDue() throws Exception {
    append("7", "Привіт");
    clock.advance(1_000);
    append("7", "є сукні");
    clock.advance(QUIET + 250);
    Turn t = claim().get(0);
    assertThat(t.dueAt()).as("the quiet window after the newest message").isEqualTo(T0 + 1_000 + QUIET);
    await(turns().release(t));
    assertThat(claim().get(0).dueAt()).as("a released turn is due when it was given back")
      .isEqualTo(T0 + 1_000 + QUIET + 250);
  }

  @Test
  void nextDueInIsTheEarliestDueTimeStillAhead() throws Exception {
    assertThat(await(turns().nextDueIn())).as("nothing buffered").isEqualTo(-1L);
    append("1", "a");
    clock.advance(1_000);
    append("2", "b");
    assertThat(await(turns().nextDueIn())).isEqualTo(QUIET - 1_000);
    clock.advance(300);
    append("1", "a2");
    assertThat(await(turns().nextDueIn())).as("a newer message moved the first buffer's due time behind the other's")
      .isEqualTo(QUIET - 300);
    clock.advance(QUIET - 300);
    assertThat(await(turns().nextDueIn())).as("a buffer already due is not ahead").isEqualTo(300L);
    assertThat(claim()).extracting(Turn::subscriberId).containsExactly("2");
    assertThat(await(turns().nextDueIn())).isEqualTo(300L);
    clock.advance(300);
    Turn t = claim().get(0);
    assertThat(await(turns().nextDueIn())).as("every buffer taken").isEqualTo(-1L);
    assertThat(await(turns().handoff(t, reply(t, "r"), "{}")).deliver()).isTrue();
    clock.advance(100);
    append("1", "while the reply goes out");
    deliver(t);
    assertThat(await(turns().nextDueIn())).as("a buffer that waited behind its turn")
      .isEqualTo(QUIET);
  }

  @Test
  void countsFollowEveryChangeOfABuffer() throws Exception {
    append("1", "a", "b");
    append("1", "/restart");
    assertThat(await(turns().stats())).as("a restart drops what was buffered")
      .isEqualTo(new TurnStore.Stats(1, 1, 0));
    clock.advance(QUIET);
    Turn t = claim().get(0);
    assertThat(await(turns().stats())).isEqualTo(new TurnStore.Stats(0, 0, 1));
    append("1", "c");
    assertThat(await(turns().handoff(t, reply(t, "r"), "{}")).deliver()).isFalse();
    assertThat(await(turns().stats())).as("a superseded turn's messages are buffered again")
      .isEqualTo(new TurnStore.Stats(1, 2, 0));
    clock.advance(QUIET);
    Turn rerun = claim().get(0);
    assertThat(await(turns().fail(rerun, "model down"))).isEqualTo(FailOutcome.RETRY);
    assertThat(await(turns().stats())).isEqualTo(new TurnStore.Stats(1, 2, 0));
    Turn retry = claim().get(0);
    assertThat(await(turns().handoff(retry, reply(retry, "r"), "{}")).deliver()).isTrue();
    assertThat(await(turns().stats())).isEqualTo(new TurnStore.Stats(0, 0, 1));
    deliver(retry);
    assertThat(await(turns().stats()).idle()).isTrue();
    assertThat(claim()).isEmpty();
  }
}
