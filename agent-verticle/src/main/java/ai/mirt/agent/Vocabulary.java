package ai.mirt.agent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named groups of keywords (a category, a colour) matched as whole words, so the words a shop's customers use live in
 * the catalog rather than in code. Immutable and thread-safe.
 *
 * <p>A keyword is a word or a phrase. {@code *} stands for any further letters ({@code сукн*} matches {@code сукня},
 * {@code сукні}); a space stands for any spacing. A single adjective written in the masculine nominative
 * ({@code білий}, {@code синій}, {@code белый}) matches all its Ukrainian and Russian case forms, and no other word:
 * {@code білий} matches {@code білому} and {@code біла}, never {@code біля} (near). Matching is case-insensitive.
 */
final class Vocabulary {

  /** One named group: a category id or a colour name, and the keywords that mean it. */
  record Term(String name, List<String> keywords, Pattern pattern) {
    Term {
      keywords = List.copyOf(keywords);
    }
  }

  // Endings of a hard adjective (білий: біла, білого, білому…) and a soft one (синій: синя, синього…), Ukrainian
  // and Russian. A hard stem never takes "я": "біля" is a preposition, not white.
  private static final List<String> HARD = List.of("ий", "а", "е", "і", "ого", "ому", "им", "ій", "у", "ою", "ої",
    "их", "ими", "ый", "ая", "ое", "ые", "ой", "ом", "ую", "ых", "ым", "ыми");
  private static final List<String> SOFT = List.of("ій", "я", "є", "і", "ього", "ьому", "ім", "ю", "ьою", "ьої",
    "іх", "іми", "ий", "яя", "ее", "ие", "его", "ему", "ем", "юю", "ей", "их", "им", "ими");

  private static final String VOWELS = "аеєиіїоуюяыэёьй";

  private final List<Term> terms;

  Vocabulary(List<Term> terms) {
    this.terms = List.copyOf(terms);
  }

  /** A term for {@code name}: its keywords, or, when it has none, keywords derived from the name ({@link #derive}). */
  static Term term(String name, List<String> keywords) {
    return term(name, name, keywords);
  }

  /** A term reported as {@code name} (a category id) whose keywords, when none are given, come from {@code label}. */
  static Term term(String name, String label, List<String> keywords) {
    List<String> k = keywords == null || keywords.isEmpty() ? derive(label) : keywords;
    return new Term(name, k, pattern(k));
  }

  List<Term> terms() {
    return terms;
  }

  /**
   * The names of the terms the text mentions, in the vocabulary's order. The longer words win where two terms match
   * the same place: "light blue" is light blue, not also blue; "темно-синій" is not also "синій" of another term.
   */
  List<String> in(String text) {
    String t = normalize(text);
    List<List<int[]>> spans = new ArrayList<>();
    for (Term term : terms) {
      List<int[]> mine = new ArrayList<>();
      Matcher m = term.pattern().matcher(t);
      while (m.find()) {
        mine.add(new int[] {m.start(), m.end()});
      }
      spans.add(mine);
    }
    List<String> found = new ArrayList<>();
    for (int i = 0; i < terms.size(); i++) {
      int self = i;
      if (spans.get(i).stream().anyMatch(s -> !insideLonger(s, spans, self))) {
        found.add(terms.get(i).name());
      }
    }
    return found;
  }

  private static boolean insideLonger(int[] span, List<List<int[]>> spans, int self) {
    for (int j = 0; j < spans.size(); j++) {
      for (int[] other : j == self ? List.<int[]>of() : spans.get(j)) {
        if (other[0] <= span[0] && span[1] <= other[1] && other[1] - other[0] > span[1] - span[0]) {
          return true;
        }
      }
    }
    return false;
  }

  /** The name of the term mentioned first in the text; at the same place, the one first in the vocabulary. */
  Optional<String> first(String text) {
    String t = normalize(text);
    String best = null;
    int at = Integer.MAX_VALUE;
    for (Term term : terms) {
      Matcher m = term.pattern().matcher(t);
      if (m.find() && m.start() < at) {
        at = m.start();
        best = term.name();
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Keywords from a name when the catalog gives none, so inflected forms still match: an adjective stands for its
   * case forms ({@code рожевий}); a noun loses its final vowel and takes any ending ({@code Сукні} → {@code сукн*},
   * {@code Костюми} → {@code костюм*}); in a phrase every word is cut to its stem ({@code Спортивні костюми} →
   * {@code спортивн* костюм*}). Short words (four letters or fewer) are kept whole.
   */
  static List<String> derive(String name) {
    String[] words = normalize(name).trim().split("\\s+");
    if (words.length == 1) {
      return List.of(adjectiveStem(words[0]) != null ? words[0] : noun(words[0]));
    }
    List<String> stems = new ArrayList<>();
    for (String w : words) {
      String stem = adjectiveStem(w);
      stems.add(stem != null ? stem + "*" : noun(w));
    }
    return List.of(String.join(" ", stems));
  }

  private static String noun(String word) {
    if (word.length() > 4 && VOWELS.indexOf(word.charAt(word.length() - 1)) >= 0) {
      return word.substring(0, word.length() - 1) + "*";
    }
    return word.length() > 4 ? word + "*" : word;
  }

  // The stem of a Ukrainian or Russian adjective in the masculine nominative; null for anything else.
  private static String adjectiveStem(String word) {
    if (word.length() < 5 || !word.chars().allMatch(c -> Character.isLetter(c) || c == '-' || c == '\'')) {
      return null;
    }
    String end = word.substring(word.length() - 2);
    return switch (end) {
      case "ий", "ій", "ый", "ой" -> word.substring(0, word.length() - 2);
      default -> null;
    };
  }

  /** The forms a keyword stands for: an adjective's case forms, else the keyword itself. */
  static List<String> expand(String keyword) {
    String k = normalize(keyword).trim();
    String stem = k.contains("*") || k.contains(" ") ? null : adjectiveStem(k);
    if (stem == null) {
      return List.of(k);
    }
    Set<String> forms = new LinkedHashSet<>();
    forms.add(k);
    for (String ending : k.endsWith("ій") ? SOFT : HARD) {
      forms.add(stem + ending);
    }
    return List.copyOf(forms);
  }

  /**
   * What is wrong with a keyword, or {@code null}: a blank keyword, or one with fewer than two letters before its
   * {@code *}, would match nearly every text.
   */
  static String problem(String keyword) {
    String k = normalize(keyword).trim();
    if (k.isEmpty()) {
      return "a keyword is blank";
    }
    int star = k.indexOf('*');
    if (star >= 0 && k.substring(0, star).codePoints().filter(Character::isLetterOrDigit).count() < 2) {
      return "keyword '" + k + "' needs at least two letters before the *";
    }
    return null;
  }

  /** One pattern for all the keywords, each expanded ({@link #expand}). */
  static Pattern pattern(List<String> keywords) {
    List<String> all = new ArrayList<>();
    for (String k : keywords) {
      String problem = k == null ? "a keyword is missing" : problem(k);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      all.addAll(expand(k));
    }
    return words(all.toArray(String[]::new));
  }

  /** Alternatives matched as whole words; {@code *} stands for any further letters, a space for any spacing. */
  static Pattern words(String... alternatives) {
    List<String> parts = new ArrayList<>();
    for (String a : alternatives) {
      String n = normalize(a).trim();
      parts.add(Pattern.quote(n).replace("*", "\\E\\p{L}*\\Q").replace(" ", "\\E\\s+\\Q"));
    }
    return Pattern.compile("(?<![\\p{L}\\d])(?:" + String.join("|", parts) + ")(?![\\p{L}\\d])",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  /** Lower case, one kind of apostrophe, {@code ё} as {@code е}: the form every keyword and text is compared in. */
  static String normalize(String text) {
    if (text == null) {
      return "";
    }
    return text.toLowerCase(Locale.ROOT).replace('’', '\'').replace('ʼ', '\'').replace('`', '\'')
      .replace('ё', 'е');
  }
}
