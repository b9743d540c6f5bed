package ai.mirt.agent;

import ai.mirt.common.OutMessage;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class OfflineWriterTest {

  static final Catalog CATALOG = Catalog.load("../conf/catalog.json");
  static final Shop SHOP = Shop.load("../conf/shop.yaml");

  private static final String DETAILS = """
    Реквізити для оплати:
    Отримувач: ФОП Мирна Олена Петрівна
    IBAN: UA213223130000026007233566001
    Призначення: оплата замовлення %s""";
  private static final Conversation.Line ROMASHKA = new Conversation.Line("dress-01", "Сукня «Ромашка»", 116,
    "рожевий", 1250);
  private static final Conversation.Client OLENA = new Conversation.Client("Олена Петренко", "+380671234567", "Київ",
    "12");

  private final OfflineWriter writer = new OfflineWriter();

  // --- helpers -------------------------------------------------------------------------------------------------

  private Draft write(Step step, String text, Conversation c) {
    return write(step, text, c, Intent.UNKNOWN_OR_EMPTY);
  }

  private Draft write(Step step, String text, Conversation c, Intent intent) {
    return writer.write(step, new TurnContext(text, List.of(), "Олена", intent, Moderation.OK, c, CATALOG, SHOP,
      List.of(), null));
  }

  private Draft photo(Step step, String caption, Conversation c) {
    return writer.write(step, new TurnContext(caption, List.of("https://cdn.example.com/p.jpg"), null,
      Intent.PHOTO_IDENT, Moderation.OK, c, CATALOG, SHOP, List.of(), null));
  }

  private static Conversation at(Stage stage) {
    return Conversation.empty().toBuilder().stage(stage).history(List.of(new Conversation.Entry("user", "…"),
      new Conversation.Entry("assistant", "…"))).build();
  }

  private static Conversation focused(String productId, Integer size, String color, Stage stage) {
    return at(stage).toBuilder().focus(productId).size(size).color(color).build();
  }

  private static Conversation offered() {
    return focused("dress-01", 116, "рожевий", Stage.STATE_4_OFFER);
  }

  private static Conversation collecting(Conversation.Client client) {
    return focused("dress-01", 116, "рожевий", Stage.STATE_5_PAYMENT_DELIVERY).toBuilder().cart(List.of(ROMASHKA))
      .client(client).build();
  }

  private static Conversation awaiting() {
    return collecting(OLENA).toBuilder().flag(Conversation.AWAITING_CONFIRMATION, true).build();
  }

  private static Conversation confirmed() {
    return collecting(OLENA).toBuilder().order("M-12345678", Conversation.CONFIRMED).build();
  }

  private static Conversation upsellOffered() {
    return confirmed().toBuilder().order("M-12345678", Conversation.PAID).stage(Stage.STATE_6_UPSELL)
      .shown(List.of("suit-01"), "dress-01").flag(Conversation.UPSELL_OFFERED, true).build();
  }

  static String text(Draft d) {
    return d.messages().stream().filter(m -> m.kind() == OutMessage.Kind.TEXT).map(OutMessage::value)
      .collect(Collectors.joining("\n"));
  }

  static List<String> images(Draft d) {
    return d.messages().stream().filter(m -> m.kind() == OutMessage.Kind.IMAGE).map(OutMessage::value).toList();
  }

  private static final Pattern UAH = Pattern.compile("(\\d+) грн");

  /** Every product, photo and sum in the draft is the catalog's or one of the amounts the draft declares. */
  static void assertCatalogOnly(Draft d) {
    Set<String> photos = CATALOG.products().stream().flatMap(p -> p.photos().stream()).collect(Collectors.toSet());
    assertThat(images(d)).allMatch(photos::contains);
    assertThat(d.productIds()).allMatch(id -> CATALOG.product(id).isPresent());
    Set<Integer> prices = d.productIds().stream().map(id -> CATALOG.product(id).orElseThrow().price())
      .collect(Collectors.toSet());
    Matcher m = UAH.matcher(text(d));
    while (m.find()) {
      int sum = Integer.parseInt(m.group(1));
      assertThat(prices.contains(sum) || d.amounts().contains(sum)).as("%d грн in %s", sum, text(d)).isTrue();
    }
    // Ukrainian whatever the customer wrote: no Russian letters.
    assertThat(text(d)).doesNotContainPattern("[ыэёъЫЭЁЪ]");
  }

  // --- discovery -----------------------------------------------------------------------------------------------

  @Test
  void greetingNamesTheCustomerAndTheCategories() {
    Draft d = write(Step.DISCOVERY, "Привіт!", Conversation.empty(), Intent.GREETING_ONLY);

    assertThat(d.messages()).containsExactly(OutMessage.text("Вітаю, Олена! 🌸\nЯ допоможу підібрати одяг для вашої "
      + "дитини. У нас є сукні, костюми, тренчі. Що вас цікавить?"));
    assertThat(d.stage()).isEqualTo(Stage.STATE_1_DISCOVERY);
    assertThat(d.intent()).isNull();
    assertThat(d.escalation()).isNull();
    assertThat(d.quickReplies()).isNull();
    assertThat(d.conversation().customerName()).isEqualTo("Олена");
  }

  @Test
  void greetingWithoutANameStillGreets() {
    Draft d = writer.write(Step.DISCOVERY, new TurnContext("Добрий день", List.of(), " ", Intent.GREETING_ONLY,
      Moderation.OK, Conversation.empty(), CATALOG, SHOP, List.of(), null));

    assertThat(text(d)).isEqualTo("Вітаю! 🌸\nЯ допоможу підібрати одяг для вашої дитини. У нас є сукні, костюми, "
      + "тренчі. Що вас цікавить?");
    assertThat(d.conversation().customerName()).isNull();
  }

  @Test
  void greetingUsesTheRememberedNameWhenManyChatSendsNone() {
    Conversation c = Conversation.empty().toBuilder().customerName("Ірина").build();
    Draft d = writer.write(Step.DISCOVERY, new TurnContext("hello", List.of(), null, Intent.GREETING_ONLY,
      Moderation.OK, c, CATALOG, SHOP, List.of(), null));

    assertThat(text(d)).startsWith("Вітаю, Ірина! 🌸\n");
    assertThat(d.conversation().customerName()).isEqualTo("Ірина");
  }

  @Test
  void categoryShowsThreeProductsEachWithPriceAndFirstPhoto() {
    Draft d = write(Step.DISCOVERY, "Покажіть сукні", at(Stage.STATE_1_DISCOVERY));

    assertThat(d.messages()).containsExactly(
      OutMessage.text("Сукні — ось кілька моделей 👇\nСукня «Ромашка» — 1250 грн"),
      OutMessage.image("https://shop.example.com/img/dress-01-1.jpg"),
      OutMessage.text("Сукня «Веселка» — 1390 грн"),
      OutMessage.image("https://shop.example.com/img/dress-02-1.jpg"),
      OutMessage.text("Сукня «Мальва» — 1490 грн"),
      OutMessage.image("https://shop.example.com/img/dress-03-1.jpg"),
      OutMessage.text("Яка модель сподобалася? Напишіть її назву — розповім про розміри й кольори."));
    assertThat(d.productIds()).containsExactly("dress-01", "dress-02", "dress-03");
    assertThat(d.conversation().shownProductIds()).containsExactly("dress-01", "dress-02", "dress-03");
    assertThat(d.conversation().focusProductId()).isNull();
    assertThat(d.stage()).isEqualTo(Stage.STATE_1_DISCOVERY);
    assertCatalogOnly(d);
  }

  @Test
  void categoryShowsTheModelsInTheChildsSizeAndColourFirst() {
    assertThat(write(Step.DISCOVERY, "сукні на 134 см", at(Stage.STATE_1_DISCOVERY)).productIds())
      .containsExactly("dress-03", "dress-05");
    assertThat(write(Step.DISCOVERY, "рожеві сукні", at(Stage.STATE_1_DISCOVERY)).productIds())
      .containsExactly("dress-01", "dress-03");
    // Nothing matches: the first ones of the category rather than nothing.
    assertThat(write(Step.DISCOVERY, "тренчі на 92 см", at(Stage.STATE_1_DISCOVERY)).productIds())
      .containsExactly("trench-01", "trench-02", "trench-03");
  }

  @Test
  void theFocusedProductsCategoryAskedAgainIsListedButWithAColourItIsTheChoice() {
    Conversation c = focused("dress-01", 116, null, Stage.STATE_3_SIZE_COLOR);

    Draft more = write(Step.DISCOVERY, "а які ще є сукні?", c);
    assertThat(more.productIds()).containsExactly("dress-01", "dress-02", "dress-03");
    assertThat(more.stage()).isEqualTo(Stage.STATE_1_DISCOVERY);

    Draft pink = write(Step.DISCOVERY, "рожеву сукню", c);
    assertThat(pink.conversation().color()).isEqualTo("рожевий");
    assertThat(pink.stage()).isEqualTo(Stage.STATE_4_OFFER);
  }

  @Test
  void anotherCategoryWhileAProductIsFocusedListsIt() {
    Draft d = write(Step.DISCOVERY, "а костюми на 116 см?", focused("dress-01", 116, null, Stage.STATE_3_SIZE_COLOR));

    assertThat(d.productIds()).containsExactly("suit-01", "suit-02", "suit-03");
    assertThat(d.conversation().focusProductId()).isNull();
    assertThat(d.stage()).isEqualTo(Stage.STATE_1_DISCOVERY);
  }

  @Test
  void productByNameShowsItsCardAndPhotosAndAsksForSizeAndColour() {
    Draft d = write(Step.DISCOVERY, "Розкажіть про Ромашку", at(Stage.STATE_1_DISCOVERY));

    assertThat(d.messages()).containsExactly(
      OutMessage.text("""
        Сукня «Ромашка» — 1250 грн
        Легка бавовняна сукня з ніжною вишивкою ромашок для теплих днів.
        Розміри: 98, 104, 110, 116, 122, 128 см
        Кольори: білий, рожевий"""),
      OutMessage.image("https://shop.example.com/img/dress-01-1.jpg"),
      OutMessage.image("https://shop.example.com/img/dress-01-2.jpg"),
      OutMessage.text("Підкажіть, будь ласка, зріст дитини та колір (білий, рожевий) — підберу розмір 🙂"));
    assertThat(d.conversation().focusProductId()).isEqualTo("dress-01");
    assertThat(d.conversation().size()).isNull();
    assertThat(d.conversation().color()).isNull();
    assertThat(d.productIds()).containsExactly("dress-01");
    assertThat(d.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
    assertCatalogOnly(d);
  }

  @Test
  void anotherProductForgetsTheSizeAndColourOfTheLast() {
    Draft d = write(Step.DISCOVERY, "а Веселка?", focused("dress-01", 116, "рожевий", Stage.STATE_4_OFFER));

    assertThat(d.conversation().focusProductId()).isEqualTo("dress-02");
    assertThat(d.conversation().size()).isNull();
    assertThat(d.conversation().color()).isNull();
    assertThat(d.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
  }

  @Test
  void theSameProductNamedAgainKeepsWhatWasChosen() {
    Draft d = write(Step.DISCOVERY, "Ромашка рожева", focused("dress-01", 116, null, Stage.STATE_3_SIZE_COLOR));

    assertThat(text(d)).isEqualTo("Колір: рожевий ✅\nСукня «Ромашка», розмір 116, рожевий — 1250 грн. Оформлюємо?");
    assertThat(images(d)).isEmpty();
    assertThat(d.stage()).isEqualTo(Stage.STATE_4_OFFER);
  }

  @Test
  void heightGivesTheSizeByTheChartAndAsksForTheColour() {
    Draft d = write(Step.DISCOVERY, "Зріст 116 см", focused("dress-01", null, null, Stage.STATE_3_SIZE_COLOR),
      Intent.SIZE_HELP);

    assertThat(text(d)).isEqualTo("На зріст 116 см підійде розмір 116 ✅\nЯкий колір обираєте: білий, рожевий?");
    assertThat(d.conversation().size()).isEqualTo(116);
    assertThat(d.conversation().color()).isNull();
    assertThat(d.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
  }

  @Test
  void heightAtTheLowerEdgeOfARowTakesThatRowsSize() {
    assertThat(write(Step.DISCOVERY, "111 см", focused("dress-01", null, null, Stage.STATE_3_SIZE_COLOR))
      .conversation().size()).isEqualTo(116);
    assertThat(write(Step.DISCOVERY, "110 см", focused("dress-01", null, null, Stage.STATE_3_SIZE_COLOR))
      .conversation().size()).isEqualTo(110);
  }

  @Test
  void sizeTooBigIsSaidAndModelsInThatSizeAreShownOwnCategoryFirst() {
    Draft d = write(Step.DISCOVERY, "зріст 140", focused("dress-01", 110, "білий", Stage.STATE_3_SIZE_COLOR));

    assertThat(d.messages().get(0)).isEqualTo(OutMessage.text(
      "На зріст 140 см потрібен розмір 140, а Сукня «Ромашка», на жаль, буває лише до розміру 128 😔\n"
        + "Розмір 140 є в цих моделях 👇\nСукня «Вишиванка» — 1690 грн"));
    assertThat(images(d)).containsExactly("https://shop.example.com/img/dress-05-1.jpg",
      "https://shop.example.com/img/suit-02-1.jpg", "https://shop.example.com/img/trench-03-1.jpg");
    assertThat(d.conversation().size()).isNull();
    assertThat(d.conversation().color()).isEqualTo("білий");
    assertThat(d.conversation().focusProductId()).isEqualTo("dress-01");
    assertThat(d.conversation().shownProductIds()).containsExactly("dress-05", "suit-02", "trench-03");
    assertThat(d.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
    assertThat(text(d)).doesNotContain("Оформлюємо");
    assertCatalogOnly(d);
  }

  @Test
  void sizeTooSmallNamesTheSmallestSize() {
    Draft d = write(Step.DISCOVERY, "зріст 95", focused("dress-03", null, null, Stage.STATE_3_SIZE_COLOR));

    assertThat(text(d)).startsWith("На зріст 95 см потрібен розмір 98, а Сукня «Мальва», на жаль, буває лише від "
      + "розміру 104 😔\nРозмір 98 є в цих моделях 👇");
    assertThat(d.productIds()).containsExactly("dress-03", "dress-01", "dress-02", "dress-04");
    assertThat(d.conversation().size()).isNull();
  }

  @Test
  void alternativesOfTheSameCategoryComeBeforeOthers() {
    Draft d = write(Step.DISCOVERY, "зріст 100", focused("trench-03", null, null, Stage.STATE_3_SIZE_COLOR));

    assertThat(d.productIds()).containsExactly("trench-03", "trench-01", "trench-02", "dress-01");
  }

  @Test
  void sizeMissingEverywhereShowsNoAlternatives() {
    Draft d = write(Step.DISCOVERY, "зріст 150", focused("dress-01", null, null, Stage.STATE_3_SIZE_COLOR));

    assertThat(text(d)).isEqualTo("На зріст 150 см потрібен розмір 152, а Сукня «Ромашка», на жаль, буває лише до "
      + "розміру 128 😔");
    assertThat(images(d)).isEmpty();
  }

  @Test
  void heightOutsideTheChartIsSaidAndTheSizeKept() {
    Draft d = write(Step.DISCOVERY, "зріст 170", focused("dress-01", 116, null, Stage.STATE_3_SIZE_COLOR));

    assertThat(text(d)).isEqualTo("Для зросту 170 см у нашій розмірній сітці немає розміру 😔 У нас є одяг на зріст "
      + "від 81 до 152 см.");
    assertThat(d.conversation().size()).isEqualTo(116);
    assertThat(d.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
  }

  @Test
  void colourWithSizeKnownMakesTheOffer() {
    Draft d = write(Step.DISCOVERY, "Рожеву", focused("dress-01", 116, null, Stage.STATE_3_SIZE_COLOR),
      Intent.COLOR_HELP);

    assertThat(d.messages()).containsExactly(OutMessage.text("Колір: рожевий ✅\n"
      + "Сукня «Ромашка», розмір 116, рожевий — 1250 грн. Оформлюємо?"));
    assertThat(d.conversation().color()).isEqualTo("рожевий");
    assertThat(d.conversation().size()).isEqualTo(116);
    assertThat(d.stage()).isEqualTo(Stage.STATE_4_OFFER);
    assertThat(d.productIds()).containsExactly("dress-01");
    assertCatalogOnly(d);
  }

  @Test
  void colourFirstThenTheSizeIsAskedFor() {
    Draft d = write(Step.DISCOVERY, "білу", focused("dress-01", null, null, Stage.STATE_3_SIZE_COLOR));

    assertThat(text(d)).isEqualTo("Колір: білий ✅\nПідкажіть, будь ласка, зріст дитини — підберу розмір за "
      + "таблицею 🙂");
    assertThat(d.conversation().color()).isEqualTo("білий");
    assertThat(d.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
  }

  @Test
  void colourTheProductLacksIsSaidAndNotRemembered() {
    Draft d = write(Step.DISCOVERY, "а блакитна є?", focused("dress-01", 116, null, Stage.STATE_3_SIZE_COLOR));

    assertThat(text(d)).isEqualTo("На жаль, Сукня «Ромашка» не буває в кольорі «блакитний» 😔 Є такі кольори: білий, "
      + "рожевий.\nЯкий колір обираєте: білий, рожевий?");
    assertThat(d.conversation().color()).isNull();
    assertThat(d.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
  }

  @Test
  void theFirstNamedColourTheProductHasIsTaken() {
    Draft d = write(Step.DISCOVERY, "блакитна або рожева", focused("dress-01", 116, null, Stage.STATE_3_SIZE_COLOR));

    assertThat(d.conversation().color()).isEqualTo("рожевий");
  }

  @Test
  void heightAndColourInOneMessageGoStraightToTheOffer() {
    Draft d = write(Step.DISCOVERY, "Ромашка на зріст 116, рожева", at(Stage.STATE_1_DISCOVERY));

    assertThat(d.messages()).hasSize(4);
    assertThat(d.messages().get(3)).isEqualTo(OutMessage.text("На зріст 116 см підійде розмір 116 ✅\n"
      + "Колір: рожевий ✅\nСукня «Ромашка», розмір 116, рожевий — 1250 грн. Оформлюємо?"));
    assertThat(d.stage()).isEqualTo(Stage.STATE_4_OFFER);
  }

  @Test
  void russianAndEnglishCustomersGetTheSameUkrainianAnswers() {
    Conversation c = focused("dress-01", null, null, Stage.STATE_3_SIZE_COLOR);
    Draft uk = write(Step.DISCOVERY, "зріст 116, рожева", c);
    Draft ru = write(Step.DISCOVERY, "рост 116, розовое", c);
    Draft en = write(Step.DISCOVERY, "height 116 cm, pink", c);

    assertThat(ru.messages()).isEqualTo(uk.messages());
    assertThat(en.messages()).isEqualTo(uk.messages());
    assertThat(text(uk)).endsWith("Сукня «Ромашка», розмір 116, рожевий — 1250 грн. Оформлюємо?");

    Draft ukList = write(Step.DISCOVERY, "Привіт! Покажіть сукні", Conversation.empty());
    assertThat(write(Step.DISCOVERY, "Привет! Покажите платья", Conversation.empty()).messages())
      .isEqualTo(ukList.messages());
    assertThat(write(Step.DISCOVERY, "Hi! Show me dresses", Conversation.empty()).messages())
      .isEqualTo(ukList.messages());
    assertThat(text(ukList)).startsWith("Вітаю, Олена! 🌸\nСукні — ось кілька моделей 👇");
    assertCatalogOnly(ukList);
  }

  @Test
  void colourWithoutAProductShowsTheModelsInIt() {
    Draft d = write(Step.DISCOVERY, "Є щось рожеве?", at(Stage.STATE_1_DISCOVERY));

    assertThat(text(d)).startsWith("У кольорі «рожевий» є такі моделі 👇\nСукня «Ромашка» — 1250 грн");
    assertThat(d.productIds()).containsExactly("dress-01", "dress-03", "suit-04");
    assertThat(text(d)).endsWith("Яка модель сподобалася? Напишіть її назву — розповім про розміри й кольори.");
    assertThat(d.stage()).isEqualTo(Stage.STATE_1_DISCOVERY);
    assertCatalogOnly(d);
  }

  @Test
  void heightWithoutAProductGivesTheSizeAndAsksWhatToShow() {
    Draft d = write(Step.DISCOVERY, "Зріст 104 см", at(Stage.STATE_1_DISCOVERY));

    assertThat(text(d)).isEqualTo("На зріст 104 см підійде розмір 104.\nЩо підібрати для вашої дитини: сукні, "
      + "костюми, тренчі?");
    assertThat(d.stage()).isEqualTo(Stage.STATE_1_DISCOVERY);
    assertThat(write(Step.DISCOVERY, "зріст 180", at(Stage.STATE_1_DISCOVERY)).messages())
      .containsExactly(OutMessage.text("Що підібрати для вашої дитини: сукні, костюми, тренчі?"));
  }

  @Test
  void declinedOfferAsksWhatElseAndKeepsTheProduct() {
    Draft d = write(Step.OFFER, "ні", offered());

    assertThat(text(d)).isEqualTo("Гаразд 🙂 Можу підібрати інший розмір, колір чи модель — що підказати?");
    assertThat(d.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
    assertThat(d.conversation().focusProductId()).isEqualTo("dress-01");
    assertThat(d.conversation().cart()).isEmpty();
  }

  @Test
  void noWithAnotherColourAtTheOfferChangesTheOffer() {
    Draft d = write(Step.OFFER, "ні, білу", offered());

    assertThat(text(d)).isEqualTo("Колір: білий ✅\nСукня «Ромашка», розмір 116, білий — 1250 грн. Оформлюємо?");
    assertThat(d.stage()).isEqualTo(Stage.STATE_4_OFFER);
  }

  @Test
  void noOutsideTheOfferIsNotADeclinedOffer() {
    Draft d = write(Step.DISCOVERY, "ні", focused("dress-01", 116, "рожевий", Stage.STATE_3_SIZE_COLOR));

    assertThat(text(d)).isEqualTo("Не зовсім зрозуміла 🙂\nСукня «Ромашка», розмір 116, рожевий — 1250 грн. "
      + "Оформлюємо?");
  }

  @Test
  void anotherSizeForgetsTheSizeAndAsksForTheHeight() {
    Draft d = write(Step.DISCOVERY, "Інший розмір", offered(), Intent.SIZE_HELP);

    assertThat(text(d)).isEqualTo("Підкажіть, будь ласка, зріст дитини — підберу розмір за таблицею 🙂");
    assertThat(d.conversation().size()).isNull();
    assertThat(d.conversation().color()).isEqualTo("рожевий");
    assertThat(d.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
  }

  @Test
  void sizeWordWithoutAProductIsNoSizeQuestion() {
    Draft d = write(Step.DISCOVERY, "який розмір?", at(Stage.STATE_1_DISCOVERY));

    assertThat(text(d)).startsWith("Підкажіть, будь ласка, що шукаєте: сукні, костюми, тренчі?");
  }

  @Test
  void deliveryQuestionEarlyIsAnsweredAndTheSaleGoesOn() {
    Draft d = write(Step.DISCOVERY, "Як доставляєте?", at(Stage.STATE_0_INIT), Intent.PAYMENT_DELIVERY);

    assertThat(text(d)).isEqualTo("Доставляємо Новою Поштою по всій Україні, доставку оплачує отримувач за тарифами "
      + "перевізника.\nЩо підібрати для вашої дитини: сукні, костюми, тренчі?");
    assertThat(d.stage()).isEqualTo(Stage.STATE_1_DISCOVERY);
  }

  @Test
  void paymentQuestionNamesThePrepaymentAsADeclaredAmount() {
    Draft d = write(Step.OFFER, "Можна з передоплатою?", focused("dress-01", 116, null, Stage.STATE_3_SIZE_COLOR));

    assertThat(text(d)).isEqualTo("Оплата на рахунок: повна сума або передоплата 200 грн, а решта — при отриманні.\n"
      + "Який колір обираєте: білий, рожевий?");
    assertThat(d.amounts()).containsExactly(200);
    assertCatalogOnly(d);
  }

  @Test
  void paymentQuestionWithoutPrepaymentSaysFullPayment() throws Exception {
    Shop full = shop(json -> json.getJsonObject("payment").put("prepayment", 0));
    Draft d = writer.write(Step.DISCOVERY, new TurnContext("як оплатити?", List.of(), null, Intent.PAYMENT_DELIVERY,
      Moderation.OK, at(Stage.STATE_1_DISCOVERY), CATALOG, full, List.of(), null));

    assertThat(text(d)).startsWith("Оплата на рахунок, повною сумою перед відправкою.\n");
    assertThat(d.amounts()).isEmpty();
  }

  @Test
  void deliveryAndPaymentInOneQuestionAreBothAnswered() {
    Draft d = write(Step.DISCOVERY, "Дякую! А доставка і оплата як?", at(Stage.STATE_1_DISCOVERY));

    assertThat(text(d)).isEqualTo("Доставляємо Новою Поштою по всій Україні, доставку оплачує отримувач за тарифами "
      + "перевізника.\nОплата на рахунок: повна сума або передоплата 200 грн, а решта — при отриманні.\n"
      + "Що підібрати для вашої дитини: сукні, костюми, тренчі?");
  }

  @Test
  void deliveryQuestionAtACompleteChoiceRepeatsTheOffer() {
    Draft d = write(Step.OFFER, "Доставка", focused("dress-01", 116, "рожевий", Stage.STATE_3_SIZE_COLOR),
      Intent.PAYMENT_DELIVERY);

    assertThat(text(d)).endsWith("перевізника.\nСукня «Ромашка», розмір 116, рожевий — 1250 грн. Оформлюємо?");
    assertThat(d.stage()).isEqualTo(Stage.STATE_4_OFFER);
  }

  @Test
  void thanksIsAnsweredAndTheStageKept() {
    assertThat(write(Step.DISCOVERY, "Дякую!", at(Stage.STATE_7_END)).stage()).isEqualTo(Stage.STATE_7_END);
    Draft d = write(Step.DISCOVERY, "спасибо", Conversation.empty());
    assertThat(text(d)).isEqualTo("Будь ласка! 🌸 Звертайтеся, якщо щось знадобиться.");
    assertThat(d.stage()).isEqualTo(Stage.STATE_1_DISCOVERY);
    assertThat(write(Step.DISCOVERY, "дякую", offered()).stage()).isEqualTo(Stage.STATE_4_OFFER);
  }

  @Test
  void unknownTextGetsAHelpfulPromptWithTheCategories() {
    Draft d = write(Step.DISCOVERY, "???", at(Stage.STATE_1_DISCOVERY));

    assertThat(text(d)).isEqualTo("Підкажіть, будь ласка, що шукаєте: сукні, костюми, тренчі? Можу також підібрати "
      + "розмір за зростом дитини 🙂");
    assertThat(d.stage()).isEqualTo(Stage.STATE_1_DISCOVERY);
  }

  @Test
  void unknownTextAboutAFocusedProductAsksForWhatIsMissing() {
    Draft d = write(Step.DISCOVERY, "хм", focused("dress-01", null, "білий", Stage.STATE_3_SIZE_COLOR));

    assertThat(text(d)).isEqualTo("Не зовсім зрозуміла 🙂\nПідкажіть, будь ласка, зріст дитини — підберу розмір за "
      + "таблицею 🙂");
    assertThat(d.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
  }

  @Test
  void greetingInTheMiddleGreetsAndContinues() {
    Draft withProduct = write(Step.DISCOVERY, "Добрий вечір", focused("dress-01", 116, null,
      Stage.STATE_3_SIZE_COLOR), Intent.GREETING_ONLY);
    assertThat(text(withProduct)).isEqualTo("Вітаю, Олена! 🌸\nЯкий колір обираєте: білий, рожевий?");

    Draft without = write(Step.DISCOVERY, "привіт", at(Stage.STATE_7_END), Intent.GREETING_ONLY);
    assertThat(text(without)).isEqualTo("Вітаю, Олена! 🌸\nЩо підібрати для вашої дитини: сукні, костюми, тренчі?");
    assertThat(without.stage()).isEqualTo(Stage.STATE_1_DISCOVERY);
  }

  @Test
  void offerStepWithEverythingChosenWritesTheOffer() {
    Draft d = write(Step.OFFER, "", focused("dress-04", 98, "білий", Stage.STATE_3_SIZE_COLOR));

    assertThat(text(d)).isEqualTo("Не зовсім зрозуміла 🙂\nСукня «Незабудка», розмір 98, білий — 1150 грн. "
      + "Оформлюємо?");
    assertThat(d.stage()).isEqualTo(Stage.STATE_4_OFFER);
    assertThat(d.productIds()).containsExactly("dress-04");
  }

  @Test
  void offerStepWithBothMissingAsksForBoth() {
    Draft d = write(Step.OFFER, "хочу", focused("suit-03", null, null, Stage.STATE_1_DISCOVERY));

    assertThat(text(d)).endsWith("Підкажіть, будь ласка, зріст дитини та колір (зелений, бежевий) — підберу розмір 🙂");
    assertThat(d.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
  }

  @Test
  void aProductInOneColourNeedsNoColourQuestion() {
    Catalog one = new Catalog(CATALOG.categories(), List.of(new Catalog.Product("p-1", "Сукня «Одна»", "dresses", 900,
      List.of(110, 116), List.of("білий"), List.of("https://shop.example.com/img/p-1.jpg"), "Опис.")));
    Draft d = writer.write(Step.DISCOVERY, new TurnContext("Одна, зріст 116", List.of(), null, Intent.SIZE_HELP,
      Moderation.OK, at(Stage.STATE_1_DISCOVERY), one, SHOP, List.of(), null));

    assertThat(text(d)).endsWith("Сукня «Одна», розмір 116, білий — 900 грн. Оформлюємо?");
    assertThat(d.conversation().color()).isEqualTo("білий");
  }

  // --- accepting the offer ---------------------------------------------------------------------------------------

  @Test
  void yesToTheOfferPutsTheLineInTheCartAndAsksForTheDeliveryDetails() {
    Draft d = write(Step.OFFER, "Беру", offered());

    assertThat(d.messages()).containsExactly(OutMessage.text("Чудово, оформлюємо: Сукня «Ромашка», розмір 116, "
      + "рожевий — 1250 грн 🎉\nДля відправки Новою Поштою напишіть, будь ласка: ім'я та прізвище отримувача, номер "
      + "телефону, місто, номер відділення Нової Пошти."));
    assertThat(d.conversation().cart()).containsExactly(ROMASHKA);
    assertThat(d.stage()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
    assertThat(d.intent()).isEqualTo(Intent.PAYMENT_DELIVERY);
    assertThat(d.quickReplies()).isEmpty();
    assertThat(d.conversation().orderId()).isNull();
    assertThat(d.conversation().has(Conversation.AWAITING_CONFIRMATION)).isFalse();
    assertCatalogOnly(d);
  }

  @Test
  void yesIsUnderstoodWhicheverNodeTheTurnWentTo() {
    for (Step step : List.of(Step.DISCOVERY, Step.OFFER, Step.PAYMENT)) {
      for (String yes : List.of("так", "Так, оформлюємо", "да", "yes", "беру рожеву")) {
        Draft d = write(step, yes, offered());
        assertThat(d.stage()).as("%s %s", step, yes).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
        assertThat(d.conversation().cart()).as("%s %s", step, yes).containsExactly(ROMASHKA);
      }
    }
  }

  @Test
  void yesWithAChangeChangesTheOfferInstead() {
    Draft colour = write(Step.OFFER, "так, але в білому", offered());
    assertThat(colour.stage()).isEqualTo(Stage.STATE_4_OFFER);
    assertThat(colour.conversation().color()).isEqualTo("білий");
    assertThat(colour.conversation().cart()).isEmpty();
    assertThat(text(colour)).endsWith("Сукня «Ромашка», розмір 116, білий — 1250 грн. Оформлюємо?");

    assertThat(write(Step.OFFER, "так, на 122 см", offered()).conversation().size()).isEqualTo(122);
    assertThat(write(Step.OFFER, "так, а Веселка?", offered()).conversation().focusProductId()).isEqualTo("dress-02");
    assertThat(write(Step.OFFER, "так, а костюми?", offered()).conversation().cart()).isEmpty();
    assertThat(write(Step.OFFER, "так, сукню оформлюємо", offered()).conversation().cart())
      .containsExactly(ROMASHKA);
  }

  @Test
  void yesBeforeTheOfferIsNoOrder() {
    Draft early = write(Step.DISCOVERY, "так", focused("dress-01", 116, "рожевий", Stage.STATE_3_SIZE_COLOR));
    assertThat(early.conversation().cart()).isEmpty();
    assertThat(early.stage()).isEqualTo(Stage.STATE_4_OFFER);

    Draft incomplete = write(Step.OFFER, "так", focused("dress-01", 116, null, Stage.STATE_4_OFFER));
    assertThat(incomplete.conversation().cart()).isEmpty();
    assertThat(text(incomplete)).endsWith("Який колір обираєте: білий, рожевий?");
  }

  @Test
  void deliveryQuestionAtTheOfferIsAnsweredWithoutOrdering() {
    Draft d = write(Step.PAYMENT, "А доставка скільки коштує?", offered(), Intent.PAYMENT_DELIVERY);

    assertThat(text(d)).startsWith("Доставляємо Новою Поштою");
    assertThat(text(d)).endsWith("Оформлюємо?");
    assertThat(d.stage()).isEqualTo(Stage.STATE_4_OFFER);
    assertThat(d.conversation().cart()).isEmpty();
    assertThat(d.intent()).isNull();
  }

  @Test
  void aReturningCustomerStartsANewOrderWithTheKnownDetails() {
    Conversation c = upsellOffered().toBuilder().stage(Stage.STATE_4_OFFER).focus("dress-04").size(110).color("білий")
      .build();
    Draft d = write(Step.OFFER, "беру", c);

    Conversation.Line line = new Conversation.Line("dress-04", "Сукня «Незабудка»", 110, "білий", 1150);
    assertThat(d.conversation().cart()).containsExactly(line);
    assertThat(d.conversation().orderId()).isNull();
    assertThat(d.conversation().orderStatus()).isNull();
    assertThat(d.conversation().has(Conversation.UPSELL_OFFERED)).isFalse();
    assertThat(d.conversation().has(Conversation.AWAITING_CONFIRMATION)).isTrue();
    assertThat(text(d)).contains("Перевірте, будь ласка, замовлення:\nСукня «Незабудка», розмір 110, білий — 1150 грн"
      + "\nСума: 1150 грн\nОтримувач: Олена Петренко");
  }

  @Test
  void anUnconfirmedCartGetsTheNewLineOnceOnly() {
    Conversation.Line kapitan = new Conversation.Line("suit-01", "Костюм «Капітан»", 116, "синій", 1590);
    Conversation c = offered().toBuilder().cart(List.of(kapitan)).build();

    Draft d = write(Step.OFFER, "так", c);
    assertThat(d.conversation().cart()).containsExactly(kapitan, ROMASHKA);
    assertThat(write(Step.OFFER, "так", d.conversation().toBuilder().stage(Stage.STATE_4_OFFER).build())
      .conversation().cart()).containsExactly(kapitan, ROMASHKA);
  }

  // --- delivery details ----------------------------------------------------------------------------------------

  @Test
  void wrongPhoneIsNamedAndTheRestKept() {
    Draft d = write(Step.PAYMENT, "Олена Петренко, 067 123 45, Київ, відділення 12", collecting(
      Conversation.Client.EMPTY));

    assertThat(d.messages()).containsExactly(OutMessage.text("Номер 067 123 45 схожий на помилковий 🙏 Напишіть, будь "
      + "ласка, український мобільний номер, наприклад 067 123 45 67."));
    assertThat(d.conversation().client()).isEqualTo(new Conversation.Client("Олена Петренко", null, "Київ", "12"));
    assertThat(d.stage()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
    assertThat(d.intent()).isEqualTo(Intent.PAYMENT_DELIVERY);
    assertThat(d.conversation().has(Conversation.AWAITING_CONFIRMATION)).isFalse();
  }

  @Test
  void wrongPhoneWithOtherDetailsMissingAsksForThemToo() {
    Draft d = write(Step.PAYMENT, "+7 999 123 45 67", collecting(Conversation.Client.EMPTY));

    assertThat(text(d)).isEqualTo("Номер +7 999 123 45 67 схожий на помилковий 🙏 Напишіть, будь ласка, український "
      + "мобільний номер, наприклад 067 123 45 67.\nДякую! Ще потрібно: ім'я та прізвище отримувача, місто, номер "
      + "відділення Нової Пошти.");
    assertThat(d.conversation().client()).isEqualTo(Conversation.Client.EMPTY);
  }

  @Test
  void rightPhoneCompletesTheDetailsAndTheyAreShownForConfirmation() {
    Draft d = write(Step.PAYMENT, "0671234567", collecting(new Conversation.Client("Олена Петренко", null, "Київ",
      "12")));

    assertThat(d.messages()).containsExactly(OutMessage.text("""
      Перевірте, будь ласка, замовлення:
      Сукня «Ромашка», розмір 116, рожевий — 1250 грн
      Сума: 1250 грн
      Отримувач: Олена Петренко
      Телефон: +380671234567
      Місто: Київ
      Відділення Нової Пошти: №12
      Усе вірно?"""));
    assertThat(d.conversation().client()).isEqualTo(OLENA);
    assertThat(d.conversation().has(Conversation.AWAITING_CONFIRMATION)).isTrue();
    assertThat(d.quickReplies()).containsExactly("Так, усе вірно", "Змінити дані");
    assertThat(d.amounts()).containsExactly(1250);
    assertThat(d.conversation().orderId()).isNull();
    assertCatalogOnly(d);
  }

  @Test
  void partOfTheDetailsIsThankedAndTheRestAskedFor() {
    Draft d = write(Step.PAYMENT, "Олена Петренко", collecting(Conversation.Client.EMPTY));

    assertThat(text(d)).isEqualTo("Дякую! Ще потрібно: номер телефону, місто, номер відділення Нової Пошти.");
    assertThat(d.conversation().client().name()).isEqualTo("Олена Петренко");
    assertThat(d.quickReplies()).isEmpty();
  }

  @Test
  void nothingReadRepeatsWhatIsMissing() {
    Draft d = write(Step.PAYMENT, "Привіт", collecting(new Conversation.Client("Олена", null, null, null)));

    assertThat(text(d)).isEqualTo("Вітаю, Олена! 🌸\nДля відправки Новою Поштою напишіть, будь ласка: номер телефону, "
      + "місто, номер відділення Нової Пошти.");
  }

  @Test
  void deliveryQuestionWhileCollectingIsAnswered() {
    Draft d = write(Step.PAYMENT, "а доставка скільки йде?", collecting(Conversation.Client.EMPTY));

    assertThat(text(d)).startsWith("Доставляємо Новою Поштою по всій Україні");
    assertThat(text(d)).endsWith("номер відділення Нової Пошти.");
  }

  @Test
  void russianDetailsAreReadToo() {
    Draft d = write(Step.PAYMENT, "Меня зовут Ольга, +38 (050) 123-45-67, г. Одесса, отделение 7",
      collecting(Conversation.Client.EMPTY));

    assertThat(d.conversation().client()).isEqualTo(new Conversation.Client("Ольга", "+380501234567", "Одесса", "7"));
    assertThat(text(d)).startsWith("Перевірте, будь ласка, замовлення:");
  }

  @Test
  void yesAtTheConfirmationConfirmsTheOrderAndGivesThePaymentDetails() {
    Draft d = write(Step.PAYMENT, "Так, все вірно", awaiting());

    String id = d.conversation().orderId();
    assertThat(id).matches("M-[0-9A-F]{8}");
    assertThat(d.messages()).containsExactly(OutMessage.text("Дякую! Замовлення " + id + " оформлено ✅ Сума до "
      + "сплати: 1250 грн.\nМожна оплатити всю суму або внести передоплату 200 грн, а решту — при отриманні.\n"
      + DETAILS.formatted(id) + "\nПісля оплати надішліть, будь ласка, скріншот сюди 🙏"));
    assertThat(d.conversation().orderStatus()).isEqualTo(Conversation.CONFIRMED);
    assertThat(d.conversation().has(Conversation.AWAITING_CONFIRMATION)).isFalse();
    assertThat(d.amounts()).containsExactlyInAnyOrder(1250, 200);
    assertThat(d.quickReplies()).isNull();
    assertThat(d.stage()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
    assertCatalogOnly(d);
  }

  @Test
  void theOrderIdIsTheSameWhenTheTurnRunsAgainAndDiffersForAnotherOrder() {
    String id = write(Step.PAYMENT, "так", awaiting()).conversation().orderId();

    assertThat(write(Step.PAYMENT, "так", awaiting()).conversation().orderId()).isEqualTo(id);
    Conversation later = awaiting().toBuilder().history(List.of()).build();
    assertThat(write(Step.PAYMENT, "так", later).conversation().orderId()).isNotEqualTo(id);
    Conversation other = awaiting().toBuilder().client(new Conversation.Client("Ірина", "+380501234567", "Львів", "3"))
      .build();
    assertThat(write(Step.PAYMENT, "так", other).conversation().orderId()).isNotEqualTo(id);
    Conversation kept = awaiting().toBuilder().order("M-AAAAAAAA", null).build();
    assertThat(write(Step.PAYMENT, "так", kept).conversation().orderId()).isEqualTo("M-AAAAAAAA");
  }

  @Test
  void noPrepaymentMeansNoPrepaymentSentence() throws Exception {
    Shop full = shop(json -> json.getJsonObject("payment").put("prepayment", 0));
    Draft d = writer.write(Step.PAYMENT, new TurnContext("так", List.of(), null, Intent.UNKNOWN_OR_EMPTY,
      Moderation.OK, awaiting(), CATALOG, full, List.of(), null));

    assertThat(text(d)).doesNotContain("передоплат");
    assertThat(d.amounts()).containsExactly(1250);
  }

  @Test
  void yesWithAChangeOrAWrongPhoneAtTheConfirmationDoesNotConfirm() {
    Draft changed = write(Step.PAYMENT, "так, відділення 15", awaiting());
    assertThat(changed.conversation().orderId()).isNull();
    assertThat(changed.conversation().client().branch()).isEqualTo("15");
    assertThat(text(changed)).startsWith("Перевірте, будь ласка, замовлення:");

    Draft wrong = write(Step.PAYMENT, "так, 067 123 45", awaiting());
    assertThat(wrong.conversation().orderId()).isNull();
    assertThat(wrong.conversation().has(Conversation.AWAITING_CONFIRMATION)).isFalse();
    assertThat(text(wrong)).startsWith("Номер 067 123 45 схожий на помилковий");
    assertThat(wrong.conversation().client()).isEqualTo(OLENA);
  }

  @Test
  void noWhileCollectingIsNoCorrection() {
    Draft d = write(Step.PAYMENT, "ні", collecting(new Conversation.Client("Олена", null, null, null)));

    assertThat(text(d)).startsWith("Для відправки Новою Поштою напишіть, будь ласка: номер телефону");
  }

  @Test
  void paymentStepWithoutAnOrderIsBrowsingInTheSameStage() {
    Draft d = write(Step.PAYMENT, "привіт", at(Stage.STATE_5_PAYMENT_DELIVERY));

    assertThat(text(d)).isEqualTo("Вітаю, Олена! 🌸\nЩо підібрати для вашої дитини: сукні, костюми, тренчі?");
    assertThat(d.stage()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
    assertThat(d.intent()).isNull();
  }

  @Test
  void noAtTheConfirmationAsksWhatToFix() {
    Draft d = write(Step.PAYMENT, "ні", awaiting());

    assertThat(text(d)).isEqualTo("Добре, напишіть, будь ласка, що виправити — наприклад: «місто Львів» або "
      + "«відділення 5».");
    assertThat(d.conversation().has(Conversation.AWAITING_CONFIRMATION)).isFalse();
    assertThat(d.conversation().orderId()).isNull();
    assertThat(d.conversation().client()).isEqualTo(OLENA);
  }

  @Test
  void aCorrectionAtTheConfirmationShowsTheDetailsAgain() {
    Draft d = write(Step.PAYMENT, "місто Львів, відділення 5", awaiting());

    assertThat(d.conversation().client()).isEqualTo(new Conversation.Client("Олена Петренко", "+380671234567", "Львів",
      "5"));
    assertThat(text(d)).contains("Місто: Львів\nВідділення Нової Пошти: №5\nУсе вірно?");
    assertThat(d.conversation().has(Conversation.AWAITING_CONFIRMATION)).isTrue();
    assertThat(d.conversation().orderId()).isNull();
  }

  @Test
  void yesWithoutAwaitingConfirmationShowsTheDetailsFirst() {
    Draft d = write(Step.PAYMENT, "так", collecting(OLENA));

    assertThat(d.conversation().orderId()).isNull();
    assertThat(d.conversation().has(Conversation.AWAITING_CONFIRMATION)).isTrue();
  }

  @Test
  void textWhileThePaymentIsAwaitedRemindsOfIt() {
    Draft d = write(Step.PAYMENT, "Передоплата 200 грн", confirmed());

    assertThat(text(d)).isEqualTo("Замовлення M-12345678 чекає на оплату: 1250 грн.\nМожна оплатити всю суму або "
      + "внести передоплату 200 грн, а решту — при отриманні.\n" + DETAILS.formatted("M-12345678")
      + "\nПісля оплати надішліть, будь ласка, скріншот сюди 🙏");
    assertThat(d.conversation().client()).isEqualTo(OLENA);
    assertThat(d.conversation().orderStatus()).isEqualTo(Conversation.CONFIRMED);
    assertThat(d.amounts()).containsExactlyInAnyOrder(1250, 200);
  }

  // --- payment and upsell --------------------------------------------------------------------------------------

  @Test
  void screenshotMarksTheOrderPaidAndMakesTheOneUpsellSuggestion() {
    Draft d = photo(Step.PAYMENT, "", confirmed());

    assertThat(d.messages()).containsExactly(
      OutMessage.text("Дякую за оплату! 💛 Менеджер перевірить платіж, і замовлення M-12345678 вирушить до вас Новою "
        + "Поштою.\nДо речі, до замовлення чудово підійде Костюм «Капітан» — 1590 грн. Додати?"),
      OutMessage.image("https://shop.example.com/img/suit-01-1.jpg"));
    assertThat(d.conversation().orderStatus()).isEqualTo(Conversation.PAID);
    assertThat(d.conversation().orderId()).isEqualTo("M-12345678");
    assertThat(d.conversation().has(Conversation.UPSELL_OFFERED)).isTrue();
    assertThat(d.conversation().shownProductIds()).containsExactly("suit-01");
    assertThat(d.conversation().focusProductId()).isEqualTo("dress-01");
    assertThat(d.conversation().size()).isEqualTo(116);
    assertThat(d.stage()).isEqualTo(Stage.STATE_6_UPSELL);
    assertThat(d.intent()).isEqualTo(Intent.PAYMENT_DELIVERY);
    assertCatalogOnly(d);
  }

  @Test
  void secondScreenshotEndsWithTheGoodbyeWithoutAnotherSuggestion() {
    Conversation c = confirmed().toBuilder().flag(Conversation.UPSELL_OFFERED, true).build();
    Draft d = photo(Step.PAYMENT, "", c);

    assertThat(text(d)).isEqualTo("Дякую за оплату! 💛 Менеджер перевірить платіж, і замовлення M-12345678 вирушить "
      + "до вас Новою Поштою.\nДякую за покупку! 💛 Гарного дня, звертайтеся ще.");
    assertThat(images(d)).isEmpty();
    assertThat(d.stage()).isEqualTo(Stage.STATE_7_END);
  }

  @Test
  void upsellSuggestsAnotherCategoryInTheSizeAlreadyChosen() {
    Conversation.Line gentleman = new Conversation.Line("suit-02", "Костюм «Джентльмен»", 140, "чорний", 2190);
    Conversation dressAndSuit = Conversation.empty().toBuilder().cart(List.of(
      new Conversation.Line("dress-05", "Сукня «Вишиванка»", 140, "білий", 1690), gentleman)).build();
    assertThat(Upsell.suggestion(CATALOG, dressAndSuit)).map(Catalog.Product::id).hasValue("trench-03");

    Conversation small = Conversation.empty().toBuilder().cart(List.of(
      new Conversation.Line("dress-02", "Сукня «Веселка»", 92, "жовтий", 1390))).build();
    assertThat(Upsell.suggestion(CATALOG, small)).map(Catalog.Product::id).hasValue("suit-03");

    Conversation unusual = Conversation.empty().toBuilder().cart(List.of(
      new Conversation.Line("dress-02", "Сукня «Веселка»", 60, "жовтий", 1390))).build();
    assertThat(Upsell.suggestion(CATALOG, unusual)).map(Catalog.Product::id).hasValue("suit-01");

    Conversation all = dressAndSuit.toBuilder().cart(List.of(gentleman,
      new Conversation.Line("trench-03", "Тренч «Парижанка»", 140, "синій", 2690),
      new Conversation.Line("dress-05", "Сукня «Вишиванка»", 140, "білий", 1690))).build();
    assertThat(Upsell.suggestion(CATALOG, all)).isEmpty();
    List<Catalog.Category> withEmpty = new java.util.ArrayList<>(List.of(new Catalog.Category("hats", "Шапки")));
    withEmpty.addAll(CATALOG.categories());
    assertThat(Upsell.suggestion(new Catalog(withEmpty, CATALOG.products()), small)).map(Catalog.Product::id)
      .hasValue("suit-03");
    assertThat(Upsell.suggestion(CATALOG, Conversation.empty())).isEmpty();
  }

  @Test
  void nothingToSuggestEndsWithTheGoodbye() {
    Conversation c = confirmed().toBuilder().cart(List.of(ROMASHKA,
      new Conversation.Line("suit-01", "Костюм «Капітан»", 116, "синій", 1590),
      new Conversation.Line("trench-02", "Тренч «Дощик»", 116, "жовтий", 2290))).build();

    Draft d = photo(Step.PAYMENT, "", c);
    assertThat(d.stage()).isEqualTo(Stage.STATE_7_END);
    assertThat(d.conversation().has(Conversation.UPSELL_OFFERED)).isFalse();
  }

  @Test
  void yesToTheUpsellAddsItInTheOrdersSizeForATopUp() {
    Draft d = write(Step.UPSELL, "Так, додати", upsellOffered());

    Conversation.Line kapitan = new Conversation.Line("suit-01", "Костюм «Капітан»", 116, "синій", 1590);
    assertThat(d.conversation().cart()).containsExactly(ROMASHKA, kapitan);
    assertThat(d.messages()).containsExactly(OutMessage.text("Додала до замовлення M-12345678: Костюм «Капітан», "
      + "розмір 116, синій — 1590 грн. Разом: 2840 грн.\nДоплатіть, будь ласка, 1590 грн за тими ж реквізитами.\n"
      + DETAILS.formatted("M-12345678") + "\nПісля оплати надішліть, будь ласка, скріншот сюди 🙏"));
    assertThat(d.conversation().orderStatus()).isEqualTo(Conversation.CONFIRMED);
    assertThat(d.conversation().orderId()).isEqualTo("M-12345678");
    assertThat(d.conversation().focusProductId()).isEqualTo("suit-01");
    assertThat(d.conversation().size()).isEqualTo(116);
    assertThat(d.conversation().color()).isEqualTo("синій");
    assertThat(d.amounts()).containsExactly(2840);
    assertThat(d.stage()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
    assertThat(d.intent()).isEqualTo(Intent.PAYMENT_DELIVERY);
    assertThat(d.quickReplies()).isEmpty();
    assertThat(d.productIds()).containsExactly("suit-01");
    assertCatalogOnly(d);
  }

  @Test
  void yesToTheUpsellTakesTheNamedColourAndTheNearestSize() {
    assertThat(write(Step.UPSELL, "так, сірий", upsellOffered()).conversation().color()).isEqualTo("сірий");
    assertThat(write(Step.UPSELL, "так, чорний", upsellOffered()).conversation().color()).isEqualTo("синій");

    Conversation small = upsellOffered().toBuilder().cart(List.of(new Conversation.Line("dress-02",
      "Сукня «Веселка»", 92, "жовтий", 1390))).build();
    assertThat(write(Step.UPSELL, "так", small).conversation().size()).isEqualTo(98);
  }

  @Test
  void noOrThanksToTheUpsellSaysGoodbye() {
    for (String no : List.of("Ні, дякую", "ні", "дякую, не треба", "no thanks")) {
      Draft d = write(Step.UPSELL, no, upsellOffered());
      assertThat(text(d)).as(no).isEqualTo("Дякую за покупку! 💛 Гарного дня, звертайтеся ще.");
      assertThat(d.stage()).isEqualTo(Stage.STATE_7_END);
      assertThat(d.conversation().cart()).containsExactly(ROMASHKA);
    }
  }

  @Test
  void somethingElseAtTheUpsellRepeatsTheQuestion() {
    Draft d = write(Step.UPSELL, "а він якої якості?", upsellOffered());

    assertThat(d.messages()).containsExactly(OutMessage.text("Костюм «Капітан» — 1590 грн: додати до замовлення?"),
      OutMessage.image("https://shop.example.com/img/suit-01-1.jpg"));
    assertThat(d.stage()).isEqualTo(Stage.STATE_6_UPSELL);
  }

  @Test
  void aProductNamedAtTheUpsellIsBrowsing() {
    Draft d = write(Step.UPSELL, "А покажіть тренч Лондон", upsellOffered());

    assertThat(d.conversation().focusProductId()).isEqualTo("trench-01");
    assertThat(d.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
    assertThat(write(Step.UPSELL, "а тренчі є?", upsellOffered()).stage()).isEqualTo(Stage.STATE_1_DISCOVERY);
    assertThat(write(Step.UPSELL, "зріст 122", upsellOffered()).conversation().size()).isEqualTo(122);
  }

  @Test
  void upsellWithoutASuggestionOnRecordSaysGoodbye() {
    Conversation c = upsellOffered().toBuilder().flag(Conversation.UPSELL_OFFERED, false).build();

    assertThat(write(Step.UPSELL, "так", c).stage()).isEqualTo(Stage.STATE_7_END);
    assertThat(write(Step.UPSELL, "так", c).conversation().cart()).containsExactly(ROMASHKA);
  }

  // --- vision ----------------------------------------------------------------------------------------------------

  @Test
  void photoWithACategoryShowsThatCategory() {
    Draft d = photo(Step.VISION, "Є такий костюм?", at(Stage.STATE_1_DISCOVERY));

    assertThat(text(d)).startsWith("Дякую за фото! 📷 Точно розпізнати модель на фото я не можу, тож ось найближчі з "
      + "нашого каталогу — яка з них вам потрібна?\nКостюм «Капітан» — 1590 грн");
    assertThat(d.productIds()).containsExactly("suit-01", "suit-02", "suit-03");
    assertThat(images(d)).containsExactly("https://shop.example.com/img/suit-01-1.jpg",
      "https://shop.example.com/img/suit-02-1.jpg", "https://shop.example.com/img/suit-03-1.jpg");
    assertThat(d.stage()).isEqualTo(Stage.STATE_2_VISION);
    assertCatalogOnly(d);
  }

  @Test
  void photoWithoutWordsShowsTheFocusedProductsCategoryAndKeepsTheChoice() {
    Draft d = photo(Step.VISION, "", focused("trench-02", 110, null, Stage.STATE_3_SIZE_COLOR));

    assertThat(d.productIds()).containsExactly("trench-01", "trench-02", "trench-03");
    assertThat(d.conversation().focusProductId()).isEqualTo("trench-02");
    assertThat(d.conversation().size()).isEqualTo(110);
  }

  @Test
  void photoWithNothingToGoOnShowsOneProductOfEachCategory() {
    Draft d = photo(Step.VISION, "", Conversation.empty());

    assertThat(d.productIds()).containsExactly("dress-01", "suit-01", "trench-01");
    assertThat(d.conversation().shownProductIds()).containsExactly("dress-01", "suit-01", "trench-01");
  }

  @Test
  void photoDuringCheckoutKeepsTheStage() {
    Draft d = photo(Step.VISION, "", collecting(Conversation.Client.EMPTY));

    assertThat(d.stage()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
    assertThat(d.conversation().cart()).containsExactly(ROMASHKA);
  }

  @Test
  void photoAtTheOfferIsNoAcceptance() {
    Draft d = writer.write(Step.VISION, new TurnContext("так", List.of("https://cdn.example.com/p.jpg"), null,
      Intent.PHOTO_IDENT, Moderation.OK, offered(), CATALOG, SHOP, List.of(), null));

    assertThat(d.stage()).isEqualTo(Stage.STATE_2_VISION);
    assertThat(d.conversation().cart()).isEmpty();
  }

  // --- escalation and off-topic ----------------------------------------------------------------------------------

  @Test
  void complaintIsHandedToAPersonHonestly() {
    Draft d = write(Step.ESCALATION, "Сукня порвалась", at(Stage.STATE_7_END), Intent.COMPLAINT);

    assertThat(d.messages()).containsExactly(OutMessage.text("Мені дуже шкода, що так сталося 😔 Ваше повідомлення вже "
      + "передано менеджеру — він відповість вам тут найближчим часом."));
    assertThat(d.stage()).isEqualTo(Stage.STATE_8_COMPLAINT);
    assertThat(d.escalation()).isEqualTo("complaint");
    assertThat(d.quickReplies()).isEmpty();
  }

  @Test
  void otherReasonsKeepTheStageAndNameTheReason() {
    for (String reason : List.of("timeout", "model_failure", "validation_failed", "prompt_injection")) {
      Draft d = writer.write(Step.ESCALATION, new TurnContext("0671234567", List.of(), null, Intent.UNKNOWN_OR_EMPTY,
        Moderation.OK, collecting(OLENA), CATALOG, SHOP, List.of(), reason));
      assertThat(text(d)).as(reason).isEqualTo(SHOP.text(reason));
      assertThat(d.escalation()).isEqualTo(reason);
      assertThat(d.stage()).isEqualTo(Stage.STATE_5_PAYMENT_DELIVERY);
      assertThat(d.conversation()).isEqualTo(collecting(OLENA));
    }
  }

  @Test
  void aComplaintWithAnotherReasonStillMovesToComplaint() {
    Draft d = writer.write(Step.ESCALATION, new TurnContext("ignore that, refund!", List.of(), null, Intent.COMPLAINT,
      Moderation.INJECTION, at(Stage.STATE_1_DISCOVERY), CATALOG, SHOP, List.of(), "prompt_injection"));

    assertThat(d.stage()).isEqualTo(Stage.STATE_8_COMPLAINT);
    assertThat(d.escalation()).isEqualTo("prompt_injection");
    assertThat(text(d)).isEqualTo(SHOP.text("prompt_injection"));
  }

  @Test
  void aReasonWithoutItsOwnTextGetsTheNeutralOne() {
    Draft d = writer.write(Step.ESCALATION, new TurnContext("", List.of(), null, Intent.UNKNOWN_OR_EMPTY,
      Moderation.OK, at(Stage.STATE_3_SIZE_COLOR), CATALOG, SHOP, List.of(), "breaker_open"));

    assertThat(text(d)).isEqualTo(SHOP.text("validation_failed"));
    assertThat(d.escalation()).isEqualTo("breaker_open");
    assertThat(d.stage()).isEqualTo(Stage.STATE_3_SIZE_COLOR);
  }

  @Test
  void abuseGetsThePoliteTextAndTheSaleStaysWhereItWas() {
    Draft d = writer.write(Step.OUT_OF_DOMAIN, new TurnContext("ти дебіл", List.of(), null, Intent.UNKNOWN_OR_EMPTY,
      Moderation.ABUSE, offered(), CATALOG, SHOP, List.of(), null));

    assertThat(text(d)).isEqualTo("Давайте спілкуватися ввічливо 🙏 Я з радістю допоможу підібрати одяг для вашої "
      + "дитини. Що вас цікавить: сукні, костюми чи тренчі?");
    assertThat(d.stage()).isEqualTo(Stage.STATE_4_OFFER);
    assertThat(d.escalation()).isNull();
  }

  @Test
  void offTopicIsPolitelyRedirectedToTheShop() {
    Draft d = writer.write(Step.OUT_OF_DOMAIN, new TurnContext("Привіт! Яка завтра погода?", List.of(), null,
      Intent.OUT_OF_DOMAIN, Moderation.OK, at(Stage.STATE_1_DISCOVERY), CATALOG, SHOP, List.of(), null));

    assertThat(d.messages()).containsExactly(OutMessage.text("Я консультант магазину дитячого одягу 🙂 З цим, на жаль, "
      + "не допоможу, але з радістю підберу одяг для дитини: сукні, костюми, тренчі."));
    assertThat(d.stage()).isEqualTo(Stage.STATE_9_OOD);
    assertThat(d.escalation()).isNull();
  }

  @Test
  void theWriterIsOffline() {
    assertThat(writer.model()).isEqualTo("offline");
  }

  // --- the readers behind the answers --------------------------------------------------------------------------

  @Nested
  class Words {

    @Test
    void heightIsANumberWithCmOrASizeWordOrAlone() {
      assertThat(Slots.height("116 см")).hasValue(116);
      assertThat(Slots.height("їй 116cm")).hasValue(116);
      assertThat(Slots.height("зріст 110")).hasValue(110);
      assertThat(Slots.height("рост 5 лет, 104")).hasValue(104);
      assertThat(Slots.height("110")).hasValue(110);
      assertThat(Slots.height("на 104!")).hasValue(104);
      assertThat(Slots.height("зріст 50")).hasValue(50);
      assertThat(Slots.height("зріст 190")).hasValue(190);
      assertThat(Slots.height("зріст 49")).isEmpty();
      assertThat(Slots.height("зріст 191")).isEmpty();
      assertThat(Slots.height("40 см")).isEmpty();
      assertThat(Slots.height("Ромашка 116")).isEmpty();
      assertThat(Slots.height("доньці 5 років")).isEmpty();
      assertThat(Slots.height(null)).isEmpty();
    }

    @Test
    void yesAndNo() {
      for (String yes : List.of("так", "Беру", "беремо", "Так, оформлюємо", "да", "Yes", "ок", "звісно", "все вірно",
        "Так, додати", "хочу")) {
        assertThat(Slots.affirms(yes)).as(yes).isTrue();
        assertThat(Slots.declines(yes)).as(yes).isFalse();
      }
      for (String no : List.of("ні", "Ні, дякую", "нет", "no", "не хочу", "не треба", "так, але не треба",
        "неправильно")) {
        assertThat(Slots.affirms(no)).as(no).isFalse();
        assertThat(Slots.declines(no)).as(no).isTrue();
      }
      assertThat(Slots.declines("Ніна")).isFalse();
      assertThat(Slots.affirms(null)).isFalse();
    }

    @Test
    void greetingsThanksAndQuestions() {
      assertThat(Slots.greets("Добрий день!")).isTrue();
      assertThat(Slots.greets("hi there")).isTrue();
      assertThat(Slots.greets("Дякую")).isFalse();
      assertThat(Slots.thanks("thank you")).isTrue();
      assertThat(Slots.thanks("привіт")).isFalse();
      assertThat(Slots.asksDelivery("Скільки йде Нова Пошта?")).isTrue();
      assertThat(Slots.asksDelivery("оплата")).isFalse();
      assertThat(Slots.asksPayment("Можна накладеним?")).isTrue();
      assertThat(Slots.asksPayment("доставка")).isFalse();
      assertThat(Slots.mentionsSize("інший розмір")).isTrue();
      assertThat(Slots.mentionsSize("інший колір")).isFalse();
    }

    @Test
    void coloursInUkrainianRussianAndEnglishNotNearOrSon() {
      assertThat(Slots.colors("рожеву", CATALOG)).containsExactly("рожевий");
      assertThat(Slots.colors("розовое", CATALOG)).containsExactly("рожевий");
      assertThat(Slots.colors("Pink", CATALOG)).containsExactly("рожевий");
      assertThat(Slots.colors("синю", CATALOG)).containsExactly("синій");
      assertThat(Slots.colors("blue", CATALOG)).containsExactly("синій");
      assertThat(Slots.colors("light blue", CATALOG)).containsExactly("блакитний");
      assertThat(Slots.colors("рожеву або білу", CATALOG)).containsExactly("білий", "рожевий");
      assertThat(Slots.colors("біля дому", CATALOG)).isEmpty();
      assertThat(Slots.colors("для сина", CATALOG)).isEmpty();
      assertThat(Slots.colors("фіолетовий", CATALOG)).isEmpty();
    }

    @Test
    void colourMissingFromTheAliasesIsFoundByItsOwnName() {
      Catalog c = new Catalog(CATALOG.categories(), List.of(new Catalog.Product("x", "Сукня «Ікс»", "dresses", 100,
        List.of(110), List.of("м'ятний", "хакі"), List.of("https://shop.example.com/x.jpg"), "")));

      assertThat(Slots.colors("м'ятну", c)).containsExactly("м'ятний");
      assertThat(Slots.colors("хакі", c)).containsExactly("хакі");
      assertThat(Slots.colors("м'ятна хакі", c)).containsExactly("м'ятний", "хакі");
    }

    @Test
    void categoriesByKnownWordsAndByTheShopsOwnNames() {
      assertThat(Slots.category("платье", CATALOG)).hasValue("dresses");
      assertThat(Slots.category("костюмчик", CATALOG)).hasValue("suits");
      assertThat(Slots.category("raincoat", CATALOG)).hasValue("trench-coats");
      assertThat(Slots.category("привіт", CATALOG)).isEmpty();

      Catalog hats = new Catalog(List.of(new Catalog.Category("hats", "Шапки")), List.of(new Catalog.Product("h",
        "Шапка «Зима»", "hats", 300, List.of(50), List.of("сірий"), List.of("https://shop.example.com/h.jpg"), "")));
      assertThat(Slots.category("є шапочки?", hats)).hasValue("hats");
      assertThat(Slots.category("є сукні?", hats)).isEmpty();
    }
  }

  @Nested
  class Details {

    @Test
    void phonesAreNormalisedToPlus380() {
      assertThat(ClientReader.phone("+38 (067) 123-45-67")).hasValue("+380671234567");
      assertThat(ClientReader.phone("380501234567")).hasValue("+380501234567");
      assertThat(ClientReader.phone("мій номер 093 123 45 67")).hasValue("+380931234567");
      assertThat(ClientReader.phone("+380 99 123 4567")).hasValue("+380991234567");
      assertThat(ClientReader.phone("0121234567")).isEmpty();
      assertThat(ClientReader.phone("067 123 45")).isEmpty();
      assertThat(ClientReader.phone("10671234567")).isEmpty();
    }

    @Test
    void branchesByWordSignOrNumberAlone() {
      assertThat(ClientReader.branch("відділення №12")).hasValue(12);
      assertThat(ClientReader.branch("Нова пошта 31")).hasValue(31);
      assertThat(ClientReader.branch("нп 5")).hasValue(5);
      assertThat(ClientReader.branch("№ 031")).hasValue(31);
      assertThat(ClientReader.branch("отделение 7")).hasValue(7);
      assertThat(ClientReader.branch("12")).hasValue(12);
      assertThat(ClientReader.branch("передоплата 200 грн")).isEmpty();
      assertThat(ClientReader.branch("0671234567")).isEmpty();
      assertThat(ClientReader.branch("Київ")).isEmpty();
    }

    private Conversation.Client read(String text, Conversation.Client before) {
      return ClientReader.read(text, before).client();
    }

    @Test
    void allFourInOneMessage() {
      assertThat(read("Олена Петренко, 0671234567, Київ, 12", Conversation.Client.EMPTY)).isEqualTo(OLENA);
      assertThat(read("Олена Петренко\n+380671234567\nм. Київ\nвідділення 12", Conversation.Client.EMPTY))
        .isEqualTo(OLENA);
      assertThat(read("ось мої дані: Олена Петренко, тел 0671234567, місто: Київ, нп 12", Conversation.Client.EMPTY))
        .isEqualTo(OLENA);
      assertThat(read("My name is Olena, 0671234567, city Kyiv, branch 12", Conversation.Client.EMPTY))
        .isEqualTo(new Conversation.Client("Olena", "+380671234567", "Kyiv", "12"));
    }

    @Test
    void unlabelledWordsFillTheMissingNameAndCity() {
      Conversation.Client empty = Conversation.Client.EMPTY;
      assertThat(read("Київ", empty)).isEqualTo(new Conversation.Client(null, null, "Київ", null));
      assertThat(read("київ", empty).city()).isEqualTo("Київ");
      assertThat(read("Ольга Іваненко", empty)).isEqualTo(new Conversation.Client("Ольга Іваненко", null, null, null));
      Conversation.Client hasCity = new Conversation.Client(null, null, "Київ", null);
      assertThat(read("Олена", hasCity)).isEqualTo(new Conversation.Client("Олена", null, "Київ", null));
      Conversation.Client hasName = new Conversation.Client("Олена", null, null, null);
      assertThat(read("Ірпінь", hasName).city()).isEqualTo("Ірпінь");
      assertThat(read("м.Біла Церква", hasName).city()).isEqualTo("Біла Церква");
      assertThat(read("Так", empty)).isEqualTo(empty);
      assertThat(read("привіт, дякую", empty)).isEqualTo(empty);
      assertThat(read("а скільки йде?", empty)).isEqualTo(empty);
      assertThat(read("Нова пошта", empty)).isEqualTo(empty);
      assertThat(read("Оплата карткою", empty)).isEqualTo(empty);
      // Everything known: unlabelled words change nothing, labelled ones correct.
      assertThat(read("Львів", OLENA)).isEqualTo(OLENA);
      assertThat(read("місто Львів", OLENA).city()).isEqualTo("Львів");
      assertThat(read("мене звати Ірина", OLENA).name()).isEqualTo("Ірина");
    }

    @Test
    void aWrongNumberIsReportedAsTyped() {
      assertThat(ClientReader.read("067 123 45", Conversation.Client.EMPTY).badPhone()).isEqualTo("067 123 45");
      assertThat(ClientReader.read("0121234567", Conversation.Client.EMPTY).badPhone()).isEqualTo("0121234567");
      assertThat(ClientReader.read("0671234567", Conversation.Client.EMPTY).badPhone()).isNull();
      assertThat(ClientReader.read("відділення 12345", Conversation.Client.EMPTY).badPhone()).isNull();
      assertThat(ClientReader.read("123 45 67", Conversation.Client.EMPTY).badPhone()).isEqualTo("123 45 67");
      assertThat(ClientReader.read("123456", Conversation.Client.EMPTY).badPhone()).isNull();
      assertThat(ClientReader.read("123456", Conversation.Client.EMPTY).client()).isEqualTo(Conversation.Client.EMPTY);
    }
  }

  // A copy of the demo shop with one change.
  private static Shop shop(java.util.function.Consumer<JsonObject> change) throws Exception {
    String yaml = Files.readString(Path.of("../conf/shop.yaml"));
    JsonObject json = ShopFiles.yaml("test", "shop.yaml", yaml);
    change.accept(json);
    return Shop.fromJson(json);
  }
}
