package ai.mirt.push;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextSplitterTest {

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static List<String> words(String s) {
    return Arrays.asList(s.strip().split("\\s+"));
  }

  private static void assertWellFormed(List<String> parts) {
    assertThat(parts).isNotEmpty().allSatisfy(p -> {
      assertThat(bytes(p)).isLessThanOrEqualTo(TextSplitter.MAX_BYTES);
      assertThat(p).isEqualTo(p.strip()).isNotEmpty();
      assertThat(Character.isLowSurrogate(p.charAt(0))).as("part starts inside a surrogate pair").isFalse();
      assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).as("part ends inside a surrogate pair").isFalse();
    });
  }

  @Test
  void shortTextStaysOnePartTrimmed() {
    assertThat(TextSplitter.split("  Вітаю! Чим допомогти?\n")).containsExactly("Вітаю! Чим допомогти?");
  }

  @Test
  void blankOrMissingTextGivesNoParts() {
    assertThat(TextSplitter.split("   \n ")).isEmpty();
    assertThat(TextSplitter.split(null)).isEmpty();
  }

  @Test
  void cyrillicCountsTwoBytesPerLetter() {
    String text = "ж".repeat(600);

    List<String> parts = TextSplitter.split(text);

    assertThat(text.length()).isLessThan(TextSplitter.MAX_BYTES);
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0)).hasSize(500);
    assertThat(parts.get(1)).hasSize(100);
    assertThat(String.join("", parts)).isEqualTo(text);
    assertThat(TextSplitter.utf8Length(text)).isEqualTo(bytes(text));
  }

  @Test
  void emojiCountFourBytesAndSurrogatePairsStayWhole() {
    String text = "a" + "😀".repeat(300);

    List<String> parts = TextSplitter.split(text);

    assertWellFormed(parts);
    assertThat(bytes(parts.get(0))).isEqualTo(1 + 249 * 4);
    assertThat(String.join("", parts)).isEqualTo(text);
    assertThat(TextSplitter.utf8Length("😀")).isEqualTo(4);
  }

  @Test
  void longTextIsCutAtSentenceEnds() {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; sb.length() < 1500; i++) {
      sb.append("Речення номер ").append(i).append(" про сукню й доставку").append(i % 3 == 0 ? "! " : ". ");
    }
    String text = sb.toString();

    List<String> parts = TextSplitter.split(text);

    assertWellFormed(parts);
    assertThat(parts).hasSizeGreaterThan(1);
    assertThat(parts.subList(0, parts.size() - 1)).allSatisfy(p -> assertThat(p).matches("(?s)Речення.*[.!]"));
    assertThat(words(String.join(" ", parts))).isEqualTo(words(text));
  }

  @Test
  void sentenceEndBeforeClosingQuoteCountsAsSentenceEnd() {
    String text = "Ми радимо «Сукня Мирт.» " + "слово ".repeat(200);

    List<String> parts = TextSplitter.split(text);

    assertThat(parts.get(0)).isEqualTo("Ми радимо «Сукня Мирт.»");
    assertWellFormed(parts);
  }

  @Test
  void lineBreakIsASentenceBoundary() {
    String line = "рядок без крапки " + "так ".repeat(30);
    String text = (line.strip() + "\n").repeat(6);

    List<String> parts = TextSplitter.split(text);

    assertWellFormed(parts);
    assertThat(parts).allSatisfy(p -> assertThat(p).endsWith("так"));
    assertThat(words(String.join(" ", parts))).isEqualTo(words(text));
  }

  @Test
  void withoutSentenceEndsTextIsCutBetweenWords() {
    String text = "слово ".repeat(150) + "кінець";

    List<String> parts = TextSplitter.split(text);

    assertWellFormed(parts);
    assertThat(parts).hasSize(2);
    assertThat(parts).allSatisfy(p -> assertThat(words(p)).allSatisfy(w -> assertThat(w).isIn("слово", "кінець")));
    assertThat(words(String.join(" ", parts))).isEqualTo(words(text));
  }

  @Test
  void singleOverlongWordIsCutHard() {
    String text = "x".repeat(1500);

    List<String> parts = TextSplitter.split(text);

    assertThat(parts).extracting(String::length).containsExactly(1000, 500);
    assertThat(String.join("", parts)).isEqualTo(text);
  }

  @Test
  void mixedScriptsNeverExceedTheLimitAndLoseNothing() {
    String text = ("Привіт 👋 this is mixed текст, ціна 1200 грн… Замовити? " + "😀ї".repeat(7) + " ").repeat(40);

    List<String> parts = TextSplitter.split(text);

    assertWellFormed(parts);
    assertThat(words(String.join(" ", parts))).isEqualTo(words(text));
  }

  @Test
  void customLimitIsHonoured() {
    List<String> parts = TextSplitter.split("один два три чотири", 14);

    assertThat(parts).containsExactly("один", "два три", "чотири");
  }
}
