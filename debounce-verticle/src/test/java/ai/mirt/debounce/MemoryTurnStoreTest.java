package ai.mirt.debounce;

import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.HandoffDecision;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Turn;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The debounce rules on explicit clocks; the memory store completes every future at once. */
class MemoryTurnStoreTest {

  private final MirtConfig.Debounce cfg = MirtConfig.fromJson(new JsonObject()
    .put("debounce.quiet-seconds", 3.0).put("debounce.max-wait-seconds", 10.0)
    .put("debounce.lease-seconds", 60.0).put("debounce.max-attempts", 3).put("debounce.max-reruns", 2)
    .put("debounce.dedupe-max-entries", 3)).debounce();
  private final MemoryTurnStore store = new MemoryTurnStore(cfg);

  private static <T> T now(Future<T> f) {
    assertThat(f.isComplete()).isTrue();
    if (f.failed()) {
      throw new AssertionError(f.cause());
    }
    return f.result();
  }

  private static InboundMessage msg(String sub, String text, long at) {
    return msg(sub, text, at, null);
  }

  private static InboundMessage msg(String sub, String text, long at, String id) {
    return new InboundMessage(sub, Channel.INSTAGRAM, text, List.of(), id, Contact.EMPTY, at, "tr");
  }

  private void append(InboundMessage m) {
    assertThat(now(store.append(m, m.receivedAt()))).isEqualTo(TurnStore.AppendResult.STORED);
  }

  @Test
  void burstBecomesOneTurnOnlyAfterTheQuietWindow() {
    append(msg("a", "Привіт", 0));
    append(msg("a", "є сукні", 1_000));
    append(msg("a", "на 116?", 2_000));
    assertThat(now(store.claimDue(4_999, 10, false))).isEmpty();
    List<Turn> turns = now(store.claimDue(5_000, 10, false));
    assertThat(turns).hasSize(1);
    assertThat(turns.get(0).text()).isEqualTo("Привіт\nє сукні\nна 116?");
    assertThat(turns.get(0).messageCount()).isEqualTo(3);
    assertThat(turns.get(0).firstAt()).isEqualTo(0);
  }

  @Test
  void maxWaitCapsAnEndlessStream() {
    for (long t = 0; t <= 12_000; t += 1_000) {
      append(msg("a", "m" + t, t));
      List<Turn> due = now(store.claimDue(t, 10, false));
      if (t < 10_000) {
        assertThat(due).as("at %d ms", t).isEmpty();
      } else {
        assertThat(due).as("at %d ms", t).hasSize(1);
        assertThat(due.get(0).messageCount()).isEqualTo(11);
        return;
      }
    }
    throw new AssertionError("the max wait never made the turn due");
  }

  @Test
  void onlyOneTurnPerSubscriberIsInFlight() {
    append(msg("a", "one", 0));
    Turn first = now(store.claimDue(3_000, 10, false)).get(0);
    append(msg("a", "two", 3_500));
    assertThat(now(store.claimDue(20_000, 10, false))).isEmpty();
    assertThat(now(store.handoff("a", first.turnId(), 21_000)).deliver()).isFalse();
    // superseded: both messages run again as one turn
    List<Turn> again = now(store.claimDue(21_000, 10, false));
    assertThat(again).hasSize(1);
    assertThat(again.get(0).text()).isEqualTo("one\ntwo");
    assertThat(again.get(0).reruns()).isEqualTo(1);
  }

  @Test
  void handedOverTurnKeepsNewMessagesForTheNextTurn() {
    append(msg("a", "one", 0));
    Turn first = now(store.claimDue(3_000, 10, false)).get(0);
    assertThat(now(store.handoff("a", first.turnId(), 3_100)).deliver()).isTrue();
    append(msg("a", "two", 3_200));
    assertThat(now(store.claimDue(9_000, 10, false))).as("still in flight").isEmpty();
    now(store.complete("a", first.turnId()));
    List<Turn> next = now(store.claimDue(9_000, 10, false));
    assertThat(next).hasSize(1);
    assertThat(next.get(0).text()).isEqualTo("two");
  }

  @Test
  void supersedeStopsAfterMaxReruns() {
    append(msg("a", "m0", 0));
    Turn t = now(store.claimDue(3_000, 10, false)).get(0);
    long clock = 3_000;
    for (int rerun = 1; rerun <= 2; rerun++) {
      append(msg("a", "m" + rerun, clock + 100));
      HandoffDecision d = now(store.handoff("a", t.turnId(), clock + 200));
      assertThat(d.deliver()).isFalse();
      clock += 20_000;
      t = now(store.claimDue(clock, 10, false)).get(0);
      assertThat(t.reruns()).isEqualTo(rerun);
    }
    append(msg("a", "late", clock + 100));
    assertThat(now(store.handoff("a", t.turnId(), clock + 200)).deliver()).isTrue();
    assertThat(t.text()).isEqualTo("m0\nm1\nm2");
  }

  @Test
  void supersedeCanBeTurnedOff() {
    MemoryTurnStore s = new MemoryTurnStore(MirtConfig.fromJson(new JsonObject()
      .put("debounce.supersede-in-flight", false)).debounce());
    s.append(msg("a", "one", 0), 0);
    Turn t = now(s.claimDue(5_000, 10, false)).get(0);
    s.append(msg("a", "two", 5_100), 5_100);
    assertThat(now(s.handoff("a", t.turnId(), 5_200)).deliver()).isTrue();
  }

  @Test
  void staleTurnIsNotDelivered() {
    append(msg("a", "one", 0));
    Turn t = now(store.claimDue(3_000, 10, false)).get(0);
    assertThat(now(store.handoff("a", "some-other-turn", 3_100)).deliver()).isFalse();
    assertThat(now(store.handoff("nobody", t.turnId(), 3_100)).deliver()).isFalse();
  }

  @Test
  void failedTurnIsRetriedThenDropped() {
    append(msg("a", "help", 0));
    Turn t = now(store.claimDue(3_000, 10, false)).get(0);
    for (int attempt = 1; attempt < 3; attempt++) {
      assertThat(now(store.fail("a", t.turnId(), 4_000))).isNull();
      t = now(store.claimDue(4_000, 10, false)).get(0);
      assertThat(t.attempt()).isEqualTo(attempt + 1);
      assertThat(t.text()).isEqualTo("help");
    }
    Turn dropped = now(store.fail("a", t.turnId(), 5_000));
    assertThat(dropped).isNotNull();
    assertThat(dropped.attempt()).isEqualTo(3);
    assertThat(now(store.stats()).idle()).isTrue();
  }

  @Test
  void expiredLeaseIsRetriedUnlessHandedOver() {
    append(msg("a", "x", 0));
    append(msg("b", "y", 0));
    Turn ta = now(store.claimDue(3_000, 10, false)).stream().filter(t -> t.subscriberId().equals("a")).findFirst().orElseThrow();
    assertThat(now(store.handoff("a", ta.turnId(), 3_001)).deliver()).isTrue();
    assertThat(now(store.expireLeases(64_000))).isEmpty();
    List<Turn> again = now(store.claimDue(64_000, 10, false));
    assertThat(again).extracting(Turn::subscriberId).containsExactly("b");
    assertThat(again.get(0).attempt()).isEqualTo(2);
    assertThat(now(store.stats()).inFlight()).isEqualTo(1);
  }

  @Test
  void duplicateMessageIdIsNotStoredTwice() {
    append(msg("a", "x", 0, "m1"));
    assertThat(now(store.append(msg("a", "x", 10, "m1"), 10))).isEqualTo(TurnStore.AppendResult.DUPLICATE);
    assertThat(now(store.append(msg("b", "x", 10, "m1"), 10))).as("ids are per subscriber")
      .isEqualTo(TurnStore.AppendResult.STORED);
    assertThat(now(store.stats()).pendingMessages()).isEqualTo(2);
    assertThat(now(store.append(msg("a", "x", 25 * 3600_000L, "m1"), 25 * 3600_000L)))
      .as("forgotten after 24 h").isEqualTo(TurnStore.AppendResult.STORED);
  }

  @Test
  void dedupeMemoryIsBounded() {
    for (int i = 0; i < 4; i++) {
      append(msg("a", "x", i, "id" + i));
    }
    // capacity 3: the oldest id was forgotten, the newest are remembered
    assertThat(now(store.append(msg("a", "x", 5, "id0"), 5))).isEqualTo(TurnStore.AppendResult.STORED);
    assertThat(now(store.append(msg("a", "x", 5, "id3"), 5))).isEqualTo(TurnStore.AppendResult.DUPLICATE);
  }

  @Test
  void restartDropsWhatWasBufferedBeforeIt() {
    append(msg("a", "хочу сукню", 0));
    append(msg("a", "/restart", 500));
    Turn t = now(store.claimDue(4_000, 10, false)).get(0);
    assertThat(t.text()).isEqualTo("/restart");
  }

  @Test
  void restartDuringAFlightSupersedesWithoutTheOldMessages() {
    append(msg("a", "хочу сукню", 0));
    Turn t = now(store.claimDue(3_000, 10, false)).get(0);
    append(msg("a", "/restart", 3_100));
    assertThat(now(store.handoff("a", t.turnId(), 3_200)).deliver()).isFalse();
    assertThat(now(store.claimDue(7_000, 10, false)).get(0).text()).isEqualTo("/restart");
  }

  @Test
  void drainMakesEveryBufferDue() {
    append(msg("a", "x", 0));
    append(msg("b", "y", 0));
    assertThat(now(store.claimDue(1, 10, false))).isEmpty();
    assertThat(now(store.claimDue(1, 10, true))).hasSize(2);
  }

  @Test
  void claimRespectsTheBatchLimit() {
    for (int i = 0; i < 5; i++) {
      append(msg("s" + i, "x", 0));
    }
    assertThat(now(store.claimDue(5_000, 3, false))).hasSize(3);
    assertThat(now(store.claimDue(5_000, 3, false))).hasSize(2);
  }

  @Test
  void oldestDueTurnsAreClaimedFirst() {
    for (int i = 9; i >= 0; i--) {
      append(msg("s" + i, "x", 1_000 - i * 100L));
    }
    List<Turn> first = now(store.claimDue(10_000, 3, false));
    assertThat(first).extracting(Turn::subscriberId).containsExactly("s9", "s8", "s7");
  }
}
