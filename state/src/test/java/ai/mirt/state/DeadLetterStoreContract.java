package ai.mirt.state;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

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
    assertThat(recent.get(1)).isEqualTo(new DeadLetter(recent.get(1).id(), "push", "7", "t1", "http_400",
      "refused t1", T0, new JsonObject().put("turn", "t1")));
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
    String old = await(stores.deadLetters().recent(1)).get(0).id();
    clock.advance(86_400_000L + 1);
    await(stores.deadLetters().add(dead("new")));
    assertThat(await(stores.deadLetters().recent(10))).extracting(DeadLetter::turnId).containsExactly("new");
    assertThat(await(stores.deadLetters().get(old))).as("dropped everywhere").isEmpty();
    assertThat(await(stores.deadLetters().remove(old))).isFalse();
  }

  @Test
  void everyDeadLetterGetsItsOwnLastingId() throws Exception {
    await(stores.deadLetters().add(dead("t1")));
    await(stores.deadLetters().add(dead("t1")));
    clock.advance(1);
    await(stores.deadLetters().add(dead("t2").withId("chosen-by-caller")));
    List<DeadLetter> recent = await(stores.deadLetters().recent(10));
    List<String> ids = recent.stream().map(DeadLetter::id).toList();
    assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("[1-9][0-9]*"), "a plain decimal number");
    assertThat(await(stores.deadLetters().recent(10))).as("the same ids every time").isEqualTo(recent);
    for (DeadLetter d : recent) {
      assertThat(await(stores.deadLetters().get(d.id()))).contains(d);
    }
    assertThat(await(stores.deadLetters().get("chosen-by-caller"))).isEmpty();
    assertThat(recent.get(0).withId(null)).isEqualTo(dead("t2"));

    clock.advance(1);
    await(stores.deadLetters().add(dead("t3")));
    List<DeadLetter> after = await(stores.deadLetters().recent(10));
    assertThat(after).extracting(DeadLetter::turnId).containsExactly("t3", "t2", "t1");
    assertThat(after.subList(1, 3)).as("a letter keeps its id while it is kept").isEqualTo(recent.subList(0, 2));
    assertThat(after.get(0).id()).isNotIn(ids);
    assertThat(await(stores.deadLetters().get(ids.get(2)))).as("trimmed by count: gone everywhere").isEmpty();
  }

  @Test
  void aRemovedDeadLetterIsGoneAndOnlyIt() throws Exception {
    for (int i = 1; i <= 3; i++) {
      await(stores.deadLetters().add(dead("t" + i)));
      clock.advance(1);
    }
    List<DeadLetter> recent = await(stores.deadLetters().recent(10));
    String middle = recent.get(1).id();
    assertThat(await(stores.deadLetters().remove(middle))).isTrue();
    assertThat(await(stores.deadLetters().get(middle))).isEqualTo(Optional.empty());
    assertThat(await(stores.deadLetters().recent(10))).containsExactly(recent.get(0), recent.get(2));
    assertThat(await(stores.deadLetters().remove(middle))).as("already removed").isFalse();
    assertThat(await(stores.deadLetters().remove("no-such-id"))).isFalse();
    assertThat(await(stores.deadLetters().get("no-such-id"))).isEmpty();

    await(stores.deadLetters().add(dead("t4")));
    await(stores.deadLetters().add(dead("t5")));
    assertThat(await(stores.deadLetters().recent(10))).as("a removed letter frees its place")
      .extracting(DeadLetter::turnId).containsExactly("t5", "t4", "t3");
  }

  @Test
  void lettersOfOneMillisecondKeepTheirOrder() throws Exception {
    // Ids of one and of two digits at one time: their text order ("10" before "8") is not their order.
    for (int i = 1; i <= 10; i++) {
      await(stores.deadLetters().add(dead("t" + i)));
    }
    assertThat(await(stores.deadLetters().recent(10))).extracting(DeadLetter::turnId)
      .containsExactly("t10", "t9", "t8");
    assertThat(await(stores.deadLetters().recent(2))).extracting(DeadLetter::turnId).containsExactly("t10", "t9");
    assertThat(await(stores.deadLetters().recent(1))).extracting(DeadLetter::turnId).containsExactly("t10");
    await(stores.deadLetters().add(dead("t11")));
    assertThat(await(stores.deadLetters().recent(10))).extracting(DeadLetter::turnId)
      .containsExactly("t11", "t10", "t9");
    clock.advance(1);
    await(stores.deadLetters().add(dead("t12")));
    assertThat(await(stores.deadLetters().recent(2))).extracting(DeadLetter::turnId).containsExactly("t12", "t11");
    assertThat(await(stores.deadLetters().recent(10))).extracting(DeadLetter::turnId)
      .containsExactly("t12", "t11", "t10");
  }
}
