package ai.mirt.agent;

import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Turn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole conversations through the graph with the offline assistant, turn by turn as a customer would write them. */
class SalesGraphTest {

  private static final Catalog CATALOG = Catalog.load("../conf/catalog.json");
  private static final Shop SHOP = Shop.load("../conf/shop.yaml");
  private static final String SCREENSHOT = "https://cdn.example.com/screenshot.jpg";
  private static final Contact OLENA = new Contact("Олена Петренко", "Олена", "olena.p", Map.of());

  private SalesGraph graph;
  private Conversation conversation;
  private int turns;

  @BeforeEach
  void setUp() throws Exception {
    graph = new SalesGraph(() -> CATALOG, SHOP, new OfflineWriter(), new OfflineWriter(), 20, true);
    conversation = Conversation.empty();
  }

  private Answer say(String text, String... images) {
    Answer a = graph.run(turn(text, images), conversation);
    conversation = a.conversation();
    return a;
  }

  private Turn turn(String text, String... images) {
    turns++;
    return new Turn("sub-1", "turn-" + turns, Channel.INSTAGRAM, text, List.of(images), OLENA, 1, 1_000L * turns, 1,
      0, "trace-" + turns);
  }

  private static List<String> images(Answer a) {
    return a.messages().stream().filter(m -> m.kind() == OutMessage.Kind.IMAGE).map(OutMessage::value).toList();
  }

  /** The customer chooses «Ромашка» in 116, pink, and is offered it. */
  private void browseToTheOffer() {
    Answer hello = say("Привіт!");
    assertThat(hello.stage()).isEqualTo(Stage.STATE_1_DISCOVERY);
    assertThat(hello.intent()).isEqualTo(Intent.GREETING_ONLY);
    assertThat(hello.step()).isEqualTo(Step.DISCOVERY);
    assertThat(hello.text()).isEqualTo("Вітаю, Олена! 🌸\nЯ допоможу підібрати одяг для вашої дитини. У нас є сукні, "
      + "костюми, тренчі. Що вас цікавить?");
    assertThat(hello.fields()).isEmpty();
    assertThat(hello.addTags()).isEmpty();
    assertThat(hello.quickReplies()).containsExactly("Сукні", "Костюми", "Тренчі");

    Answer dresses = say("Покажіть сукні");
    assertThat(dresses.stage()).isEqualTo(Stage.STATE_1_DISCOVERY);
    assertThat(dresses.intent()).isEqualTo(Intent.DISCOVERY_OR_QUESTION);
    assertThat(images(dresses)).containsExactly("https://shop.example.com/img/dress-01-1.jpg",
      "https://shop.example.com/img/dress-02-1.jpg", "https://shop.example.com/img/dress-03-1.jpg");
    assertThat(dresses.text()).contains("Сукня «Ромашка» — 1250 грн", "Сукня «Веселка» — 1390 грн",
      "Сукня «Мальва» — 1490 грн");
    assertThat(dresses.fields()).isEmpty();

    Answer romashka = say("Ромашка");
    assertThat(romashka.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
    assertThat(romashka.intent()).isEqualTo(Intent.DISCOVERY_OR_QUESTION);
    assertThat(romashka.fields()).containsExactly(Map.entry(Names.LAST_PRODUCT, "Сукня «Ромашка»"));
    assertThat(images(romashka)).containsExactly("https://shop.example.com/img/dress-01-1.jpg",
      "https://shop.example.com/img/dress-01-2.jpg");
    assertThat(romashka.text()).contains("Розміри: 98, 104, 110, 116, 122, 128 см", "Кольори: білий, рожевий");

    Answer size = say("Зріст 116 см");
    assertThat(size.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
    assertThat(size.intent()).isEqualTo(Intent.SIZE_HELP);
    assertThat(size.text()).isEqualTo("На зріст 116 см підійде розмір 116 ✅\nЯкий колір обираєте: білий, рожевий?");
    assertThat(size.fields()).isEmpty();

    Answer offer = say("Рожеву");
    assertThat(offer.stage()).isEqualTo(Stage.STATE_4_OFFER);
    assertThat(offer.intent()).isEqualTo(Intent.COLOR_HELP);
    assertThat(offer.text()).isEqualTo("Колір: рожевий ✅\nСукня «Ромашка», розмір 116, рожевий — 1250 грн. "
      + "Оформлюємо?");
    assertThat(offer.quickReplies()).containsExactly("Так, оформлюємо", "Інший розмір");
    assertThat(offer.addTags()).isEmpty();
  }

  /** The customer accepts with {@code yes}, gives the details with a wrong phone first, and confirms. */
  private String acceptAndConfirm(String yes) {
    Answer accepted = say(yes);
    assertThat(accepted.stage()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
    assertThat(accepted.intent()).isEqualTo(Intent.PAYMENT_DELIVERY);
    assertThat(accepted.step()).as("in STATE_4_OFFER a yes is PAYMENT_DELIVERY, which the router sends to payment")
      .isEqualTo(Step.PAYMENT);
    assertThat(accepted.fields()).containsExactly(Map.entry(Names.ORDER_SUM, "1250"));
    assertThat(accepted.addTags()).containsExactly(Names.ORDER_STARTED);
    assertThat(accepted.text()).startsWith("Чудово, оформлюємо: Сукня «Ромашка», розмір 116, рожевий — 1250 грн 🎉");
    assertThat(accepted.order()).isNull();

    Answer wrongPhone = say("Олена Петренко, 067 123 45, Київ, відділення 12");
    assertThat(wrongPhone.stage()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
    assertThat(wrongPhone.intent()).isEqualTo(Intent.PAYMENT_DELIVERY);
    assertThat(wrongPhone.step()).isEqualTo(Step.PAYMENT);
    assertThat(wrongPhone.text()).startsWith("Номер 067 123 45 схожий на помилковий");
    assertThat(wrongPhone.fields()).containsExactly(Map.entry(Names.CLIENT_NAME, "Олена Петренко"),
      Map.entry(Names.CLIENT_CITY, "Київ"), Map.entry(Names.CLIENT_NOVA_POSHTA, "12"));
    assertThat(wrongPhone.addTags()).isEmpty();

    Answer rightPhone = say("0671234567");
    assertThat(rightPhone.stage()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
    assertThat(rightPhone.intent()).isEqualTo(Intent.PAYMENT_DELIVERY);
    assertThat(rightPhone.fields()).containsExactly(Map.entry(Names.CLIENT_PHONE, "+380671234567"));
    assertThat(rightPhone.text()).startsWith("Перевірте, будь ласка, замовлення:").endsWith("Усе вірно?");
    assertThat(rightPhone.quickReplies()).containsExactly("Так, усе вірно", "Змінити дані");
    assertThat(rightPhone.order()).isNull();

    Answer confirmed = say("Так, все вірно");
    assertThat(confirmed.stage()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
    assertThat(confirmed.intent()).isEqualTo(Intent.PAYMENT_DELIVERY);
    assertThat(confirmed.fields()).isEmpty();
    assertThat(confirmed.addTags()).isEmpty();
    JsonObject order = confirmed.order();
    assertThat(order).isNotNull();
    String id = order.getString("id");
    assertThat(id).matches("M-[0-9A-F]{8}");
    assertThat(order.getString("status")).isEqualTo("confirmed");
    assertThat(order.getString("subscriberId")).isEqualTo("sub-1");
    assertThat(order.getInteger("sum")).isEqualTo(1250);
    assertThat(order.getJsonArray("lines")).isEqualTo(new JsonArray().add(new JsonObject().put("productId",
      "dress-01").put("name", "Сукня «Ромашка»").put("size", 116).put("color", "рожевий").put("price", 1250)));
    assertThat(order.getJsonObject("customer")).isEqualTo(new JsonObject().put("name", "Олена Петренко")
      .put("phone", "+380671234567").put("city", "Київ").put("novaPoshtaBranch", "12").put("instagramName", "Олена"));
    assertThat(confirmed.text()).contains("Замовлення " + id + " оформлено ✅ Сума до сплати: 1250 грн.",
      "передоплату 200 грн", "IBAN: UA213223130000026007233566001", "Призначення: оплата замовлення " + id,
      "скріншот");
    return id;
  }

  /** The screenshot: paid, and the one upsell suggestion. */
  private void payAndGetTheSuggestion(String id) {
    Answer paid = say("", SCREENSHOT);
    assertThat(paid.stage()).isEqualTo(Stage.STATE_6_UPSELL);
    assertThat(paid.step()).isEqualTo(Step.PAYMENT);
    assertThat(paid.intent()).isEqualTo(Intent.PAYMENT_DELIVERY);
    assertThat(paid.addTags()).containsExactly(Names.ORDER_PAID);
    assertThat(paid.fields()).isEmpty();
    assertThat(paid.order().getString("status")).isEqualTo("paid");
    assertThat(paid.order().getString("id")).isEqualTo(id);
    assertThat(paid.text()).isEqualTo("Дякую за оплату! 💛 Менеджер перевірить платіж, і замовлення " + id
      + " вирушить до вас Новою Поштою.\nДо речі, до замовлення чудово підійде Костюм «Капітан» — 1590 грн. Додати?");
    assertThat(images(paid)).containsExactly("https://shop.example.com/img/suit-01-1.jpg");
    assertThat(paid.quickReplies()).containsExactly("Так, додати", "Ні, дякую");
  }

  @Test
  void fromHelloToPaidOrderAndNoToTheUpsell() {
    browseToTheOffer();
    String id = acceptAndConfirm("беру");
    payAndGetTheSuggestion(id);

    Answer bye = say("Ні, дякую");
    assertThat(bye.stage()).isEqualTo(Stage.STATE_7_END);
    assertThat(bye.step()).isEqualTo(Step.UPSELL);
    assertThat(bye.text()).isEqualTo("Дякую за покупку! 💛 Гарного дня, звертайтеся ще.");
    assertThat(bye.addTags()).isEmpty();
    assertThat(bye.fields()).isEmpty();
    assertThat(bye.order()).isNull();
    assertThat(bye.conversation().cart()).hasSize(1);
    assertThat(bye.conversation().has(Conversation.ORDER_STARTED)).isFalse();

    Answer thanks = say("Дякую!");
    assertThat(thanks.stage()).isEqualTo(Stage.STATE_7_END);
    assertThat(thanks.intent()).isEqualTo(Intent.THANKYOU_SMALLTALK);
    assertThat(thanks.text()).isEqualTo("Будь ласка! 🌸 Звертайтеся, якщо щось знадобиться.");
    assertThat(thanks.addTags()).isEmpty();
  }

  @Test
  void yesInsteadOfTakeItAndYesToTheUpsellForATopUp() {
    browseToTheOffer();
    String id = acceptAndConfirm("так");
    payAndGetTheSuggestion(id);

    Answer added = say("Так");
    assertThat(added.stage()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
    assertThat(added.step()).isEqualTo(Step.UPSELL);
    assertThat(added.intent()).isEqualTo(Intent.PAYMENT_DELIVERY);
    assertThat(added.fields()).containsExactly(Map.entry(Names.LAST_PRODUCT, "Костюм «Капітан»"),
      Map.entry(Names.ORDER_SUM, "2840"));
    assertThat(added.addTags()).isEmpty();
    assertThat(added.text()).startsWith("Додала до замовлення " + id + ": Костюм «Капітан», розмір 116, синій — 1590 "
      + "грн. Разом: 2840 грн.\nДоплатіть, будь ласка, 1590 грн за тими ж реквізитами.");
    assertThat(added.order().getString("status")).isEqualTo("confirmed");
    assertThat(added.order().getInteger("sum")).isEqualTo(2840);
    assertThat(added.order().getJsonArray("lines")).hasSize(2);

    Answer paidAgain = say("", SCREENSHOT);
    assertThat(paidAgain.stage()).isEqualTo(Stage.STATE_7_END);
    assertThat(paidAgain.addTags()).containsExactly(Names.ORDER_PAID);
    assertThat(paidAgain.order().getString("status")).isEqualTo("paid");
    assertThat(paidAgain.text()).endsWith("Дякую за покупку! 💛 Гарного дня, звертайтеся ще.");
    assertThat(images(paidAgain)).isEmpty();
  }

  @Test
  void theSameTurnRunAgainGivesTheSameOrder() {
    browseToTheOffer();
    say("беру");
    say("Олена Петренко, 0671234567, Київ, 12");
    Conversation before = conversation;

    Answer first = graph.run(turn("так"), before);
    Answer again = graph.run(turn("так"), before);
    assertThat(again.order()).isEqualTo(first.order());
    assertThat(again.text()).isEqualTo(first.text());
  }

  @Test
  void complaintNeedsAHumanAndTheOrderGoesOnAfterwards() {
    browseToTheOffer();
    say("беру");

    Answer complaint = say("Минулого разу сукня прийшла порвана, хочу повернути гроші");
    assertThat(complaint.stage()).isEqualTo(Stage.STATE_8_COMPLAINT);
    assertThat(complaint.intent()).isEqualTo(Intent.COMPLAINT);
    assertThat(complaint.step()).isEqualTo(Step.ESCALATION);
    assertThat(complaint.escalation()).isEqualTo("complaint");
    assertThat(complaint.addTags()).containsExactly(Names.NEEDS_HUMAN);
    assertThat(complaint.text()).isEqualTo(SHOP.text("complaint"));
    assertThat(complaint.quickReplies()).isEmpty();
    assertThat(complaint.conversation().cart()).hasSize(1);

    Answer back = say("Олена Петренко, 0671234567, Київ, 12");
    assertThat(back.stage()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
    assertThat(back.step()).isEqualTo(Step.PAYMENT);
    assertThat(back.removeTags()).containsExactly(Names.NEEDS_HUMAN);
    assertThat(back.addTags()).isEmpty();
    assertThat(back.escalation()).isNull();
    assertThat(back.text()).startsWith("Перевірте, будь ласка, замовлення:");
  }

  @Test
  void abuseGetsThePoliteAnswerWithoutAPerson() {
    browseToTheOffer();

    Answer abuse = say("Ти дебіл");
    assertThat(abuse.step()).isEqualTo(Step.OUT_OF_DOMAIN);
    assertThat(abuse.text()).isEqualTo(SHOP.text("abuse"));
    assertThat(abuse.stage()).isEqualTo(Stage.STATE_4_OFFER);
    assertThat(abuse.addTags()).isEmpty();
    assertThat(abuse.escalation()).isNull();
    assertThat(abuse.conversation().history().get(abuse.conversation().history().size() - 2).text())
      .isEqualTo(Finisher.HIDDEN);
  }

  @Test
  void offTopicIsRedirectedToTheShopPolitely() {
    Answer a = say("Яка завтра погода в Києві?");

    // The polite redirect lists what the shop sells; no product, photo, tag or person is involved.
    assertThat(a.step()).isIn(Step.OUT_OF_DOMAIN, Step.DISCOVERY);
    assertThat(a.stage()).isIn(Stage.STATE_9_OOD, Stage.STATE_1_DISCOVERY);
    assertThat(a.text()).contains("сукні, костюми, тренчі");
    assertThat(images(a)).isEmpty();
    assertThat(a.addTags()).isEmpty();
    assertThat(a.fields()).isEmpty();
    assertThat(a.escalation()).isNull();
  }

  @Test
  void russianAndEnglishCustomersAreAnsweredInUkrainian() {
    Answer ru = say("Здравствуйте! Покажите платья");
    assertThat(ru.text()).startsWith("Вітаю, Олена! 🌸\nСукні — ось кілька моделей 👇");

    Answer en = say("Rain coat? I mean trench");
    assertThat(en.text()).startsWith("Тренчі — ось кілька моделей 👇");
    assertThat(en.text()).doesNotContainPattern("[a-zA-Zыэёъ]");
  }

  @Test
  void aPhotoBeforeAnyOrderShowsTheClosestProducts() {
    Answer a = say("Є таке плаття?", "https://cdn.example.com/customer.jpg");

    assertThat(a.step()).isEqualTo(Step.VISION);
    assertThat(a.stage()).isEqualTo(Stage.STATE_2_VISION);
    assertThat(a.intent()).isEqualTo(Intent.PHOTO_IDENT);
    assertThat(images(a)).containsExactly("https://shop.example.com/img/dress-01-1.jpg",
      "https://shop.example.com/img/dress-02-1.jpg", "https://shop.example.com/img/dress-03-1.jpg");
    assertThat(a.addTags()).isEmpty();
  }

  @Test
  void aTurnOutOfTimeGetsTheHonestTimeoutTextKeepsItsStageAndEscalates() throws Exception {
    browseToTheOffer();
    Conversation before = conversation;

    Answer late = graph.fallback(turn("Беру"), before, SalesGraph.TIMEOUT);

    assertThat(late.text()).isEqualTo(SHOP.text("timeout"));
    assertThat(late.step()).isEqualTo(Step.ESCALATION);
    assertThat(late.escalation()).isEqualTo(SalesGraph.TIMEOUT);
    assertThat(late.stage()).isEqualTo(before.stage());
    assertThat(late.intent()).isEqualTo(Intent.UNKNOWN_OR_EMPTY);
    assertThat(late.addTags()).containsExactly(Names.NEEDS_HUMAN);
    assertThat(late.order()).isNull();
    assertThat(late.conversation().has(Conversation.NEEDS_HUMAN)).isTrue();
    assertThat(late.conversation().history()).extracting(Conversation.Entry::text).endsWith("Беру",
      SHOP.text("timeout"));
    assertThat(graph.model()).isEqualTo("offline");
  }

  @Test
  void withoutEscalationOnFailureATimeoutIsAnsweredButNotTagged() throws Exception {
    SalesGraph quiet = new SalesGraph(() -> CATALOG, SHOP, new OfflineWriter(), new OfflineWriter(), 20, false);

    Answer late = quiet.fallback(turn("Привіт"), Conversation.empty(), SalesGraph.TIMEOUT);

    assertThat(late.text()).isEqualTo(SHOP.text("timeout"));
    assertThat(late.escalation()).isEqualTo(SalesGraph.TIMEOUT);
    assertThat(late.addTags()).isEmpty();
    assertThat(late.conversation().has(Conversation.NEEDS_HUMAN)).isFalse();
  }

  @Test
  void aCustomerWithoutAFirstNameIsGreetedByTheFirstWordOfTheirNameOrNotAtAll() {
    assertThat(SalesGraph.firstName(new Contact("Марія Коваль", null, "m", Map.of()))).isEqualTo("Марія");
    assertThat(SalesGraph.firstName(new Contact("  ", " ", "m", Map.of()))).isNull();
    assertThat(SalesGraph.firstName(new Contact(null, " Ірина ", "m", Map.of()))).isEqualTo("Ірина");
    assertThat(SalesGraph.firstName(null)).isNull();
  }
}
