package ai.mirt.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads delivery details from a customer's free text, several in one message too: a Ukrainian mobile number, the Nova
 * Poshta branch, the city and the recipient's name. Customers answer "Олена Петренко, 0671234567, Київ, 12", so
 * unlabelled words fill the missing name and city in the order they were asked for; labels ("м. Київ", "мене
 * звати …") win. Pure and thread-safe.
 */
final class ClientReader {

  /**
   * What one message said.
   *
   * @param client   the details after the message
   * @param badPhone a number the customer typed that is no Ukrainian mobile number, or {@code null}
   */
  record Read(Conversation.Client client, String badPhone) {
  }

  // +38 (067) 123-45-67, 067 123 45 67, 380671234567: an optional +38, a 0 and nine digits, single separators allowed.
  private static final Pattern PHONE = Pattern.compile(
    "(?<![\\d+])(?:\\+?3\\s?8[\\s-]?)?\\(?0\\s?\\d\\s?\\d\\)?[\\s-]?(?:\\d[\\s-]?){6}\\d(?!\\d)");
  private static final Pattern DIGITS = Pattern.compile("\\+?\\d[\\d\\s()-]{5,}\\d");
  private static final Pattern BRANCH = Pattern.compile("(?<!\\p{L})(?:відділенн\\p{L}*|відд\\.?|отделени\\p{L}*|branch|"
    + "warehouse|нп|нов\\p{L}* пошт\\p{L}*|нов\\p{L}* почт\\p{L}*|nova poshta|поштомат\\p{L}*|почтомат\\p{L}*|№|#)"
    + "\\s*[:№#]?\\s*(?:номер\\s*)?(\\d{1,5})(?!\\d)");
  // Sums and heights are no branch numbers: "передоплата 200 грн".
  private static final Pattern NOT_BRANCH = Pattern.compile("\\d+\\s*(?:грн|uah|₴|см|cm)");
  private static final Pattern NUMBER = Pattern.compile("(?<![\\p{L}\\d])(\\d{1,5})(?![\\p{L}\\d])");

  private static final Pattern CITY = Pattern.compile("^(?:(?:м|г|с|смт)\\.\\s*|(?:місто|город|city|town|смт|село|м|г)"
    + "\\s+)(\\p{L}.*)$");
  private static final Pattern NAME = Pattern.compile("^(?:мене звати|мене звуть|меня зовут|my name is|ім'я|имя|"
    + "name|піб|фіо|фио|отримувач\\p{L}*|получател\\p{L}*|recipient)\\s+(\\p{L}.*)$");
  private static final Pattern WORDS = Pattern.compile("[\\p{L}'.-]+(?:\\s+[\\p{L}'.-]+){0,2}");

  // Filler and labels customers write around their details: dropped before the rest is read as a name or a city.
  private static final Set<String> FILLER = Set.of("ось", "мої", "мій", "моя", "дані", "вот", "мои", "мой", "данные",
    "here", "are", "details", "телефон", "тел", "номер", "phone", "tel", "моб", "будь", "ласка", "пожалуйста",
    "please", "все", "усе", "і", "та", "и", "а", "and", "доставка", "delivery");

  private ClientReader() {
  }

  /** The details of {@code before} with what {@code text} adds or corrects. */
  static Read read(String text, Conversation.Client before) {
    String t = Slots.normalize(text);
    String name = before.name();
    String phone = before.phone();
    String city = before.city();
    String branch = before.branch();
    Matcher p = PHONE.matcher(t);
    String bad = null;
    if (p.find()) {
      Optional<String> valid = normalizePhone(p.group());
      if (valid.isPresent()) {
        phone = valid.get();
      } else {
        bad = text.substring(p.start(), p.end()).trim();
      }
      t = blank(t, p.start(), p.end());
    }
    Matcher d = DIGITS.matcher(t);
    if (bad == null && d.find() && d.group().replaceAll("\\D", "").length() >= 7) {
      bad = text.substring(d.start(), d.end()).trim();
      t = blank(t, d.start(), d.end());
    }
    for (Matcher s = NOT_BRANCH.matcher(t); s.find(); ) {
      t = blank(t, s.start(), s.end());
    }
    Matcher b = BRANCH.matcher(t);
    Matcher n = NUMBER.matcher(t);
    if (b.find()) {
      branch = String.valueOf(Integer.parseInt(b.group(1)));
      t = blank(t, b.start(), b.end());
    } else if (n.find()) {
      branch = String.valueOf(Integer.parseInt(n.group(1)));
      t = blank(t, n.start(), n.end());
    }
    List<String> unlabelled = new ArrayList<>();
    boolean named = false;
    boolean placed = false;
    for (String part : blankLike(text, t).split("[,;\\n]+")) {
      String clean = strip(part);
      if (clean.isEmpty() || part.contains("?") || isTalk(clean)) {
        continue;
      }
      String lower = Slots.normalize(clean);
      Matcher cm = CITY.matcher(lower);
      Matcher nm = NAME.matcher(lower);
      if (cm.matches()) {
        city = capitalize(clean.substring(cm.start(1)));
        placed = true;
      } else if (nm.matches()) {
        name = capitalize(clean.substring(nm.start(1)));
        named = true;
      } else if (WORDS.matcher(clean).matches()) {
        unlabelled.add(clean);
      }
    }
    List<String> missing = new ArrayList<>();
    if (name == null && !named) {
      missing.add("name");
    }
    if (city == null && !placed) {
      missing.add("city");
    }
    if (unlabelled.size() == 1 && missing.size() == 2) {
      // One word is more likely the city than a whole name; a name and surname are the name.
      missing.remove(unlabelled.get(0).contains(" ") ? "city" : "name");
    }
    for (int i = 0; i < Math.min(unlabelled.size(), missing.size()); i++) {
      if (missing.get(i).equals("name")) {
        name = capitalize(unlabelled.get(i));
      } else {
        city = capitalize(unlabelled.get(i));
      }
    }
    return new Read(new Conversation.Client(name, phone, city, branch), bad);
  }

  // A yes, a greeting or a question about delivery is talk around the details, never a name or a city.
  private static boolean isTalk(String part) {
    return Slots.affirms(part) || Slots.declines(part) || Slots.greets(part) || Slots.thanks(part)
      || Slots.asksDelivery(part) || Slots.asksPayment(part);
  }

  /** The Ukrainian mobile number in the text as {@code +380XXXXXXXXX}; empty when there is none. */
  static Optional<String> phone(String text) {
    Matcher p = PHONE.matcher(Slots.normalize(text));
    return p.find() ? normalizePhone(p.group()) : Optional.empty();
  }

  /** The Nova Poshta branch the text names ("відділення 12", "№5", or a short number alone). */
  static OptionalInt branch(String text) {
    String b = read(text, Conversation.Client.EMPTY).client().branch();
    return b == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(b));
  }

  private static Optional<String> normalizePhone(String typed) {
    return Phones.normalize(typed);
  }

  // Keeps positions: the text and its lower-case copy stay aligned while read parts are blanked out.
  private static String blank(String t, int start, int end) {
    return t.substring(0, start) + " ".repeat(end - start) + t.substring(end);
  }

  private static String blankLike(String original, String blanked) {
    StringBuilder out = new StringBuilder(original.length());
    for (int i = 0; i < original.length(); i++) {
      out.append(blanked.charAt(i) == ' ' ? ' ' : original.charAt(i));
    }
    return out.toString();
  }

  /** The part without filler words and without the colons and full stops after its words ("Місто: Київ."). */
  private static String strip(String part) {
    List<String> kept = new ArrayList<>();
    for (String w : part.trim().split("\\s+")) {
      String word = w.replaceAll("[:!?]+$", "").replaceAll("(?<=\\p{L}{2})\\.$", "");
      if (!word.isEmpty() && !FILLER.contains(Slots.normalize(word))) {
        kept.add(word);
      }
    }
    return String.join(" ", kept).replaceAll("^[\\s-]+|[\\s-]+$", "");
  }

  private static String capitalize(String words) {
    StringBuilder out = new StringBuilder();
    for (String w : words.trim().split("\\s+")) {
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(w.substring(0, 1).toUpperCase(Locale.ROOT)).append(w.substring(1));
    }
    return out.toString();
  }
}
