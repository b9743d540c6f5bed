package ai.mirt.agent;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static ai.mirt.agent.IntentWords.ADD;
import static ai.mirt.agent.IntentWords.AFFIRM;
import static ai.mirt.agent.IntentWords.AGE;
import static ai.mirt.agent.IntentWords.CATALOG;
import static ai.mirt.agent.IntentWords.CITY;
import static ai.mirt.agent.IntentWords.COLOR_WORD;
import static ai.mirt.agent.IntentWords.COMPLAINT;
import static ai.mirt.agent.IntentWords.DECLINE;
import static ai.mirt.agent.IntentWords.DELIVERY;
import static ai.mirt.agent.IntentWords.GREETING;
import static ai.mirt.agent.IntentWords.HESITATE;
import static ai.mirt.agent.IntentWords.NEGATION;
import static ai.mirt.agent.IntentWords.ORDER;
import static ai.mirt.agent.IntentWords.OTHER;
import static ai.mirt.agent.IntentWords.OUT_OF_DOMAIN;
import static ai.mirt.agent.IntentWords.PAYMENT;
import static ai.mirt.agent.IntentWords.PHOTO;
import static ai.mirt.agent.IntentWords.PRICE;
import static ai.mirt.agent.IntentWords.QUESTION;
import static ai.mirt.agent.IntentWords.SEND;
import static ai.mirt.agent.IntentWords.SHOP;
import static ai.mirt.agent.IntentWords.SIZE;
import static ai.mirt.agent.IntentWords.SMALLTALK;
import static ai.mirt.agent.IntentWords.THANKS;
import static ai.mirt.agent.IntentWords.WANT;

/**
 * Finds what a customer's text is about, from whole words in Ukrainian, Russian and English ({@link IntentWords}),
 * the catalog's own words for what it sells, the photos and the stage of the sale: "так" after an offer is an order,
 * the same word elsewhere small talk. Also reads the details the answers need: the child's height, a phone number, a
 * Nova Poshta branch. Pure and thread-safe.
 */
public final class IntentDetector {

  private static final Pattern HEIGHT_CM = Pattern.compile("(?<!\\d)(\\d{2,3})\\s*(?:см|cm|сантиметр\\p{L}*)",
    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private static final Pattern NUMBER = Pattern.compile("(?<!\\d)(\\d{2,3})(?!\\d)");

  private static final Pattern ONLY_NUMBER = Pattern.compile("^\\s*(?:на\\s+)?\\d{2,3}\\s*(?:см|cm)?\\s*[.!?)]*\\s*$",
    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  // Digits with the spacing people put in phone numbers: "+38 (067) 123-45-67".
  private static final Pattern PHONE_RUN = Pattern.compile("\\+?\\d[\\d\\s()\\-]*\\d");

  /**
   * The first two digits of a Ukrainian number after the 0: mobile operators (39, 50, 63, 66, 67, 68, 73, 89, 91–99)
   * and the landline area codes (31–38, 41–48, 51–57, 61–69).
   */
  private static final Pattern BRANCH = Pattern.compile("(?<![\\p{L}\\d])(?:відділенн\\p{L}*|відд\\.|отделени\\p{L}*|"
    + "отд\\.|branch|поштомат\\p{L}*|почтомат\\p{L}*|нп|np|нова пошта|новая почта|nova poshta|№|#)"
    + "\\s*(?:№|#|no\\.?|n)?\\s*(\\d{1,5})(?!\\d)", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private static final Pattern BRANCH_AFTER = Pattern.compile("(?<![\\p{L}\\d])(\\d{1,5})\\s*(?:-?(?:е|ге|те|ое))?"
    + "\\s*(?:відділенн|отделени|поштомат|почтомат)", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  /**
   * The intent of the turn. The more specific intent wins when several match: "привіт, які є сукні?" is a question,
   * and a complaint with a photo is still a complaint.
   */
  public Intent detect(String text, boolean hasImages, Stage stage, Catalog catalog) {
    String t = normalize(text);
    if (COMPLAINT.matcher(t).find()) {
      return Intent.COMPLAINT;
    }
    if (hasImages) {
      return Intent.PHOTO_IDENT;
    }
    if (t.isBlank()) {
      return Intent.UNKNOWN_OR_EMPTY;
    }
    if (OUT_OF_DOMAIN.matcher(t).find() && !aboutShop(t, catalog)) {
      return Intent.OUT_OF_DOMAIN;
    }
    Optional<Intent> staged = byStage(t, stage, catalog);
    if (staged.isPresent()) {
      return staged.get();
    }
    if (DELIVERY.matcher(t).find() || PAYMENT.matcher(t).find()
      || SEND.matcher(t).find() && !PHOTO.matcher(t).find()) {
      return Intent.PAYMENT_DELIVERY;
    }
    if (asksSize(t)) {
      return Intent.SIZE_HELP;
    }
    if (asksColour(t, catalog)) {
      return Intent.COLOR_HELP;
    }
    if (PRICE.matcher(t).find() || CATALOG.matcher(t).find() || PHOTO.matcher(t).find()
      || !catalog.productsIn(t).isEmpty() || catalog.categoryIn(t).isPresent()) {
      return Intent.DISCOVERY_OR_QUESTION;
    }
    // After a complaint, a text about nothing the shop sells ("коли мені відповідять?", "добре, чекаю") still belongs
    // to the complaint, so the manager keeps it; delivery details go on with an order under way, a "ні" refuses.
    if (stage == Stage.STATE_8_COMPLAINT && !declines(t) && phone(t).isEmpty() && branch(t).isEmpty()
      && !CITY.matcher(t).find()) {
      return Intent.COMPLAINT;
    }
    if (THANKS.matcher(t).find() || SMALLTALK.matcher(t).find() || emojiOnly(t)) {
      return Intent.THANKYOU_SMALLTALK;
    }
    if (t.indexOf('?') >= 0 || QUESTION.matcher(t).find()) {
      return Intent.DISCOVERY_OR_QUESTION;
    }
    if (GREETING.matcher(t).find()) {
      return Intent.GREETING_ONLY;
    }
    if (declines(t)) {
      return Intent.THANKYOU_SMALLTALK;
    }
    // In the payment stage a text nothing else explains is a detail of the delivery: the customer's name, say.
    return stage == Stage.STATE_5_PAYMENT_DELIVERY ? Intent.PAYMENT_DELIVERY : Intent.UNKNOWN_OR_EMPTY;
  }

  /** What the stage of the sale makes of the text: an order, a delivery detail, taking or refusing the upsell. */
  private static Optional<Intent> byStage(String t, Stage stage, Catalog catalog) {
    if (ORDER.matcher(t).find() && !declines(t)) {
      return Optional.of(Intent.PAYMENT_DELIVERY);
    }
    if (stage == Stage.STATE_4_OFFER && !asksSize(t) && !asksColour(t, catalog) && !OTHER.matcher(t).find()
      && (affirms(t) || WANT.matcher(t).find() || !catalog.productsIn(t).isEmpty())) {
      return Optional.of(Intent.PAYMENT_DELIVERY);
    }
    if (stage == Stage.STATE_5_PAYMENT_DELIVERY
      && (phone(t).isPresent() || branch(t).isPresent() || CITY.matcher(t).find() || affirms(t))) {
      return Optional.of(Intent.PAYMENT_DELIVERY);
    }
    if (stage == Stage.STATE_6_UPSELL) {
      if (declines(t)) {
        return Optional.of(Intent.THANKYOU_SMALLTALK);
      }
      if (affirms(t) || ADD.matcher(t).find()) {
        return Optional.of(Intent.PAYMENT_DELIVERY);
      }
    }
    return Optional.empty();
  }

  private static boolean asksSize(String t) {
    return SIZE.matcher(t).find() || HEIGHT_CM.matcher(t).find() || ONLY_NUMBER.matcher(t).matches()
      || AGE.matcher(t).find();
  }

  private static boolean asksColour(String t, Catalog catalog) {
    return COLOR_WORD.matcher(t).find() || !catalog.colorsIn(t).isEmpty() || !ColourWords.GENERAL.in(t).isEmpty();
  }

  // Whether a far-away word ("погода") sits in a text about the shop ("тренч на дощову погоду").
  private static boolean aboutShop(String t, Catalog catalog) {
    for (Pattern p : List.of(SHOP, SIZE, COLOR_WORD, PRICE, DELIVERY, PAYMENT, ORDER, CATALOG, PHOTO, HEIGHT_CM)) {
      if (p.matcher(t).find()) {
        return true;
      }
    }
    return catalog.categoryIn(t).isPresent() || !catalog.productsIn(t).isEmpty() || asksColour(t, catalog);
  }

  private static boolean emojiOnly(String t) {
    return t.codePoints().noneMatch(Character::isLetterOrDigit)
      && t.codePoints().anyMatch(c -> Character.getType(c) == Character.OTHER_SYMBOL);
  }

  /** Whether the text greets, whatever else it asks. */
  public static boolean greets(String text) {
    return GREETING.matcher(normalize(text)).find();
  }

  /**
   * Whether the text agrees ("так", "да", "yes", "беру", "ок", "добре", "згодна", "все вірно", "підтверджую",
   * "оформлюємо", "давайте"), without a "не", a refusal or a "я ще подумаю" in it.
   */
  public static boolean affirms(String text) {
    String t = normalize(text);
    return AFFIRM.matcher(t).find() && !declines(t) && !NEGATION.matcher(t).find() && !HESITATE.matcher(t).find();
  }

  /** Whether the text refuses ("ні", "нет", "no", "не треба", "не потрібно", "дякую, ні"). */
  public static boolean declines(String text) {
    return DECLINE.matcher(normalize(text)).find();
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

  private static OptionalInt plausible(int cm) {
    return cm >= 50 && cm <= 190 ? OptionalInt.of(cm) : OptionalInt.empty();
  }

  /**
   * A Ukrainian phone number in the text as {@code +380XXXXXXXXX}: "067 123 45 67", "+38 (067) 123-45-67",
   * "0671234567", "380671234567", "8 067 123 45 67". Empty when there is none, when the digits are too few or too
   * many, or when the code after the 0 is neither a mobile operator's nor a landline area's.
   */
  public static Optional<String> phone(String text) {
    Matcher m = PHONE_RUN.matcher(text == null ? "" : text);
    while (m.find()) {
      // A run may hold more than the phone ("зріст 116 067 123 45 67"): try each group of digits as its start.
      String[] groups = m.group().trim().split("\\s+");
      for (int start = 0; start < groups.length; start++) {
        StringBuilder digits = new StringBuilder();
        for (int end = start; end < groups.length && digits.length() < 12; end++) {
          digits.append(groups[end].replaceAll("\\D", ""));
          Optional<String> phone = ukrainian(digits.toString());
          if (phone.isPresent()) {
            return phone;
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> ukrainian(String digits) {
    return Phones.normalize(digits);
  }

  /**
   * The Nova Poshta branch (or parcel locker) number in the text: "відділення 12", "№12", "НП 5", "отделение 3",
   * "branch 7", "поштомат 123", "12 відділення". Empty when there is none.
   */
  public static OptionalInt branch(String text) {
    String t = normalize(text);
    for (Pattern p : List.of(BRANCH, BRANCH_AFTER)) {
      Matcher m = p.matcher(t);
      while (m.find()) {
        int n = Integer.parseInt(m.group(1));
        if (n > 0) {
          return OptionalInt.of(n);
        }
      }
    }
    return OptionalInt.empty();
  }

  /** Lower case, one kind of apostrophe: the form every word list is matched against. */
  static String normalize(String text) {
    return Vocabulary.normalize(text);
  }

  /** Alternatives matched as whole words; {@code *} stands for any further letters, a space for any spacing. */
  static Pattern words(String... alternatives) {
    return Vocabulary.words(alternatives);
  }
}
