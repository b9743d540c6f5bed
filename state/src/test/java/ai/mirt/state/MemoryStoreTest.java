package ai.mirt.state;

import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import ai.mirt.common.Turn;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What only the memory store has: it keeps nothing for subscribers who are done or silent. */
class MemoryStoreTest {

  private static final long T0 = 1_700_000_000_000L;

  private final ManualClock clock = new ManualClock(T0);

  private MemoryStore store(JsonObject settings) {
    return new MemoryStore(MirtConfig.fromJson(settings.put("debounce.max-attempts", 1)), clock);
  }

  @Test
  void anIdleSubscriberKeepsNoSlot() {
    MemoryStore store = store(new JsonObject());
    now(store.append(msg("7", "Привіт", null)));
    Turn t = now(store.claimDue(10, "node-a", true)).get(0);
    now(store.handoff(t, reply(t), "{}"));
    now(store.append(msg("7", "ще", null)));
    assertThat(now(store.finish(now(store.claim("7", "node-a")).orElseThrow(), null))).isTrue();
    assertThat(store.slotCount()).as("its buffer is still there").isEqualTo(1);

    Turn failed = now(store.claimDue(10, "node-a", true)).get(0);
    assertThat(now(store.fail(failed, "model down"))).isEqualTo(TurnStore.FailOutcome.DEAD_LETTERED);
    assertThat(store.slotCount()).as("the needs_human notice holds it").isEqualTo(1);
    assertThat(now(store.finish(now(store.claim("7", "node-a")).orElseThrow(), null))).isTrue();
    assertThat(store.slotCount()).isZero();
  }

  @Test
  void silentSubscribersAreForgottenAfterTwoDays() {
    MemoryStore store = store(new JsonObject());
    now(store.append(msg("7", "a", null)));
    clock.advance(1);
    now(store.append(msg("8", "b", null)));
    clock.advance(TurnRules.LAST_INBOUND_TTL_MS - 1);
    now(store.append(msg("9", "c", null)));
    assertThat(store.lastInboundCount()).as("7 wrote two days ago").isEqualTo(2);
    clock.advance(1);
    now(store.append(msg("9", "d", null)));
    assertThat(store.lastInboundCount()).isEqualTo(1);
  }

  @Test
  void dedupeRemembersAtMostItsMaximumOfIds() {
    MemoryStore store = store(new JsonObject().put("debounce.dedupe-max-entries", 2));
    now(store.append(msg("7", "a", "m1")));
    now(store.append(msg("7", "b", "m2")));
    assertThat(now(store.append(msg("7", "a", "m1")))).isEqualTo(TurnStore.AppendResult.DUPLICATE);
    now(store.append(msg("7", "c", "m3")));
    assertThat(now(store.append(msg("7", "b", "m2")))).isEqualTo(TurnStore.AppendResult.DUPLICATE);
    assertThat(now(store.append(msg("7", "a", "m1")))).as("the oldest id made room").isEqualTo(
      TurnStore.AppendResult.STORED);
  }

  /** A memory store answers at once. */
  private static <T> T now(Future<T> f) {
    assertThat(f.succeeded()).isTrue();
    return f.result();
  }

  private static InboundMessage msg(String sub, String text, String id) {
    return new InboundMessage(sub, Channel.INSTAGRAM, text, List.of(), id, Contact.EMPTY, 0, "tr-" + text);
  }

  private static Reply reply(Turn t) {
    return new Reply(t.subscriberId(), t.turnId(), t.channel(), List.of(OutMessage.text("r")), List.of(), "S", "i",
      Map.of(), List.of(), List.of(), t.traceId());
  }
}
