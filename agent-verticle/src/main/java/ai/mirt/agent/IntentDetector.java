package ai.mirt.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what a customer's text is about from keywords in Ukrainian, Russian and English, and reads the details
 * the offline answers need (category, height, colours). Pure and thread-safe.
 */
public final class IntentDetector {

  private static final Pattern GREETING = words("привіт*", "вітаю", "вітання", "добр* день", "добр* дня",
    "добр* ранку", "добр* ранок", "добр* вечір", "добр* вечора", "здрастуйте", "привет*", "здравству*",
    "добр* утро", "добр* вечер", "hello", "hi", "hey", "hiya", "good morning", "good afternoon", "good evening");

  private static final Pattern CATALOG = words("що у вас є", "що у вас", "що є", "що маєте", "що продаєте",
    "асортимент*", "каталог*", "які товари", "які моделі", "покажіть все", "покажіть усе", "что у вас есть", "что есть",
    "что продаете", "ассортимент*", "какие товары", "what do you have", "what do you sell", "what have you got",
    "catalog*", "products", "show me everything");

  private static final Map<String, Pattern> CATEGORIES = new LinkedHashMap<>();

  static {
    CATEGORIES.put("dresses", words("сукн*", "сукон*", "сукень", "плать*", "платт*", "dress*"));
    CATEGORIES.put("suits", words("костюм*", "комплект*", "suit", "suits"));
    CATEGORIES.put("trench-coats", words("тренч*", "плащ*", "trench*", "coat", "coats", "raincoat*"));
  }

  private static final Pattern PRICE = words("цін*", "скільки кошт*", "скільки буде", "скільки коштує",
    "вартість", "вартост*", "почому", "по чому", "цена", "цену", "цены", "цене", "сколько сто*", "стоимост*",
    "price*", "cost", "costs", "how much");

  private static final Pattern SIZE = words("зріст", "зросту", "зростом", "розмір*", "размер*", "рост", "роста",
    "росту", "ростом", "size*", "height", "tall");

  private static final Pattern COLOR_WORD = words("колір", "кольор*", "цвет", "цвета", "цвете", "цветом", "цветов",
    "color*", "colour*");

  // "відправила фото" is not about delivery, so only the forms that talk about shipping count.
  private static final Pattern DELIVERY = words("достав*", "нов* пошт*", "новою поштою", "укрпошт*",
    "відправк*", "відправля*", "відправит*", "отправк*", "отправля*", "отправит*", "пересил*", "delivery", "deliver*",
    "shipping", "ship", "nova poshta");

  private static final Pattern PAYMENT = words("оплат*", "оплач*", "сплат*", "заплат*", "карт", "карта", "карти",
    "карту", "картою", "картой", "картк*", "накладен*", "наложен*", "передоплат*", "предоплат*", "реквізит*",
    "реквизит*", "готівк*", "наличн*", "payment*", "pay", "paying", "card", "cash", "iban");

  // "я ще повернусь" (I'll come back) is no complaint: only the forms about returning goods or money count.
  private static final Pattern COMPLAINT = words("скарг*", "брак", "браком", "бракован*", "повернен*", "повернути",
    "поверніть", "повернете", "жалоб*",
    "возврат*", "вернуть", "верните", "вернуть деньги", "refund*", "broken", "damaged", "complain*", "return",
    "returns", "зламан*", "зламал*", "порван*", "порвал*", "розірван*", "розійшл*", "дірк*", "дырк*", "неякісн*",
    "некачествен*", "погана якість", "плохое качество", "не прийшл*", "не пришл*", "не пришел", "обман*",
    "шахра*", "мошен*", "жахлив*", "ужасн*", "terrible", "scam", "faulty", "defective");

  private static final Pattern THANKS = words("дякую", "дякуємо", "дяка", "спасибі", "спасибо", "благодарю",
    "вдячн*", "thanks", "thank you", "thx");

  private static final Pattern HEIGHT_CM = Pattern.compile("(?<!\\d)(\\d{2,3})\\s*(?:см|cm|сантиметр\\p{L}*)",
    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private static final Pattern NUMBER = Pattern.compile("(?<!\\d)(\\d{2,3})(?!\\d)");

  private static final Pattern ONLY_NUMBER = Pattern.compile("^\\s*\\d{2,3}\\s*(?:см|cm)?\\s*[.!?]*\\s*$",
    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  // Adjective endings of Ukrainian and Russian colour words, so "рожевому" and "розовое" both match; "біл" takes only
  // hard endings, or "біля" (near) would read as white.
  private static final String HARD = "(?:ий|ій|ый|ой|а|е|і|ы|у|ого|ому|ом|им|ими|их|ых|ым|ая|ое|ую|ые|ою|ої|ее|ие)";
  private static final String SOFT = "(?:ій|ий|я|є|ю|і|ього|ьому|ьої|ім|им|іх|их|ими|яя|ее|юю|ие|его|ему|ей)";

  private static final Map<String, Pattern> COLORS = new LinkedHashMap<>();

  static {
    COLORS.put("білий", colour("біл|бел", HARD, "white"));
    COLORS.put("рожевий", colour("рожев|розов", HARD, "pink"));
    COLORS.put("блакитний", colour("блакитн|голуб", HARD, "light blue|sky blue"));
    COLORS.put("жовтий", colour("жовт|желт", HARD, "yellow"));
    COLORS.put("бузковий", colour("бузков|сиренев|лілов|лилов", HARD, "lilac|purple|violet"));
    COLORS.put("червоний", colour("червон|красн", HARD, "red"));
    COLORS.put("синій", colour("син|темно-син", SOFT, "blue|navy"));
    COLORS.put("сірий", colour("сір|сер", HARD, "grey|gray"));
    COLORS.put("чорний", colour("чорн|черн", HARD, "black"));
    COLORS.put("зелений", colour("зелен|зелён", HARD, "green"));
    COLORS.put("бежевий", colour("бежев", HARD, "beige"));
    COLORS.put("оливковий", colour("оливков", HARD, "olive"));
  }

  private final Catalog catalog;

  public IntentDetector(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * The intent of the text. The more specific intent wins when several match: "привіт, які є сукні?" is a category
   * question, and a complaint that names a product is still a complaint.
   */
  public Intent detect(String text) {
    String t = normalize(text);
    if (t.isBlank()) {
      return Intent.OTHER;
    }
    if (COMPLAINT.matcher(t).find()) {
      return Intent.COMPLAINT;
    }
    if (DELIVERY.matcher(t).find()) {
      return Intent.DELIVERY;
    }
    if (PAYMENT.matcher(t).find()) {
      return Intent.PAYMENT;
    }
    if (SIZE.matcher(t).find() || HEIGHT_CM.matcher(t).find() || ONLY_NUMBER.matcher(t).matches()) {
      return Intent.SIZE;
    }
    if (COLOR_WORD.matcher(t).find() || !colors(t).isEmpty()) {
      return Intent.COLOR;
    }
    if (PRICE.matcher(t).find()) {
      return Intent.PRICE;
    }
    if (catalog.mentionedIn(t).isPresent()) {
      return Intent.PRODUCT;
    }
    if (category(t).isPresent()) {
      return Intent.CATEGORY;
    }
    if (CATALOG.matcher(t).find()) {
      return Intent.CATALOG;
    }
    if (THANKS.matcher(t).find()) {
      return Intent.THANKS;
    }
    if (GREETING.matcher(t).find()) {
      return Intent.GREETING;
    }
    return Intent.OTHER;
  }

  /** Whether the text greets, whatever else it asks. */
  public static boolean greets(String text) {
    return GREETING.matcher(normalize(text)).find();
  }

  /** The id of the first catalog category the text names ({@code dresses}, {@code suits}, {@code trench-coats}). */
  public Optional<String> category(String text) {
    String t = normalize(text);
    for (Map.Entry<String, Pattern> e : CATEGORIES.entrySet()) {
      if (e.getValue().matcher(t).find() && catalog.category(e.getKey()).isPresent()) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  /** A child's height in cm: "116 см", or a number next to a size word ("зріст 110"), or a number alone. */
  public static OptionalInt height(String text) {
    String t = normalize(text);
    Matcher cm = HEIGHT_CM.matcher(t);
    if (cm.find()) {
      return plausible(Integer.parseInt(cm.group(1)));
    }
    if (SIZE.matcher(t).find() || ONLY_NUMBER.matcher(t).matches()) {
      Matcher n = NUMBER.matcher(t);
      while (n.find()) {
        OptionalInt h = plausible(Integer.parseInt(n.group(1)));
        if (h.isPresent()) {
          return h;
        }
      }
    }
    return OptionalInt.empty();
  }

  /** The catalog's Ukrainian colour names the text mentions, in the catalog's colour order. */
  public static List<String> colors(String text) {
    String t = normalize(text);
    List<String> found = new ArrayList<>();
    COLORS.forEach((name, p) -> {
      if (p.matcher(t).find()) {
        found.add(name);
      }
    });
    return found;
  }

  private static OptionalInt plausible(int cm) {
    return cm >= 50 && cm <= 190 ? OptionalInt.of(cm) : OptionalInt.empty();
  }

  static String normalize(String text) {
    if (text == null) {
      return "";
    }
    return text.toLowerCase(Locale.ROOT).replace('’', '\'').replace('ʼ', '\'').replace('`', '\'');
  }

  /** Alternatives matched as whole words; {@code *} stands for any further letters, a space for any spacing. */
  static Pattern words(String... alternatives) {
    List<String> parts = new ArrayList<>();
    for (String a : alternatives) {
      parts.add(Pattern.quote(a).replace("*", "\\E\\p{L}*\\Q").replace(" ", "\\E\\s+\\Q"));
    }
    return Pattern.compile("(?<![\\p{L}\\d])(?:" + String.join("|", parts) + ")(?![\\p{L}\\d])",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  private static Pattern colour(String stems, String endings, String english) {
    return Pattern.compile("(?<![\\p{L}\\d-])(?:(?:" + stems + ")" + endings + "|" + english + ")(?![\\p{L}\\d])",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }
}
