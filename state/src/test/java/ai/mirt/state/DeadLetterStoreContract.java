package ai.mirt.state;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Dead letters are kept newest first, bounded by count (3 here) and age (1 day here). */
abstract class DeadLetterStoreContract extends StoreContract {

  private DeadLetter dead(String turn) {
    return new DeadLetter("push", "7", turn, "http_400", "refused " + turn, clock.getAsLong(),
      new JsonObject().put("turn", turn));
  }

  @Test
  void deadLettersComeBackNewestFirst() throws Exception {
    await(stores.deadLetters().add(dead("t1")));
    clock.advance(1);
    await(stores.deadLetters().add(dead("t2")));
    List<DeadLetter> recent = await(stores.deadLetters().recent(10));
    assertThat(recent).extracting(DeadLetter::turnId).containsExactly("t2", "t1");
    assertThat(recent.get(1)).isEqualTo(new DeadLetter("push", "7", "t1", "http_400", "refused t1", T0,
      new JsonObject().put("turn", "t1")));
    assertThat(await(stores.deadLetters().recent(1))).extracting(DeadLetter::turnId).containsExactly("t2");
  }

  @Test
  void onlyTheNewestAreKept() throws Exception {
    for (int i = 1; i <= 5; i++) {
      await(stores.deadLetters().add(dead("t" + i)));
      clock.advance(1);
    }
    assertThat(await(stores.deadLetters().recent(10))).extracting(DeadLetter::turnId).containsExactly("t5", "t4", "t3");
  }

  @Test
  void ageCountsFromWhenTheStoreRecordedIt() throws Exception {
    // The letter says it happened long ago (a caller's skewed clock); the store keeps it for the full age.
    await(stores.deadLetters().add(new DeadLetter("push", "7", "skewed", "x", "r", T0 - 10 * 86_400_000L, null)));
    clock.advance(86_400_000L);
    await(stores.deadLetters().add(dead("next")));
    assertThat(await(stores.deadLetters().recent(10))).extracting(DeadLetter::turnId).containsExactly("next", "skewed");
    clock.advance(1);
    await(stores.deadLetters().add(dead("last")));
    assertThat(await(stores.deadLetters().recent(10))).extracting(DeadLetter::turnId).containsExactly("last", "next");
  }

  @Test
  void oldDeadLettersAreDropped() throws Exception {
    await(stores.deadLetters().add(dead("old")));
    clock.advance(86_400_000L + 1);
    await(stores.deadLetters().add(dead("new")));
    assertThat(await(stores.deadLetters().recent(10))).extracting(DeadLetter::turnId).containsExactly("new");
  }
}
