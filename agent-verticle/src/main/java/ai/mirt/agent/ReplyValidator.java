package ai.mirt.agent;

import ai.mirt.common.OutMessage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses a draft that names a product, price, size, colour or photo the catalog does not have, so a model's
 * invention never reaches a customer. Each violation is a short English sentence naming the value, for the model to
 * rewrite from. A sentence that says something is missing ("«Лілії» у нас немає", "зеленого немає") is truthful
 * and passes; prices are checked everywhere. Pure and thread-safe.
 */
public final class ReplyValidator {

  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

  private static final Pattern QUOTED = Pattern.compile("[«“„]([^«»“”„\\n]{1,60})[»”“]");

  // A category word and a capitalised word after it: "Сукня Лілія", "костюм «Пірат»".
  private static final Pattern TYPED_NAME =
    Pattern.compile("(?<![\\p{L}\\d])(\\p{L}+)\\s+[«“„\"]?(\\p{Lu}[\\p{L}'’-]*)");

  // A name is one to three words without digits or punctuation: "Лілія", "Нова Зоря". "Так, оформлюємо" is not.
  private static final Pattern NAME_LIKE = Pattern.compile("\\p{Lu}[\\p{L}'’-]*(?:\\s+[\\p{L}'’-]+){0,2}");

  // The polite capitalised "Ви" of Ukrainian and Russian business writing is no product name.
  private static final Pattern POLITE = Vocabulary.words("ви", "вас", "вам", "вами", "ваш*", "вы", "you", "your");

  /** A number with a currency after ("1 250 грн", "200₴") or before it ("₴1250"); a bare number (an IBAN) is none. */
  private static final Pattern PRICE = Pattern.compile("(?<![\\p{L}\\d.,])(\\d{1,3}(?:[ \\u00a0\\u202f]\\d{3})+|\\d+)"
    + "(?:[.,](\\d{1,2}))?\\s*(?:грн\\.?|₴|uah|гривень|гривні|гривня|гривна|гривен|гривны|hrn)(?!\\p{L})"
    + "|(?<!\\p{L})(?:₴|uah)\\s*(\\d+)(?![\\d.,]\\d)", FLAGS);

  private static final Pattern SIZE_AFTER = Pattern.compile("(?<!\\p{L})(?:розмір\\p{L}*|размер\\p{L}*|sizes?)"
    + "\\s*[:—–-]?\\s*(\\d{2,3}(?:\\s*(?:,|та|і|и|й|або|или|or|and|/|–|—|-)\\s*\\d{2,3})*)(?!\\d)", FLAGS);

  private static final Pattern SIZE_BEFORE = Pattern.compile("(?<![\\d.,])(\\d{2,3})\\s*(?:-?(?:й|ий|го|му))?\\s+"
    + "(?:розмір\\p{L}*|размер\\p{L}*|size)(?!\\p{L})", FLAGS);

  private static final Pattern NUMBER = Pattern.compile("\\d{2,3}");

  /** Words that say something is missing: a sentence with them may name what the shop does not have. */
  private static final Pattern ABSENT = Vocabulary.words("немає", "нема", "нет", "відсутн*", "отсутств*",
    "на жаль", "к сожалению", "unfortunately", "not available", "don't have", "do not have", "out of stock",
    "закінчил*", "закончил*");

  private static final Pattern SENTENCE = Pattern.compile("[^.!?\\n]+");

  /** What is wrong with the draft; empty when it may go out. */
  public List<String> violations(Draft draft, Catalog catalog) {
    Set<String> out = new LinkedHashSet<>();
    for (String id : draft.productIds()) {
      if (catalog.product(id).isEmpty()) {
        out.add("product id '" + id + "' is not in the catalog");
      }
    }
    List<String> texts = new ArrayList<>();
    for (OutMessage m : draft.messages()) {
      if (m.kind() == OutMessage.Kind.IMAGE && !catalog.photos().contains(m.value())) {
        out.add("photo '" + m.value() + "' is not a catalog photo");
      } else if (m.kind() == OutMessage.Kind.TEXT) {
        texts.add(m.value());
      }
    }
    List<Catalog.Product> mentioned = mentioned(draft, texts, catalog);
    for (String text : texts) {
      prices(text, draft, catalog, out);
      Matcher s = SENTENCE.matcher(text);
      while (s.find()) {
        String sentence = s.group();
        if (ABSENT.matcher(Vocabulary.normalize(sentence)).find()) {
          continue;
        }
        names(sentence, draft, catalog, out);
        sizes(sentence, mentioned, catalog, out);
        colours(sentence, mentioned, catalog, out);
      }
    }
    return List.copyOf(out);
  }

  /** The products the draft is about: its product ids, then the products its texts name. */
  private static List<Catalog.Product> mentioned(Draft draft, List<String> texts, Catalog catalog) {
    Set<Catalog.Product> all = new LinkedHashSet<>();
    draft.productIds().forEach(id -> catalog.product(id).ifPresent(all::add));
    texts.forEach(t -> all.addAll(catalog.productsIn(t)));
    return List.copyOf(all);
  }

  private static void names(String sentence, Draft draft, Catalog catalog, Set<String> out) {
    Set<String> flagged = new LinkedHashSet<>();
    Matcher q = QUOTED.matcher(sentence);
    while (q.find()) {
      String name = q.group(1).trim();
      if (NAME_LIKE.matcher(name).matches() && !known(name, draft, catalog) && catalog.named(name).isEmpty()) {
        out.add("product «" + name + "» is not in the catalog");
        flagged.add(name.split("\\s+")[0]);
      }
    }
    Matcher t = TYPED_NAME.matcher(sentence);
    // Each capitalised word may also be the category word of the next pair ("ще Сукня Лілія"): search on from it.
    for (int from = 0; t.find(from); from = t.start(2)) {
      String type = t.group(1);
      String name = t.group(2);
      if (catalog.categoryIn(type).isPresent() && !flagged.contains(name)
        && !POLITE.matcher(Vocabulary.normalize(name)).matches() && !known(name, draft, catalog)
        && catalog.productAt(sentence.substring(t.start(2))).isEmpty()) {
        out.add("product '" + type + " " + name + "' is not in the catalog");
      }
    }
  }

  // A quick reply or a category name in quotes, or a word of the conversation ("Доставка"), names no product.
  private static boolean known(String name, Draft draft, Catalog catalog) {
    if (draft.quickReplies() != null && draft.quickReplies().stream().anyMatch(r -> r.equalsIgnoreCase(name))) {
      return true;
    }
    if (catalog.categoryNames().stream().anyMatch(c -> c.equalsIgnoreCase(name))) {
      return true;
    }
    String n = Vocabulary.normalize(name);
    for (Pattern p : List.of(IntentWords.DELIVERY, IntentWords.PAYMENT, IntentWords.SIZE, IntentWords.COLOR_WORD,
      IntentWords.ORDER, IntentWords.AFFIRM, IntentWords.DECLINE, IntentWords.OTHER, IntentWords.ADD,
      IntentWords.THANKS)) {
      if (p.matcher(n).find()) {
        return true;
      }
    }
    return false;
  }

  private static void prices(String text, Draft draft, Catalog catalog, Set<String> out) {
    Matcher m = PRICE.matcher(text);
    while (m.find()) {
      String digits = (m.group(1) != null ? m.group(1) : m.group(3)).replaceAll("\\D", "");
      String cents = m.group(2);
      if (cents != null && !cents.matches("0+")) {
        out.add("price " + m.group().trim() + " is not a whole number of hryvnias");
        continue;
      }
      boolean known = digits.length() <= 9 && (catalog.prices().contains(Integer.valueOf(digits))
        || draft.amounts().contains(Integer.valueOf(digits)));
      if (!known) {
        out.add("price " + digits + " грн is neither a catalog price nor an amount of this order");
      }
    }
  }

  private static void sizes(String sentence, List<Catalog.Product> mentioned, Catalog catalog, Set<String> out) {
    List<Catalog.Product> about = mentioned.isEmpty() ? catalog.products() : mentioned;
    Set<Integer> sizes = new TreeSet<>();
    Matcher after = SIZE_AFTER.matcher(sentence);
    while (after.find()) {
      Matcher n = NUMBER.matcher(after.group(1));
      while (n.find()) {
        sizes.add(Integer.parseInt(n.group()));
      }
    }
    Matcher before = SIZE_BEFORE.matcher(sentence);
    while (before.find()) {
      sizes.add(Integer.parseInt(before.group(1)));
    }
    for (int size : sizes) {
      if (about.stream().noneMatch(p -> p.sizes().contains(size))) {
        out.add("size " + size + " is not a size of " + (mentioned.isEmpty() ? "any catalog product"
          : String.join(" or ", mentioned.stream().map(p -> p.name() + " (" + p.sizeRange() + ")").toList())));
      }
    }
  }

  private static void colours(String sentence, List<Catalog.Product> mentioned, Catalog catalog, Set<String> out) {
    List<Catalog.Product> named = catalog.productsIn(sentence);
    Catalog.Product product = named.size() == 1 ? named.get(0)
      : named.isEmpty() && mentioned.size() == 1 ? mentioned.get(0) : null;
    if (product == null) {
      return;
    }
    Set<String> colours = new LinkedHashSet<>(catalog.colorsIn(sentence));
    for (String c : ColourWords.GENERAL.in(sentence)) {
      if (colours.stream().noneMatch(c::equalsIgnoreCase)) {
        colours.add(c);
      }
    }
    for (String c : colours) {
      if (!product.hasColor(c)) {
        out.add("colour '" + c + "' is not a colour of " + product.name() + " ("
          + String.join(", ", product.colors()) + ")");
      }
    }
  }
}
