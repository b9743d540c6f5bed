package ai.mirt.agent;

import ai.mirt.common.OutMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyValidatorTest {

  private final ReplyValidator validator = new ReplyValidator();

  private static final String IBAN_DETAILS = """
    Отримувач: ФОП Мирна Олена Петрівна
    IBAN: UA213223130000026007233566001
    Призначення: оплата замовлення MIRT-0012""";

  private static Draft draft(List<String> productIds, Set<Integer> amounts, List<String> quickReplies,
                             String... texts) {
    List<OutMessage> messages = new ArrayList<>();
    for (String t : texts) {
      messages.add(OutMessage.text(t));
    }
    return new Draft(messages, quickReplies, Stage.STATE_4_OFFER, null, Conversation.empty(), null, productIds,
      amounts);
  }

  private static Draft draft(List<String> productIds, String... texts) {
    return draft(productIds, Set.of(), null, texts);
  }

  private List<String> violations(Draft d) {
    return validator.violations(d, TestCatalog.CATALOG);
  }

  @Test
  void correctDraftPasses() {
    List<OutMessage> messages = List.of(
      OutMessage.text("Сукня «Ромашка» — 1250 грн, розміри 98–128 см, кольори: білий і рожевий."),
      OutMessage.image("https://shop.example.com/img/dress-01-1.jpg"),
      OutMessage.image("https://shop.example.com/img/dress-01-2.jpg"),
      OutMessage.text("Для зросту 113 см раджу розмір 116. Біла Ромашка дуже ніжна!"),
      OutMessage.text("Разом до сплати 2 500 грн, передоплата 200 грн.\n" + IBAN_DETAILS),
      OutMessage.text("Натисніть «Так, оформлюємо» або «Інший розмір». Сукня Вам сподобається."));
    Draft d = new Draft(messages, null, Stage.STATE_4_OFFER, null, Conversation.empty(), null, List.of("dress-01"),
      Set.of(2500, 200));

    assertThat(violations(d)).isEmpty();
  }

  @Test
  void emptyDraftPasses() {
    assertThat(violations(draft(List.of()))).isEmpty();
  }

  // (a) product ids

  @Test
  void productIdNotInTheCatalog() {
    assertThat(violations(draft(List.of("dress-01", "dress-99", "dress-99"))))
      .containsExactly("product id 'dress-99' is not in the catalog");
  }

  // (b) photos

  @Test
  void photoNotInTheCatalog() {
    Draft d = new Draft(List.of(OutMessage.image("https://shop.example.com/img/dress-01-1.jpg"),
      OutMessage.image("https://evil.example/x.jpg")), null, Stage.STATE_2_VISION, null, Conversation.empty(), null,
      List.of(), null);

    assertThat(violations(d)).containsExactly("photo 'https://evil.example/x.jpg' is not a catalog photo");
  }

  @Test
  void photoUrlInTextIsNoImage() {
    assertThat(violations(draft(List.of(), "Фото: https://shop.example.com/img/dress-01-1.jpg"))).isEmpty();
  }

  // (c) product names

  @Test
  void quotedNameNotInTheCatalog() {
    assertThat(violations(draft(List.of(), "Раджу сукню «Лілія» — вона чудова.")))
      .containsExactly("product «Лілія» is not in the catalog");
    assertThat(violations(draft(List.of(), "Подивіться «Нова Зоря»!")))
      .containsExactly("product «Нова Зоря» is not in the catalog");
  }

  @Test
  void typedNameNotInTheCatalog() {
    assertThat(violations(draft(List.of(), "Є ще Сукня Лілія з мереживом.")))
      .containsExactly("product 'Сукня Лілія' is not in the catalog");
    assertThat(violations(draft(List.of(), "А ще костюм \"Пірат\" для хлопчиків")))
      .containsExactly("product 'костюм Пірат' is not in the catalog");
    assertThat(violations(draft(List.of(), "Тренч Мілан дуже стильний")))
      .containsExactly("product 'Тренч Мілан' is not in the catalog");
  }

  @Test
  void aNameFlaggedInQuotesIsFlaggedOnce() {
    assertThat(violations(draft(List.of(), "Костюм «Пірат» — хіт сезону")))
      .containsExactly("product «Пірат» is not in the catalog");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "Сукня «Ромашка» чудова",
    "Раджу «Ромашку» або «Мальву»",
    "Сукня Ромашка, костюм Капітан, тренч Лондон",
    "Сукню «Веселка» люблять усі",
    "Натисніть «Так, оформлюємо»",
    "Оберіть «Доставка» або «Повна оплата»",
    "Розділ «Сукні» оновився",
    "Це «Дуже гарна святкова сукня для дівчинки»",
    "Сукня Вам пасує, сукні Ваші улюблені",
    "Ідеальна сукня для свята",
    "«Ок»",
    "На жаль, сукні «Лілія» у нас немає.",
    "Тренч «Парижанка» і тренч «Лондон»",
    "Костюм «Лісовичок» для прогулянок",
  })
  void catalogNamesAndOtherQuotesPass(String text) {
    assertThat(violations(draft(List.of(), text))).isEmpty();
  }

  @Test
  void draftsOwnQuickRepliesMayBeQuoted() {
    assertThat(violations(draft(List.of(), Set.of(), List.of("Мальва плюс"), "Натисніть «Мальва плюс»")))
      .isEmpty();
    assertThat(violations(draft(List.of(), Set.of(), List.of("Так"), "Натисніть «Мрія»")))
      .containsExactly("product «Мрія» is not in the catalog");
  }

  // (d) prices

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Ціна 1250 грн", "Ціна 1 250 грн", "Ціна 1250грн.", "Ціна ₴1250", "Ціна 1250₴",
    "Ціна 1250 UAH", "Ціна 1250 гривень", "Ціна 1250,00 грн", "Ціна 2 690 грн", "Ціна: UAH 2190",
    "Разом до сплати 2500 грн", "Передоплата 200 гривень"})
  void pricesOfTheCatalogOrTheOrderPass(String text) {
    assertThat(violations(draft(List.of(), Set.of(2500, 200), null, text))).isEmpty();
  }

  @Test
  void priceNeitherInTheCatalogNorInTheOrder() {
    assertThat(violations(draft(List.of(), "Сукня «Ромашка» коштує 1300 грн, а зі знижкою 1 100 ₴")))
      .containsExactly("price 1300 грн is neither a catalog price nor an amount of this order",
        "price 1100 грн is neither a catalog price nor an amount of this order");
    assertThat(violations(draft(List.of(), "Разом 2500 грн")))
      .containsExactly("price 2500 грн is neither a catalog price nor an amount of this order");
    assertThat(violations(draft(List.of(), "Ціна 12,50 грн")))
      .containsExactly("price 12,50 грн is not a whole number of hryvnias");
    assertThat(violations(draft(List.of(), "Ціна 10000000000 грн")))
      .containsExactly("price 10000000000 грн is neither a catalog price nor an amount of this order");
    assertThat(violations(draft(List.of(), "На жаль, за 999 грн нічого немає")))
      .containsExactly("price 999 грн is neither a catalog price nor an amount of this order");
  }

  @Test
  void numbersWithoutCurrencyAreNoPrices() {
    assertThat(violations(draft(List.of(), IBAN_DETAILS + "\nЗамовлення №1300, ТТН 20450000123456"))).isEmpty();
  }

  // (e) sizes

  @Test
  void sizeOfTheMentionedProduct() {
    assertThat(violations(draft(List.of("dress-01"), "Беріть розмір 116, є ще розміри 98 і 128"))).isEmpty();
    assertThat(violations(draft(List.of("dress-01"), "Раджу розмір 140")))
      .containsExactly("size 140 is not a size of Сукня «Ромашка» (98–128 см)");
    assertThat(violations(draft(List.of(), "У «Ромашки» є розміри 98–134")))
      .containsExactly("size 134 is not a size of Сукня «Ромашка» (98–128 см)");
    assertThat(violations(draft(List.of(), "«Ромашка»: 134-й розмір")))
      .containsExactly("size 134 is not a size of Сукня «Ромашка» (98–128 см)");
    assertThat(violations(draft(List.of(), "«Ромашка», size 92")))
      .containsExactly("size 92 is not a size of Сукня «Ромашка» (98–128 см)");
    assertThat(violations(draft(List.of(), "«Ромашка», розміру 140 немає, найбільший — 128"))).isEmpty();
  }

  @Test
  void sizeOfAnyOfSeveralMentionedProducts() {
    assertThat(violations(draft(List.of("dress-01", "dress-03"), "Розмір 134 є лише у «Мальви»."))).isEmpty();
    assertThat(violations(draft(List.of("dress-01"), "А «Мальва» є в розмірі 146")))
      .containsExactly("size 146 is not a size of Сукня «Ромашка» (98–128 см) or Сукня «Мальва» (104–134 см)");
  }

  @Test
  void sizeOfAnyCatalogProductWhenNoneIsMentioned() {
    assertThat(violations(draft(List.of(), "Розмір 140 у нас є"))).isEmpty();
    assertThat(violations(draft(List.of(), "Розмір 92 теж є"))).isEmpty();
    assertThat(violations(draft(List.of(), "Розмір: 152")))
      .containsExactly("size 152 is not a size of any catalog product");
    assertThat(violations(draft(List.of(), "Розмір 86")))
      .containsExactly("size 86 is not a size of any catalog product");
  }

  @Test
  void heightIsNoSize() {
    assertThat(violations(draft(List.of("dress-01"), "Для зросту 150 см раджу розмір 128"))).isEmpty();
  }

  // (f) colours

  @Test
  void colourTheProductDoesNotHave() {
    assertThat(violations(draft(List.of(), "Сукня «Ромашка» є в зеленому кольорі.")))
      .containsExactly("colour 'зелений' is not a colour of Сукня «Ромашка» (білий, рожевий)");
    assertThat(violations(draft(List.of(), "«Ромашка» буває синя")))
      .containsExactly("colour 'синій' is not a colour of Сукня «Ромашка» (білий, рожевий)");
    assertThat(violations(draft(List.of("dress-01"), "Є у фіолетовому та білому!")))
      .containsExactly("colour 'фіолетовий' is not a colour of Сукня «Ромашка» (білий, рожевий)");
    assertThat(violations(draft(List.of(), "The Romashka dress — «Ромашка» — comes in orange")))
      .containsExactly("colour 'помаранчевий' is not a colour of Сукня «Ромашка» (білий, рожевий)");
  }

  @Test
  void coloursTheProductHasPass() {
    assertThat(violations(draft(List.of(), "Сукня «Ромашка» біла або рожева, з білою вишивкою."))).isEmpty();
    assertThat(violations(draft(List.of("dress-01"), "Є в рожевому!"))).isEmpty();
    assertThat(violations(draft(List.of(), "«Ромашка» біла. Костюм «Капітан» синій або сірий."))).isEmpty();
    assertThat(violations(draft(List.of("suit-01"), "Костюм «Капітан» — темно-синій"))).isEmpty();
  }

  @Test
  void colourOfOneProductIsNotCheckedAgainstAnother() {
    assertThat(violations(draft(List.of("dress-01", "suit-01"), "Є в синьому."))).isEmpty();
    assertThat(violations(draft(List.of(), "«Ромашка» і «Капітан» бувають сині"))).isEmpty();
    assertThat(violations(draft(List.of(), "Є в зеленому"))).isEmpty();
  }

  @Test
  void sayingAColourIsMissingIsTruthful() {
    assertThat(violations(draft(List.of(), "На жаль, зеленої «Ромашки» немає."))).isEmpty();
    assertThat(violations(draft(List.of("dress-01"), "Зеленого немає, є білий."))).isEmpty();
  }

  @Test
  void everyRuleAtOnceInOrder() {
    Draft d = new Draft(List.of(
      OutMessage.text("Сукня «Ромашка» — 999 грн, розмір 140, зелена. А ще «Лілія»."),
      OutMessage.image("https://evil.example/x.jpg")), null, Stage.STATE_4_OFFER, null, Conversation.empty(), null,
      List.of("dress-01", "x"), Set.of());

    assertThat(violations(d)).containsExactly(
      "product id 'x' is not in the catalog",
      "photo 'https://evil.example/x.jpg' is not a catalog photo",
      "price 999 грн is neither a catalog price nor an amount of this order",
      "size 140 is not a size of Сукня «Ромашка» (98–128 см)",
      "colour 'зелений' is not a colour of Сукня «Ромашка» (білий, рожевий)",
      "product «Лілія» is not in the catalog");
  }

  @Test
  void validatesAgainstTheCatalogItIsGiven() {
    Catalog other = Catalog.fromCsv("id,name,category,price,sizes,colors,photos\n"
      + "x,Сукня «Лілія»,Сукні,999,140,зелений,https://other.example/x.jpg\n");
    Draft d = new Draft(List.of(OutMessage.text("Сукня «Лілія» — 999 грн, розмір 140, зелена."),
      OutMessage.image("https://other.example/x.jpg")), null, Stage.STATE_4_OFFER, null, Conversation.empty(), null,
      List.of("x"), Set.of());

    assertThat(validator.violations(d, other)).isEmpty();
    assertThat(violations(d)).containsExactly("product id 'x' is not in the catalog",
      "photo 'https://other.example/x.jpg' is not a catalog photo",
      "price 999 грн is neither a catalog price nor an amount of this order",
      "product «Лілія» is not in the catalog");
  }
}
