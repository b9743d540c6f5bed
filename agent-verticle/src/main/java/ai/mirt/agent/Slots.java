package ai.mirt.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Reads the small facts the offline assistant acts on from a customer's words in Ukrainian, Russian or English: a
 * yes or a no, a child's height, colours and categories of the catalog, and a greeting, thanks or a question about
 * delivery or payment. The delivery details are read by {@link ClientReader}. Pure and thread-safe.
 */
final class Slots {

  private static final Pattern GREETING = words("привіт*", "вітаю", "добр* день", "добр* дня", "добр* ранку",
    "добр* вечір", "добр* вечора", "здрастуйте", "привет*", "здравству*", "добр* утро", "добр* вечер", "hello", "hi",
    "hey", "good morning", "good afternoon", "good evening");

  private static final Pattern THANKS = words("дякую", "дякуємо", "спасибі", "спасибо", "благодарю", "thanks",
    "thank you", "thx");

  private static final Pattern YES = words("так", "да", "yes", "yep", "yeah", "sure", "ok", "okay", "ок", "окей",
    "беру", "берем*", "візьму", "візьмем*", "возьму", "возьмем", "оформлю*", "оформля*", "оформи*", "згод*",
    "звісно", "звичайно", "конечно", "давайте", "добре", "хочу", "вірно", "правильно", "correct", "додати",
    "додайте", "додай", "i'll take it", "take it");

  private static final Pattern NO = words("ні", "нет", "no", "nope", "не треба", "не потрібно", "не надо", "не хочу",
    "не вірно", "невірно", "неправильно", "не правильно", "не так", "не варто", "no thanks");

  /** Wanting to correct the delivery details shown for confirmation ("Змінити дані"). */
  private static final Pattern CHANGE = words("змінити", "змініть", "зміни", "поміняти", "поміняйте", "виправити",
    "виправте", "изменить", "измените", "поменять", "поменяйте", "исправить", "исправьте", "change", "edit", "fix");

  private static final Pattern DELIVERY = words("достав*", "нов* пошт*", "новою поштою", "відправ*", "отправ*",
    "посилк*", "посылк*", "пересил*", "delivery", "deliver*", "shipping", "ship", "nova poshta");

  private static final Pattern PAYMENT = words("оплат*", "оплач*", "заплат*", "передоплат*", "предоплат*",
    "реквізит*", "реквизит*", "накладен*", "наложен*", "payment*", "pay", "prepay*");

  private static final Pattern SIZE_WORD = words("зріст", "зросту", "зростом", "розмір*", "размер*", "рост", "роста",
    "ростом", "size*", "height", "tall");


  private static final Map<String, Pattern> CATEGORY_WORDS = new LinkedHashMap<>();

  static {
    CATEGORY_WORDS.put("dresses", words("сукн*", "сукон*", "сукень", "плать*", "платт*", "dress*"));
    CATEGORY_WORDS.put("suits", words("костюм*", "комплект*", "suit", "suits"));
    CATEGORY_WORDS.put("trench-coats", words("тренч*", "плащ*", "trench*", "coat", "coats", "raincoat*"));
  }

  // Russian and English names of the catalog's Ukrainian colours; a colour missing here is still found by its own
  // Ukrainian stem.
  private static final Map<String, String> COLOR_ALIASES = Map.ofEntries(
    Map.entry("білий", "бел|white"), Map.entry("рожевий", "розов|pink"),
    Map.entry("блакитний", "голуб|light blue|sky blue"), Map.entry("жовтий", "желт|yellow"),
    Map.entry("бузковий", "сиренев|лилов|lilac|purple"), Map.entry("червоний", "красн|red"),
    Map.entry("синій", "син|(?<!light |sky )blue|navy"), Map.entry("сірий", "сер|grey|gray"),
    Map.entry("чорний", "черн|black"), Map.entry("зелений", "зелен|green"), Map.entry("бежевий", "бежев|beige"),
    Map.entry("оливковий", "оливков|olive"));

  // Adjective endings: Ukrainian hard and soft stems, and Russian; "біля" (near) and "сина" (son's) stay no colour.
  private static final String HARD = "(?:ий|а|е|у|і|ого|ому|ої|ою|им|их|ими|ім)";
  private static final String SOFT = "(?:ій|я|є|ю|і|ього|ьому|ьої|ьою|ім|іх|іми)";
  private static final String RUSSIAN = "(?:ый|ий|ой|ая|яя|ое|ее|ую|юю|ые|ие|ого|его|ому|ему|ым|им|ых|их)";

  private Slots() {
  }

  static boolean greets(String text) {
    return GREETING.matcher(normalize(text)).find();
  }

  static boolean thanks(String text) {
    return THANKS.matcher(normalize(text)).find();
  }

  /** A yes ("так", "беру", "все вірно") that no "ні" or "не треба" takes back. */
  static boolean affirms(String text) {
    String t = normalize(text);
    return YES.matcher(t).find() && !NO.matcher(t).find();
  }

  static boolean declines(String text) {
    return NO.matcher(normalize(text)).find();
  }

  /** Whether the customer wants to change something ("Змінити дані", "виправте місто"). */
  static boolean wantsChange(String text) {
    return CHANGE.matcher(normalize(text)).find();
  }

  static boolean asksDelivery(String text) {
    return DELIVERY.matcher(normalize(text)).find();
  }

  static boolean asksPayment(String text) {
    return PAYMENT.matcher(normalize(text)).find();
  }

  /** Whether the customer talks about size or height ("інший розмір", "який зріст?"), with or without a number. */
  static boolean mentionsSize(String text) {
    return SIZE_WORD.matcher(normalize(text)).find();
  }

  /** A child's height in cm: "116 см", a number next to a size word ("зріст 110"), or a number alone. */
  static OptionalInt height(String text) {
    return IntentDetector.height(text);
  }


  /** The catalog's colours the text names, in the order the catalog first lists them. */
  static List<String> colors(String text, Catalog catalog) {
    String t = normalize(text);
    List<String> found = new ArrayList<>();
    catalog.products().stream().flatMap(p -> p.colors().stream()).distinct().forEach(color -> {
      if (colorPattern(color).matcher(t).find()) {
        found.add(color);
      }
    });
    return found;
  }

  /** The id of the first catalog category the text names: by known words, else by the shop's own category name. */
  static Optional<String> category(String text, Catalog catalog) {
    String t = normalize(text);
    for (Catalog.Category c : catalog.categories()) {
      Pattern known = CATEGORY_WORDS.get(c.id());
      if ((known != null ? known : stem(c.name())).matcher(t).find()) {
        return Optional.of(c.id());
      }
    }
    return Optional.empty();
  }

  /** Lower case with one apostrophe, letter by letter: positions in the result are positions in the text. */
  static String normalize(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (char ch : text.toCharArray()) {
      out.append(ch == '’' || ch == 'ʼ' ? '\'' : Character.toLowerCase(ch));
    }
    return out.toString();
  }

  /** Alternatives matched as whole words; {@code *} stands for any further letters, a space for any spacing. */
  static Pattern words(String... alternatives) {
    List<String> parts = new ArrayList<>();
    for (String a : alternatives) {
      parts.add(Pattern.quote(a).replace("*", "\\E\\p{L}*\\Q").replace(" ", "\\E\\s+\\Q"));
    }
    return Pattern.compile("(?<![\\p{L}\\d'])(?:" + String.join("|", parts) + ")(?![\\p{L}\\d])",
      Pattern.UNICODE_CASE);
  }

  private static Pattern colorPattern(String color) {
    String c = normalize(color);
    boolean soft = c.endsWith("ій");
    String own = c.length() > 3 && (soft || c.endsWith("ий")) ? Pattern.quote(c.substring(0, c.length() - 2))
      + (soft ? SOFT : HARD) : Pattern.quote(c);
    List<String> alternatives = new ArrayList<>(List.of(own));
    String aliases = COLOR_ALIASES.get(c);
    if (aliases != null) {
      for (String a : aliases.split("\\|")) {
        alternatives.add(a.matches("[а-яё]+") ? a + RUSSIAN : a);
      }
    }
    return Pattern.compile("(?<![\\p{L}\\d-])(?:" + String.join("|", alternatives) + ")(?![\\p{L}\\d])",
      Pattern.UNICODE_CASE);
  }

  // "Сукні" also matches "сукню" and "сукня": the name without its ending, and any ending.
  private static Pattern stem(String name) {
    String n = normalize(name).trim();
    String s = n.length() > 4 ? n.substring(0, n.length() - 2) : n;
    return Pattern.compile("(?<![\\p{L}\\d])" + Pattern.quote(s) + "\\p{L}{0,4}(?![\\p{L}\\d])", Pattern.UNICODE_CASE);
  }


}
