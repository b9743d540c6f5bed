package ai.mirt.state;

import ai.mirt.common.Channel;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.Turn;
import ai.mirt.state.FollowUpStore.FollowUp;
import ai.mirt.state.TurnStore.FailOutcome;
import ai.mirt.state.TurnStore.OwnReplyResult;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How every {@link TurnStore} stores a reply Mirt sends on its own ({@link TurnStore#storeOwnReply}), settles the
 * follow-up it answers, and lists the messages not yet answered ({@link TurnStore#pending}).
 */
abstract class OwnReplyContract extends StoreContract {

  static Reply own(String sub, String turnId, String text) {
    return new Reply(sub, turnId, Channel.INSTAGRAM, List.of(OutMessage.text(text)), List.of(), null, "follow_up",
      Map.of(), List.of(), List.of(), "tr-" + turnId);
  }

  /** The turn an own reply holds, as push and the agent name it. */
  static Turn ownTurn(Reply reply) {
    return new Turn(reply.subscriberId(), reply.turnId(), reply.channel(), "", List.of(), null, 0, T0, 1, 0,
      reply.traceId());
  }

  OwnReplyResult storeOwn(Reply reply, String conversation, FollowUp followUp) throws InterruptedException {
    return await(turns().storeOwnReply(reply, conversation, followUp));
  }

  FollowUpStore followUps() {
    return stores.followUps();
  }

  FollowUp claimedFollowUp(String sub) throws InterruptedException {
    await(followUps().schedule(sub, clock.getAsLong()));
    List<FollowUp> claimed = await(followUps().claimDue(10, LEASE));
    assertThat(claimed).extracting(FollowUp::subscriberId).containsExactly(sub);
    return claimed.get(0);
  }

  List<String> pendingTexts(String sub) throws InterruptedException {
    return await(turns().pending(sub)).stream().map(InboundMessage::text).toList();
  }

  @Test
  void anOwnReplyIsDeliveredAndFinishedLikeAHandedOverReply() throws Exception {
    Reply r = own("7", "own-1", "Ще шукаєте сукню?");
    assertThat(storeOwn(r, "{\"v\":1}", null)).isEqualTo(OwnReplyResult.STORED);
    assertThat(await(turns().stats())).isEqualTo(new TurnStore.Stats(0, 0, 1));
    assertThat(await(outbox().backlog())).isEqualTo(new OutboxStore.Backlog(1, T0));
    assertThat(await(stores.conversations().load("7"))).isEqualTo("{\"v\":1}");
    assertThat(await(turns().renew("7", "own-1", "node-a"))).as("handed over: no lease to renew").isFalse();
    clock.advance(LEASE + 1);
    assertThat(await(turns().expiredLeases(10))).as("a handed-over turn never expires").isEmpty();

    OutboxEntry e = await(outbox().claimDue(10, "node-a")).get(0);
    assertThat(e.reply()).isEqualTo(r);
    assertThat(e).extracting(OutboxEntry::accepted, OutboxEntry::attempts, OutboxEntry::timeouts,
      OutboxEntry::storedAt).containsExactly(0, 0, 0, T0);
    assertThat(await(outbox().accepted(e, 1))).isTrue();
    assertThat(await(outbox().finish(e, null))).isTrue();
    assertThat(await(turns().stats())).isEqualTo(new TurnStore.Stats(0, 0, 0));
    assertThat(await(outbox().backlog())).isEqualTo(new OutboxStore.Backlog(0, 0));

    Turn next = turnOf("7", "так, на 116");
    assertThat(next.attempt()).isEqualTo(1);
    assertThat(next.messageCount()).isEqualTo(1);
    assertThat(await(turns().handoff(next, reply(next, "Ось"), "{\"v\":2}")).deliver()).isTrue();
    deliver(next);
    assertThat(await(turns().stats()).idle()).isTrue();
  }

  @Test
  void aTurnBufferedMeanwhileWaitsUntilTheOwnReplyIsFinished() throws Exception {
    assertThat(storeOwn(own("7", "own-1", "нагадування"), null, null)).isEqualTo(OwnReplyResult.STORED);
    append("7", "а є знижки?");
    clock.advance(MAX_WAIT);
    assertThat(claim()).as("the own reply holds the subscriber").isEmpty();
    assertThat(await(turns().stats())).isEqualTo(new TurnStore.Stats(1, 1, 1));
    OutboxEntry e = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(await(outbox().finish(e, null))).isTrue();
    assertThat(claim()).extracting(Turn::text).containsExactly("а є знижки?");
  }

  @Test
  void withoutAFollowUpBufferedMessagesDoNotStopTheReply() throws Exception {
    append("7", "алло?");
    assertThat(storeOwn(own("7", "resume-1", "Менеджер на зв'язку"), null, null)).isEqualTo(OwnReplyResult.STORED);
    clock.advance(MAX_WAIT);
    assertThat(claim()).isEmpty();
    OutboxEntry e = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(e.turnId()).isEqualTo("resume-1");
    assertThat(await(outbox().finish(e, null))).isTrue();
    Turn t = claim().get(0);
    assertThat(t.text()).isEqualTo("алло?");
    assertThat(t.firstAt()).isEqualTo(T0);
  }

  @Test
  void aTurnInFlightMakesTheSubscriberBusy() throws Exception {
    Turn t = turnOf("7", "Привіт");
    Reply r = own("7", "own-1", "нагадування");
    assertThat(storeOwn(r, "{\"own\":1}", null)).as("claimed").isEqualTo(OwnReplyResult.BUSY);
    assertThat(await(outbox().backlog()).replies()).isZero();
    assertThat(await(turns().handoff(t, reply(t, "Вітаю"), "{\"v\":1}")).deliver()).isTrue();
    assertThat(storeOwn(r, "{\"own\":1}", null)).as("handed over").isEqualTo(OwnReplyResult.BUSY);
    assertThat(await(stores.conversations().load("7"))).isEqualTo("{\"v\":1}");
    OutboxEntry e = await(outbox().claim("7", "node-a")).orElseThrow();
    assertThat(e.reply()).isEqualTo(reply(t, "Вітаю"));
    assertThat(await(outbox().finish(e, null))).isTrue();
    assertThat(storeOwn(r, null, null)).as("finished").isEqualTo(OwnReplyResult.STORED);
    assertThat(storeOwn(own("7", "own-2", "ще"), null, null)).as("the own reply is in flight")
      .isEqualTo(OwnReplyResult.BUSY);
    assertThat(await(outbox().claim("7", "node-a")).orElseThrow().reply()).isEqualTo(r);
  }

  @Test
  void aFollowUpIsStoredOnlyWhileItsClaimHolds() throws Exception {
    FollowUp first = claimedFollowUp("7");
    clock.advance(LEASE);
    FollowUp second = await(followUps().claimDue(10, LEASE)).get(0);
    assertThat(storeOwn(own("7", "fu-1", "нагадування"), null, first)).as("claimed again")
      .isEqualTo(OwnReplyResult.GONE);
    assertThat(await(followUps().scheduled("7"))).as("the newer claim stays").contains(second.token());
    assertThat(await(followUps().reschedule(second, T0 + 9 * LEASE))).isTrue();
    assertThat(storeOwn(own("7", "fu-1", "нагадування"), null, second)).as("rescheduled")
      .isEqualTo(OwnReplyResult.GONE);
    assertThat(await(followUps().scheduled("7"))).contains(T0 + 9 * LEASE);
    await(followUps().cancel("7"));
    assertThat(storeOwn(own("7", "fu-1", "нагадування"), null, second)).as("cancelled")
      .isEqualTo(OwnReplyResult.GONE);
    assertThat(await(outbox().backlog()).replies()).isZero();
    assertThat(await(turns().stats()).idle()).isTrue();
    assertThat(claim()).isEmpty();
  }

  @Test
  void aStoredFollowUpIsForgotten() throws Exception {
    FollowUp f = claimedFollowUp("7");
    assertThat(storeOwn(own("7", "fu-1", "нагадування"), "{\"v\":2}", f)).isEqualTo(OwnReplyResult.STORED);
    assertThat(await(followUps().scheduled("7"))).isEmpty();
    assertThat(await(followUps().drop(f))).isFalse();
    assertThat(await(stores.conversations().load("7"))).isEqualTo("{\"v\":2}");
    assertThat(await(outbox().claim("7", "node-a")).orElseThrow().turnId()).isEqualTo("fu-1");
  }

  @Test
  void aFollowUpOfABusySubscriberIsForgottenAndNotStored() throws Exception {
    Turn t = turnOf("7", "Привіт");
    FollowUp inFlight = claimedFollowUp("7");
    assertThat(storeOwn(own("7", "fu-1", "нагадування"), "{}", inFlight)).isEqualTo(OwnReplyResult.BUSY);
    assertThat(await(followUps().scheduled("7"))).isEmpty();

    append("8", "ще пишу");
    FollowUp buffered = claimedFollowUp("8");
    assertThat(storeOwn(own("8", "fu-2", "нагадування"), "{}", buffered)).isEqualTo(OwnReplyResult.BUSY);
    assertThat(await(followUps().scheduled("8"))).isEmpty();

    assertThat(await(outbox().backlog()).replies()).isZero();
    assertThat(await(stores.conversations().load("8"))).isEmpty();
    assertThat(await(turns().stats())).isEqualTo(new TurnStore.Stats(1, 1, 1));
    assertThat(await(turns().handoff(t, reply(t, "r"), "{}")).deliver()).isTrue();
    clock.advance(QUIET);
    assertThat(claim()).extracting(Turn::text).containsExactly("ще пишу");
  }

  @Test
  void theConversationIsSavedClearedOrLeftAsItWas() throws Exception {
    Turn t = turnOf("7", "Привіт");
    assertThat(await(turns().handoff(t, reply(t, "r"), "{\"v\":1}")).deliver()).isTrue();
    deliver(t);
    assertThat(storeOwn(own("7", "own-1", "a"), null, null)).isEqualTo(OwnReplyResult.STORED);
    assertThat(await(stores.conversations().load("7"))).as("null leaves it").isEqualTo("{\"v\":1}");
    deliver(ownTurn(own("7", "own-1", "a")));
    clock.advance(1_000);
    assertThat(storeOwn(own("7", "own-2", "b"), "{\"v\":2}", null)).isEqualTo(OwnReplyResult.STORED);
    assertThat(await(stores.conversations().load("7"))).isEqualTo("{\"v\":2}");
    clock.advance(86_400_000L - 1);
    assertThat(await(stores.conversations().load("7"))).as("kept its TTL from now").isEqualTo("{\"v\":2}");
    clock.advance(1);
    assertThat(await(stores.conversations().load("7"))).isEmpty();
    deliver(ownTurn(own("7", "own-2", "b")));
    await(turns().storeOwnReply(own("7", "own-3", "c"), "{\"v\":3}", null));
    deliver(ownTurn(own("7", "own-3", "c")));
    assertThat(storeOwn(own("7", "own-4", "d"), "", null)).isEqualTo(OwnReplyResult.STORED);
    assertThat(await(stores.conversations().load("7"))).as("empty clears it").isEmpty();
  }

  @Test
  void theTurnOfAnOwnReplyCannotBeFailedReleasedOrExpired() throws Exception {
    Reply r = own("7", "own-1", "a");
    assertThat(storeOwn(r, null, null)).isEqualTo(OwnReplyResult.STORED);
    Turn t = ownTurn(r);
    clock.advance(LEASE + 1);
    assertThat(await(turns().release(t))).isFalse();
    assertThat(await(turns().fail(t, "x"))).isEqualTo(FailOutcome.UNCHANGED);
    assertThat(await(turns().expire(t, "x"))).isEqualTo(FailOutcome.UNCHANGED);
    assertThat(await(turns().handoff(t, reply(t, "other"), "{}")).deliver()).as("already stored").isTrue();
    assertThat(await(outbox().claim("7", "node-a")).orElseThrow().reply()).isEqualTo(r);
    assertThat(await(turns().stats())).isEqualTo(new TurnStore.Stats(0, 0, 1));
    assertThat(await(stores.deadLetters().recent(10))).isEmpty();
  }

  @Test
  void aFollowUpOfAnotherSubscriberIsRefused() throws Exception {
    FollowUp of8 = claimedFollowUp("8");
    Throwable refused = await(turns().storeOwnReply(own("7", "fu-1", "a"), null, of8)
      .transform(done -> Future.succeededFuture(done.cause())));
    assertThat(refused).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8")
      .hasMessageContaining("7");
    assertThat(await(followUps().scheduled("8"))).contains(of8.token());
    assertThat(await(turns().stats()).idle()).isTrue();
  }

  @Test
  void pendingListsTheTurnsMessagesUntilHandedOverThenTheBuffers() throws Exception {
    assertThat(pendingTexts("7")).isEmpty();
    append("7", "a", "b");
    append("8", "x");
    assertThat(pendingTexts("7")).containsExactly("a", "b");
    assertThat(await(turns().pending("7"))).containsExactly(msg("7", "a"), msg("7", "b"));
    clock.advance(QUIET);
    List<Turn> claimed = claim();
    assertThat(pendingTexts("7")).as("claimed").containsExactly("a", "b");
    append("7", "c");
    assertThat(pendingTexts("7")).as("the turn's, then the buffer's").containsExactly("a", "b", "c");
    Turn t = claimed.stream().filter(c -> c.subscriberId().equals("7")).findFirst().orElseThrow();
    await(turns().release(t));
    assertThat(pendingTexts("7")).as("released").containsExactly("a", "b", "c");
    Turn again = claim().stream().filter(c -> c.subscriberId().equals("7")).findFirst().orElseThrow();
    append("7", "d");
    assertThat(await(turns().handoff(again, reply(again, "r"), "{}")).deliver()).as("superseded").isFalse();
    clock.advance(QUIET);
    Turn rerun = claim().get(0);
    assertThat(await(turns().handoff(rerun, reply(rerun, "r"), "{}")).deliver()).isTrue();
    assertThat(pendingTexts("7")).as("handed over: answered").isEmpty();
    append("7", "e");
    assertThat(pendingTexts("7")).containsExactly("e");
    assertThat(pendingTexts("8")).containsExactly("x");
  }

  @Test
  void anOwnReplyLeavesNoMessagesPending() throws Exception {
    assertThat(storeOwn(own("7", "own-1", "a"), null, null)).isEqualTo(OwnReplyResult.STORED);
    assertThat(pendingTexts("7")).isEmpty();
    append("7", "b");
    assertThat(pendingTexts("7")).containsExactly("b");
  }
}
