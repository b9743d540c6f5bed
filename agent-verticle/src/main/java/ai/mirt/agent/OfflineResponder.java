package ai.mirt.agent;

import ai.mirt.agent.Catalog.Product;
import ai.mirt.common.OutMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * The deterministic sales assistant that answers without a model, in Ukrainian whatever the customer's language:
 * it is the default, the demo, and what tests can rely on word for word.
 */
public final class OfflineResponder implements Responder {

  public static final String FIELD_PRODUCT = "ai_product";
  public static final String FIELD_SIZE = "ai_size";

  static final String DELIVERY_ANSWER = "Доставляємо Новою Поштою по всій Україні, зазвичай за 1–3 дні 📦 "
    + "Оплатити можна карткою або накладеним платежем при отриманні.";
  static final String PAYMENT_ANSWER = "Оплатити можна карткою або готівкою при отриманні "
    + "(накладений платіж Новою Поштою) 💳";
  static final String COMPLAINT_ANSWER = "Мені дуже шкода, що так сталося 😔 Ваше повідомлення вже передано "
    + "менеджеру — він відповість вам тут найближчим часом.";
  static final String ORDER_DETAILS = "Щоб оформити замовлення, напишіть, будь ласка, ім'я, телефон і місто з "
    + "відділенням Нової Пошти 📦";
  static final String THANKS_ANSWER = "Будь ласка! 😊 Якщо будуть питання — пишіть, я завжди на зв'язку.";

  private static final int LISTED = 3;
  private static final int MAX_PHOTOS = 4;

  private final Catalog catalog;
  private final IntentDetector detector;

  public OfflineResponder(Catalog catalog) {
    this.catalog = catalog;
    this.detector = new IntentDetector(catalog);
  }

  @Override
  public String model() {
    return "offline";
  }

  @Override
  public Answer respond(Question q, Conversation c) {
    Draft d = switch (q.intent()) {
      case GREETING -> greeting(q, c);
      case CATALOG -> catalog(c);
      case CATEGORY -> category(q, c);
      case PRODUCT -> product(q, c);
      case PRICE -> price(q, c);
      case SIZE -> size(q, c);
      case COLOR -> color(q, c);
      case DELIVERY -> fixed(c, DELIVERY_ANSWER, List.of("Оплата"));
      case PAYMENT -> fixed(c, PAYMENT_ANSWER, List.of("Доставка"));
      case COMPLAINT -> complaint(c);
      case THANKS -> fixed(c, THANKS_ANSWER, List.of());
      case ABUSE -> fixed(c, Moderator.POLITE_ANSWER, catalog.categoryNames());
      case OTHER, RESTART -> other(q, c);
    };
    if (q.intent() != Intent.GREETING && c.isNew() && IntentDetector.greets(q.text())) {
      d.greetFirst(hello(name(q, c)));
    }
    return d.answer(Stages.after(q.intent(), c.stage()));
  }

  private Draft greeting(Question q, Conversation c) {
    return new Draft(c).text(hello(name(q, c)) + " Я допоможу підібрати одяг для вашої дитини. У нас є "
        + categoriesSentence() + ". Що вас цікавить?")
      .quickReplies(catalog.categoryNames());
  }

  private Draft catalog(Conversation c) {
    IntSummary sizes = IntSummary.of(catalog.products().stream().flatMap(p -> p.sizes().stream()).toList());
    return new Draft(c).text("У нас є " + categoriesSentence() + " для дітей на зріст від " + sizes.min + " до "
        + sizes.max + " см. Що показати?")
      .quickReplies(catalog.categoryNames());
  }

  private Draft category(Question q, Conversation c) {
    Optional<String> category = detector.category(q.text());
    return category.isPresent() ? listing(category.get(), c) : other(q, c);
  }

  private Draft listing(String categoryId, Conversation c) {
    List<Product> all = catalog.inCategory(categoryId);
    List<Product> shown = all.stream().limit(LISTED).toList();
    String name = catalog.category(categoryId).map(Catalog.Category::name).orElse(categoryId);
    Draft d = new Draft(c).text("Ось наші " + name.toLowerCase(Locale.ROOT) + ":");
    for (Product p : shown) {
      d.text(p.name() + " — " + p.price() + " грн");
      p.photos().stream().findFirst().ifPresent(d::image);
    }
    String more = all.size() > shown.size()
      ? "Це " + shown.size() + " з " + all.size() + " моделей. "
      : "";
    return d.text(more + "Напишіть назву моделі, щоб дізнатися більше, або зріст дитини — підкажу розмір 🙂")
      .quickReplies(shown.stream().map(Product::shortName).toList())
      .shown(shown.stream().map(Product::id).toList(), null);
  }

  private Draft product(Question q, Conversation c) {
    Optional<Product> found = resolve(q.text(), c);
    if (found.isEmpty()) {
      return other(q, c);
    }
    Product p = found.get();
    Draft d = new Draft(c).text(p.name() + " — " + p.price() + " грн.\n" + p.description()
      + "\nРозміри (зріст): " + join(p.sizes()) + " см.\nКольори: " + String.join(", ", p.colors()) + ".");
    p.photos().stream().limit(MAX_PHOTOS).forEach(d::image);
    return d.text("Підказати розмір? Напишіть зріст дитини 🙂")
      .quickReplies(List.of("Доставка", "Оплата"))
      .focus(p)
      .field(FIELD_PRODUCT, p.name());
  }

  private Draft price(Question q, Conversation c) {
    Optional<Product> mentioned = catalog.mentionedIn(q.text());
    Optional<String> category = detector.category(q.text());
    if (mentioned.isEmpty() && category.isPresent()) {
      return listing(category.get(), c);
    }
    Optional<Product> found = mentioned.or(() -> focus(c));
    if (found.isPresent()) {
      Product p = found.get();
      Draft d = new Draft(c).text(p.name() + " коштує " + p.price() + " грн.");
      p.photos().stream().findFirst().ifPresent(d::image);
      return d.text("Є на зріст " + p.sizeRange() + ". Напишіть зріст дитини — підкажу розмір 🙂")
        .focus(p)
        .field(FIELD_PRODUCT, p.name());
    }
    StringBuilder text = new StringBuilder("Ціни у нас такі:");
    for (Catalog.Category cat : catalog.categories()) {
      IntSummary s = IntSummary.of(catalog.inCategory(cat.id()).stream().map(Product::price).toList());
      if (s.count > 0) {
        text.append("\n").append(cat.name()).append(" — від ").append(s.min).append(" грн");
      }
    }
    return new Draft(c).text(text + "\nЩо показати?").quickReplies(catalog.categoryNames());
  }

  private Draft size(Question q, Conversation c) {
    OptionalInt height = IntentDetector.height(q.text());
    Optional<Product> found = resolve(q.text(), c);
    if (found.isPresent() && height.isPresent()) {
      Product p = found.get();
      int h = height.getAsInt();
      int size = p.sizeFor(h).orElse(h);
      Draft d = new Draft(c).focus(p).field(FIELD_PRODUCT, p.name());
      if (size < h) {
        return d.text("На жаль, " + inline(p) + " є лише до зросту " + size + " см — на " + h
            + " см ця модель буде замала. Підібрати щось інше?")
          .quickReplies(catalog.categoryNames());
      }
      String advice = size == h
        ? "Для зросту " + h + " см беріть розмір " + size + " — " + inline(p) + " сяде якраз 🙂"
        : "Для зросту " + h + " см раджу розмір " + size + " у моделі «" + p.shortName() + "» — з невеликим запасом 🙂";
      return d.text(advice + "\nЯкий колір обираєте: " + String.join(" чи ", p.colors()) + "?")
        .quickReplies(p.colors().stream().map(OfflineResponder::capitalize).toList())
        .field(FIELD_SIZE, String.valueOf(size));
    }
    if (found.isPresent()) {
      Product p = found.get();
      return new Draft(c).text(p.name() + " є на зріст: " + join(p.sizes()) + " см. Напишіть зріст дитини, "
          + "і я підкажу розмір 🙂")
        .focus(p)
        .field(FIELD_PRODUCT, p.name());
    }
    if (height.isPresent()) {
      int h = height.getAsInt();
      OptionalInt size = catalog.products().stream().flatMap(p -> p.sizes().stream()).mapToInt(Integer::intValue)
        .filter(s -> s >= h).min();
      if (size.isPresent()) {
        return new Draft(c).text("Для зросту " + h + " см підійде розмір " + size.getAsInt() + ". Яка модель вас "
            + "цікавить: " + categoriesQuestion() + "?")
          .quickReplies(catalog.categoryNames())
          .field(FIELD_SIZE, String.valueOf(size.getAsInt()));
      }
      return new Draft(c).text("На жаль, на зріст " + h + " см у нас зараз немає моделей 😔 Найбільший розмір — "
        + IntSummary.of(catalog.products().stream().flatMap(p -> p.sizes().stream()).toList()).max + " см.");
    }
    return new Draft(c).text("Підкажіть, будь ласка, зріст дитини та модель, яка сподобалась, — я підберу розмір 🙂")
      .quickReplies(catalog.categoryNames());
  }

  private Draft color(Question q, Conversation c) {
    List<String> colors = IntentDetector.colors(q.text());
    Optional<String> category = detector.category(q.text());
    Optional<Product> mentioned = catalog.mentionedIn(q.text());
    // "А в рожевому є?" right after a product is about that product; "а рожеві сукні є?" is about the category.
    Optional<Product> found = mentioned.isPresent() || category.isPresent() ? mentioned : focus(c);
    if (found.isPresent()) {
      Product p = found.get();
      Draft d = new Draft(c).focus(p).field(FIELD_PRODUCT, p.name());
      if (colors.isEmpty()) {
        d.text(p.name() + " є в кольорах: " + String.join(", ", p.colors()) + ".");
      } else if (p.hasColor(colors.get(0))) {
        d.text("Так, " + inline(p) + " є в кольорі: " + colors.get(0) + " 🙂");
        p.photos().stream().findFirst().ifPresent(d::image);
        d.text(Stages.SIZE.equals(c.stage()) ? ORDER_DETAILS : "Напишіть зріст дитини — підкажу розмір.");
      } else {
        d.text("На жаль, " + inline(p) + " немає в кольорі: " + colors.get(0) + ". Є такі кольори: "
          + String.join(", ", p.colors()) + ".");
      }
      return d;
    }
    if (colors.isEmpty()) {
      return new Draft(c).text("Підкажіть, яка модель вас цікавить, — я розповім, у яких кольорах вона є 🙂")
        .quickReplies(catalog.categoryNames());
    }
    List<Product> pool = category.map(catalog::inCategory)
      .orElseGet(() -> c.shownProductIds().isEmpty() ? catalog.products() : products(c.shownProductIds()));
    List<Product> matching = pool.stream().filter(p -> colors.stream().anyMatch(p::hasColor)).limit(LISTED).toList();
    if (matching.isEmpty()) {
      return new Draft(c).text("На жаль, у кольорі «" + colors.get(0) + "» зараз нічого немає 😔 Подивіться, будь "
          + "ласка, інші моделі: " + categoriesQuestion() + "?")
        .quickReplies(catalog.categoryNames());
    }
    Draft d = new Draft(c).text("У кольорі «" + colors.get(0) + "» є:");
    for (Product p : matching) {
      d.text(p.name() + " — " + p.price() + " грн");
      p.photos().stream().findFirst().ifPresent(d::image);
    }
    return d.quickReplies(matching.stream().map(Product::shortName).toList())
      .shown(matching.stream().map(Product::id).toList(), matching.size() == 1 ? matching.get(0).id() : null);
  }

  private Draft complaint(Conversation c) {
    return new Draft(c).text(COMPLAINT_ANSWER).tag(Answer.TAG_NEEDS_HUMAN);
  }

  private Draft fixed(Conversation c, String text, List<String> quickReplies) {
    return new Draft(c).text(text).quickReplies(quickReplies);
  }

  private Draft other(Question q, Conversation c) {
    String text = q.text().isBlank() && !q.images().isEmpty()
      ? "Дякую за фото! Підкажіть, будь ласка, що саме вас цікавить, — підберу схоже серед наших моделей: "
        + categoriesQuestion() + "?"
      : "Дякую за повідомлення! Я можу показати наш дитячий одяг (" + categoriesSentence() + "), підібрати розмір "
        + "і розповісти про доставку. Що вас цікавить?";
    return new Draft(c).text(text).quickReplies(catalog.categoryNames());
  }

  private Optional<Product> resolve(String text, Conversation c) {
    return catalog.mentionedIn(text).or(() -> focus(c));
  }

  /** The product being discussed: the focused one, or the only one shown last. */
  private Optional<Product> focus(Conversation c) {
    Optional<Product> focused = catalog.product(c.focusProductId());
    if (focused.isPresent() || c.shownProductIds().size() != 1) {
      return focused;
    }
    return catalog.product(c.shownProductIds().get(0));
  }

  private List<Product> products(List<String> ids) {
    return ids.stream().map(catalog::product).flatMap(Optional::stream).toList();
  }

  private static String name(Question q, Conversation c) {
    String n = q.customerName() != null && !q.customerName().isBlank() ? q.customerName() : c.customerName();
    return n == null || n.isBlank() ? null : n.trim();
  }

  private static String hello(String name) {
    return name == null ? "Вітаю! 👋" : "Вітаю, " + name + "! 👋";
  }

  /** "сукні, костюми та тренчі" */
  private String categoriesSentence() {
    return joinNatural(catalog.categoryNames(), " та ");
  }

  /** "сукні, костюми чи тренчі" */
  private String categoriesQuestion() {
    return joinNatural(catalog.categoryNames(), " чи ");
  }

  private static String joinNatural(List<String> names, String last) {
    List<String> lower = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    if (lower.size() <= 1) {
      return String.join("", lower);
    }
    return String.join(", ", lower.subList(0, lower.size() - 1)) + last + lower.get(lower.size() - 1);
  }

  private static String join(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  /** The product name inside a sentence: "тренч «Дощик»", not "Тренч «Дощик»". */
  private static String inline(Product p) {
    String n = p.name();
    return n.isEmpty() ? n : n.substring(0, 1).toLowerCase(Locale.ROOT) + n.substring(1);
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }

  private record IntSummary(int count, int min, int max) {
    static IntSummary of(List<Integer> values) {
      return new IntSummary(values.size(),
        values.stream().mapToInt(Integer::intValue).min().orElse(0),
        values.stream().mapToInt(Integer::intValue).max().orElse(0));
    }
  }

  /** An answer being put together; starts from the conversation so untouched context carries over. */
  private static final class Draft {
    private final List<OutMessage> messages = new ArrayList<>();
    private final List<String> quickReplies = new ArrayList<>();
    private final Map<String, String> fields = new LinkedHashMap<>();
    private final List<String> tags = new ArrayList<>();
    private List<String> shown;
    private String focus;

    Draft(Conversation c) {
      this.shown = c.shownProductIds();
      this.focus = c.focusProductId();
    }

    Draft text(String text) {
      messages.add(OutMessage.text(text));
      return this;
    }

    Draft image(String url) {
      messages.add(OutMessage.image(url));
      return this;
    }

    Draft quickReplies(List<String> captions) {
      quickReplies.clear();
      quickReplies.addAll(captions);
      return this;
    }

    Draft field(String name, String value) {
      fields.put(name, value);
      return this;
    }

    Draft tag(String tag) {
      tags.add(tag);
      return this;
    }

    Draft focus(Product p) {
      return shown(List.of(p.id()), p.id());
    }

    Draft shown(List<String> ids, String focusId) {
      this.shown = ids;
      this.focus = focusId;
      return this;
    }

    void greetFirst(String hello) {
      for (int i = 0; i < messages.size(); i++) {
        if (messages.get(i).kind() == OutMessage.Kind.TEXT) {
          messages.set(i, OutMessage.text(hello + " " + messages.get(i).value()));
          return;
        }
      }
    }

    Answer answer(String state) {
      return new Answer(messages, quickReplies, state, fields, tags, List.of(), shown, focus);
    }
  }
}
