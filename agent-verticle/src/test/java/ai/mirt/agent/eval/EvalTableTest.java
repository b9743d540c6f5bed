package ai.mirt.agent.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EvalTableTest {

  static final List<EvalResult> RESULTS = List.of(
    new EvalResult("01-greeting.yaml", "Привітання", 1, 1, List.of()),
    new EvalResult("02-order.yml", "Оформлення замовлення", 2, 3,
      List.of("turn 3 (\"беру\"): state expected STATE_5_PAYMENT_DELIVERY, got STATE_4_OFFER")),
    new EvalResult("10-restart.json", "Перезапуск", 3, 3, List.of()));

  @Test
  void oneAlignedRowPerConversationWithTheDifferencesUnderAFailingOne() {
    assertThat(EvalTable.lines(RESULTS, false)).containsExactly(
      "file              conversation           turns  result",
      "01-greeting.yaml  Привітання             1/1    PASS",
      "02-order.yml      Оформлення замовлення  2/3    FAIL",
      "    turn 3 (\"беру\"): state expected STATE_5_PAYMENT_DELIVERY, got STATE_4_OFFER",
      "10-restart.json   Перезапуск             3/3    PASS",
      "2 of 3 conversations passed");
  }

  @Test
  void plainTextUnlessColoursAreAskedFor() {
    assertThat(EvalTable.render(RESULTS, false)).doesNotContain("\u001B[")
      .endsWith("2 of 3 conversations passed\n");
    assertThat(EvalTable.lines(RESULTS, true)).element(1).isEqualTo(
      "01-greeting.yaml  Привітання             1/1    \u001B[32mPASS\u001B[0m");
    assertThat(EvalTable.lines(RESULTS, true)).element(2).asString().endsWith("\u001B[31mFAIL\u001B[0m");
  }

  @Test
  void oneConversationIsCountedInTheSingular() {
    assertThat(EvalTable.lines(RESULTS.subList(1, 2), false)).last().isEqualTo("0 of 1 conversation passed");
  }
}
