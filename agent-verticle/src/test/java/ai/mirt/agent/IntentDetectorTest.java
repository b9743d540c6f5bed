package ai.mirt.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static ai.mirt.agent.Intent.COLOR_HELP;
import static ai.mirt.agent.Intent.COMPLAINT;
import static ai.mirt.agent.Intent.DISCOVERY_OR_QUESTION;
import static ai.mirt.agent.Intent.GREETING_ONLY;
import static ai.mirt.agent.Intent.OUT_OF_DOMAIN;
import static ai.mirt.agent.Intent.PAYMENT_DELIVERY;
import static ai.mirt.agent.Intent.PHOTO_IDENT;
import static ai.mirt.agent.Intent.SIZE_HELP;
import static ai.mirt.agent.Intent.THANKYOU_SMALLTALK;
import static ai.mirt.agent.Intent.UNKNOWN_OR_EMPTY;
import static org.assertj.core.api.Assertions.assertThat;

class IntentDetectorTest {

  private final IntentDetector detector = new IntentDetector();

  private Intent detect(String text, Stage stage) {
    return detector.detect(text, false, stage, TestCatalog.CATALOG);
  }

  private Intent detect(String text) {
    return detect(text, Stage.STATE_1_DISCOVERY);
  }

  @ParameterizedTest(name = "{1} → {0}")
  @CsvSource(delimiter = '|', textBlock = """
    GREETING_ONLY         | Привіт!
    GREETING_ONLY         | Добрий день
    GREETING_ONLY         | Вітаю 👋
    GREETING_ONLY         | Здравствуйте
    GREETING_ONLY         | Доброе утро
    GREETING_ONLY         | Hello there
    GREETING_ONLY         | Hi
    DISCOVERY_OR_QUESTION | Що у вас є?
    DISCOVERY_OR_QUESTION | Что у вас есть
    DISCOVERY_OR_QUESTION | What do you have
    DISCOVERY_OR_QUESTION | Покажіть сукні
    DISCOVERY_OR_QUESTION | Есть платья для девочки
    DISCOVERY_OR_QUESTION | Do you have dresses
    DISCOVERY_OR_QUESTION | Нужен плащ
    DISCOVERY_OR_QUESTION | Розкажіть про Ромашку
    DISCOVERY_OR_QUESTION | Покажите Лисовичок
    DISCOVERY_OR_QUESTION | Tell me about dress-02
    DISCOVERY_OR_QUESTION | Скільки коштує
    DISCOVERY_OR_QUESTION | Сколько стоит
    DISCOVERY_OR_QUESTION | How much is it
    DISCOVERY_OR_QUESTION | Покажіть фото
    DISCOVERY_OR_QUESTION | Відправила вам фото
    DISCOVERY_OR_QUESTION | А для хлопчика?
    DISCOVERY_OR_QUESTION | Підкажіть, будь ласка
    DISCOVERY_OR_QUESTION | Could you help me
    DISCOVERY_OR_QUESTION | Привіт, які є сукні?
    DISCOVERY_OR_QUESTION | Шукаю щось святкове
    DISCOVERY_OR_QUESTION | Ищу подарок племяннице
    DISCOVERY_OR_QUESTION | Looking for a gift
    SIZE_HELP             | Зріст 116
    SIZE_HELP             | Який розмір брати
    SIZE_HELP             | Рост 110, какой размер
    SIZE_HELP             | What size for my son
    SIZE_HELP             | Дитині 116 см
    SIZE_HELP             | 104
    SIZE_HELP             | Доньці 5 років
    SIZE_HELP             | she is 4 years old
    SIZE_HELP             | Привіт! Зріст 110
    COLOR_HELP            | А в рожевому є
    COLOR_HELP            | Какие есть цвета
    COLOR_HELP            | Is it available in pink
    COLOR_HELP            | Які кольори
    COLOR_HELP            | А фіолетова є
    COLOR_HELP            | Do you have it in green
    PAYMENT_DELIVERY      | Як доставка?
    PAYMENT_DELIVERY      | Відправляєте Новою Поштою?
    PAYMENT_DELIVERY      | Сколько идет доставка
    PAYMENT_DELIVERY      | Do you ship to Lviv
    PAYMENT_DELIVERY      | Як оплатити
    PAYMENT_DELIVERY      | Можна накладеним платежем
    PAYMENT_DELIVERY      | Оплата картой
    PAYMENT_DELIVERY      | Can I pay by card
    PAYMENT_DELIVERY      | Коли відправите?
    PAYMENT_DELIVERY      | When will you send it
    PAYMENT_DELIVERY      | Хочу замовити
    PAYMENT_DELIVERY      | Як оформити замовлення?
    PAYMENT_DELIVERY      | Беру Ромашку на 116
    PAYMENT_DELIVERY      | Хочу заказать костюм
    PAYMENT_DELIVERY      | I'll take it
    PAYMENT_DELIVERY      | I want to order the dress
    PAYMENT_DELIVERY      | Де моє замовлення?
    PAYMENT_DELIVERY      | Где мой заказ
    PAYMENT_DELIVERY      | Where is my order
    COMPLAINT             | Хочу подати скаргу
    COMPLAINT             | Прийшла сукня з браком
    COMPLAINT             | Як оформити повернення?
    COMPLAINT             | Хочу оформить возврат
    COMPLAINT             | Это жалоба на магазин
    COMPLAINT             | Посилка досі не прийшла
    COMPLAINT             | I want a refund
    COMPLAINT             | The zipper is broken
    COMPLAINT             | You sent the wrong size
    THANKYOU_SMALLTALK    | Дякую!
    THANKYOU_SMALLTALK    | Спасибо большое
    THANKYOU_SMALLTALK    | Thanks a lot
    THANKYOU_SMALLTALK    | ок
    THANKYOU_SMALLTALK    | Ok
    THANKYOU_SMALLTALK    | Добре, зрозуміло
    THANKYOU_SMALLTALK    | Як справи?
    THANKYOU_SMALLTALK    | Как дела?
    THANKYOU_SMALLTALK    | How are you?
    THANKYOU_SMALLTALK    | До побачення
    THANKYOU_SMALLTALK    | Bye
    THANKYOU_SMALLTALK    | 👍
    THANKYOU_SMALLTALK    | ❤️❤️
    THANKYOU_SMALLTALK    | Привіт, як справи?
    THANKYOU_SMALLTALK    | Ні
    THANKYOU_SMALLTALK    | no
    OUT_OF_DOMAIN         | Яка завтра погода?
    OUT_OF_DOMAIN         | Какая погода в Киеве
    OUT_OF_DOMAIN         | What's the weather like today
    OUT_OF_DOMAIN         | Що думаєте про політику?
    OUT_OF_DOMAIN         | Кто победит в футбольном матче
    OUT_OF_DOMAIN         | Who won the football match
    OUT_OF_DOMAIN         | Дайте рецепт борщу
    OUT_OF_DOMAIN         | Give me a recipe for pancakes
    OUT_OF_DOMAIN         | Допоможіть з домашнім завданням
    OUT_OF_DOMAIN         | Помоги решить домашнее задание по математике
    OUT_OF_DOMAIN         | Help me with my homework
    OUT_OF_DOMAIN         | Напиши вірш про весну
    OUT_OF_DOMAIN         | Напиши стихи
    OUT_OF_DOMAIN         | Write a poem
    OUT_OF_DOMAIN         | Розкажи анекдот
    OUT_OF_DOMAIN         | Расскажи шутку
    OUT_OF_DOMAIN         | Tell me a joke
    OUT_OF_DOMAIN         | Який курс долара?
    OUT_OF_DOMAIN         | Какой курс евро
    OUT_OF_DOMAIN         | What's the exchange rate
    OUT_OF_DOMAIN         | Чи варто купувати біткоїн?
    OUT_OF_DOMAIN         | Что думаешь о крипте
    OUT_OF_DOMAIN         | Should I buy bitcoin
    OUT_OF_DOMAIN         | Напиши код на Python
    OUT_OF_DOMAIN         | Напиши программу сортировки
    OUT_OF_DOMAIN         | Write code that sorts a list
    UNKNOWN_OR_EMPTY      | Я ще подумаю
    UNKNOWN_OR_EMPTY      | Око
    UNKNOWN_OR_EMPTY      | ...
    UNKNOWN_OR_EMPTY      | ''
    UNKNOWN_OR_EMPTY      | '   '
    """)
  void detectsIntentInUkrainianRussianAndEnglish(Intent expected, String text) {
    assertThat(detect(text)).isEqualTo(expected);
  }

  @Test
  void nullTextIsEmpty() {
    assertThat(detect(null)).isEqualTo(UNKNOWN_OR_EMPTY);
    assertThat(detector.detect(null, true, Stage.STATE_0_INIT, TestCatalog.CATALOG)).isEqualTo(PHOTO_IDENT);
  }

  @Test
  void photoIsForIdentificationUnlessItComesWithAComplaint() {
    assertThat(detector.detect("", true, Stage.STATE_0_INIT, TestCatalog.CATALOG)).isEqualTo(PHOTO_IDENT);
    assertThat(detector.detect("Є таке на 116?", true, Stage.STATE_0_INIT, TestCatalog.CATALOG))
      .isEqualTo(PHOTO_IDENT);
    assertThat(detector.detect("Як доставка?", true, Stage.STATE_1_DISCOVERY, TestCatalog.CATALOG))
      .isEqualTo(PHOTO_IDENT);
    assertThat(detector.detect("Прийшла з браком, ось фото", true, Stage.STATE_7_END, TestCatalog.CATALOG))
      .isEqualTo(COMPLAINT);
  }

  @Test
  void shopWordKeepsAFarTopicInTheShop() {
    assertThat(detect("Який тренч на дощову погоду?")).isEqualTo(DISCOVERY_OR_QUESTION);
    assertThat(detect("Ціна в доларах?")).isEqualTo(DISCOVERY_OR_QUESTION);
    assertThat(detect("Що вдягнути дитині на футбол?")).isEqualTo(DISCOVERY_OR_QUESTION);
    assertThat(detect("Погода гарна, хочу сукню в жовтому")).isEqualTo(COLOR_HELP);
    assertThat(detect("Погода, зріст 116")).isEqualTo(SIZE_HELP);
    assertThat(detect("Погода гарна, а Ромашка є?")).isEqualTo(DISCOVERY_OR_QUESTION);
    assertThat(detect("Погода, а фото є?")).isEqualTo(DISCOVERY_OR_QUESTION);
    assertThat(detect("Погода гарна, покажіть сукні")).isEqualTo(DISCOVERY_OR_QUESTION);
    assertThat(detect("Погода гарна, що у вас є")).isEqualTo(DISCOVERY_OR_QUESTION);
    assertThat(detect("Погода гарна, скільки коштує")).isEqualTo(DISCOVERY_OR_QUESTION);
    assertThat(detect("Погода гарна, які кольори")).isEqualTo(COLOR_HELP);
    assertThat(detect("Погода гарна, а доставка?")).isEqualTo(PAYMENT_DELIVERY);
    assertThat(detect("Погода гарна, а оплата?")).isEqualTo(PAYMENT_DELIVERY);
    assertThat(detect("Погода гарна, хочу замовити")).isEqualTo(PAYMENT_DELIVERY);
    assertThat(detect("Погода гарна, 116 см")).isEqualTo(SIZE_HELP);
    assertThat(detect("Погода гарна, синя є?")).isEqualTo(COLOR_HELP);
    assertThat(detect("Погода гарна, а фіолетова є?")).isEqualTo(COLOR_HELP);
  }

  // --- words that broke substring matching ---

  @Test
  void okIsNotInsideOko() {
    assertThat(detect("ок")).isEqualTo(THANKYOU_SMALLTALK);
    assertThat(detect("око")).isEqualTo(UNKNOWN_OR_EMPTY);
    assertThat(detect("око", Stage.STATE_4_OFFER)).isEqualTo(UNKNOWN_OR_EMPTY);
    assertThat(detect("ок", Stage.STATE_4_OFFER)).isEqualTo(PAYMENT_DELIVERY);
    assertThat(IntentDetector.affirms("око")).isFalse();
  }

  @Test
  void dressIsNotAbuseAndAbuseIsNoDress() {
    assertThat(detect("Сукня біля вікна на фото")).isEqualTo(DISCOVERY_OR_QUESTION);
    assertThat(detect("сука")).isEqualTo(UNKNOWN_OR_EMPTY);
    assertThat(detect("сукня")).isEqualTo(DISCOVERY_OR_QUESTION);
  }

  @Test
  void nearIsNotWhite() {
    assertThat(detect("Стою біля магазину")).isEqualTo(UNKNOWN_OR_EMPTY);
    assertThat(detect("А біла є")).isEqualTo(COLOR_HELP);
  }

  @Test
  void sentPhotoIsNoDeliveryQuestion() {
    assertThat(detect("Відправила фото")).isNotEqualTo(PAYMENT_DELIVERY);
    assertThat(detect("Надіслала скрін")).isNotEqualTo(PAYMENT_DELIVERY);
    assertThat(detect("Відправили вже?")).isEqualTo(PAYMENT_DELIVERY);
  }

  @Test
  void comingBackLaterIsNoComplaint() {
    assertThat(detect("Добре, я ще повернусь пізніше")).isEqualTo(THANKYOU_SMALLTALK);
    assertThat(detect("Я повернуся до вас завтра")).isNotEqualTo(COMPLAINT);
    assertThat(detect("Хочу повернути сукню")).isEqualTo(COMPLAINT);
  }

  // --- the stage of the sale ---

  @ParameterizedTest(name = "offer: {0}")
  @ValueSource(strings = {"Так", "так, оформлюємо", "Да", "Yes", "ok", "ОК", "Оформлюємо", "Хочу", "Беру",
    "Ромашку", "Давайте", "Згодна", "sure", "Хочу її"})
  void agreeingToTheOfferIsOrdering(String text) {
    assertThat(detect(text, Stage.STATE_4_OFFER)).isEqualTo(PAYMENT_DELIVERY);
  }

  @Test
  void theSameWordsOutsideTheOfferAreSmallTalk() {
    assertThat(detect("Так", Stage.STATE_1_DISCOVERY)).isEqualTo(UNKNOWN_OR_EMPTY);
    assertThat(detect("ok", Stage.STATE_3_SIZE_COLOR)).isEqualTo(THANKYOU_SMALLTALK);
    assertThat(detect("Хочу", Stage.STATE_1_DISCOVERY)).isEqualTo(UNKNOWN_OR_EMPTY);
    assertThat(detect("Ромашку", Stage.STATE_1_DISCOVERY)).isEqualTo(DISCOVERY_OR_QUESTION);
  }

  @Test
  void askingForAnotherSizeOrColourInTheOfferIsNoOrder() {
    assertThat(detect("Інший розмір", Stage.STATE_4_OFFER)).isEqualTo(SIZE_HELP);
    assertThat(detect("Так, але на 122 см", Stage.STATE_4_OFFER)).isEqualTo(SIZE_HELP);
    assertThat(detect("Хочу в синьому", Stage.STATE_4_OFFER)).isEqualTo(COLOR_HELP);
    assertThat(detect("Хочу інший колір", Stage.STATE_4_OFFER)).isEqualTo(COLOR_HELP);
    assertThat(detect("А інша модель?", Stage.STATE_4_OFFER)).isEqualTo(DISCOVERY_OR_QUESTION);
    assertThat(detect("Ні, дякую", Stage.STATE_4_OFFER)).isEqualTo(THANKYOU_SMALLTALK);
    assertThat(detect("Добре, я ще подумаю", Stage.STATE_4_OFFER)).isEqualTo(THANKYOU_SMALLTALK);
    assertThat(detect("Не знаю", Stage.STATE_4_OFFER)).isEqualTo(UNKNOWN_OR_EMPTY);
  }

  @ParameterizedTest(name = "payment: {0}")
  @ValueSource(strings = {"067 123 45 67", "Олена Коваль, +38 (067) 123-45-67", "Київ", "м. Бровари",
    "Біла Церква", "відділення 12", "№ 12", "НП 5", "Все вірно", "Підтверджую", "Коваль Олена", "Повна оплата",
    "Передоплата 200 грн"})
  void deliveryDetailsInThePaymentStage(String text) {
    assertThat(detect(text, Stage.STATE_5_PAYMENT_DELIVERY)).isEqualTo(PAYMENT_DELIVERY);
  }

  @Test
  void paymentStageStillKnowsOtherIntents() {
    assertThat(detect("Дякую!", Stage.STATE_5_PAYMENT_DELIVERY)).isEqualTo(THANKYOU_SMALLTALK);
    assertThat(detect("А який розмір краще?", Stage.STATE_5_PAYMENT_DELIVERY)).isEqualTo(SIZE_HELP);
    assertThat(detect("Яка погода завтра?", Stage.STATE_5_PAYMENT_DELIVERY)).isEqualTo(OUT_OF_DOMAIN);
    assertThat(detect("Коваль Олена", Stage.STATE_1_DISCOVERY)).isEqualTo(UNKNOWN_OR_EMPTY);
    assertThat(detect("Київ", Stage.STATE_1_DISCOVERY)).isEqualTo(UNKNOWN_OR_EMPTY);
    assertThat(detect("Біла Церква", Stage.STATE_1_DISCOVERY)).isEqualTo(COLOR_HELP);
    assertThat(detect("067 123 45 67", Stage.STATE_1_DISCOVERY)).isEqualTo(UNKNOWN_OR_EMPTY);
  }

  @ParameterizedTest(name = "upsell yes: {0}")
  @ValueSource(strings = {"Так", "Давайте", "Додайте", "так, додати", "Yes", "Да, добавьте"})
  void takingTheUpsellIsOrdering(String text) {
    assertThat(detect(text, Stage.STATE_6_UPSELL)).isEqualTo(PAYMENT_DELIVERY);
  }

  @ParameterizedTest(name = "upsell no: {0}")
  @ValueSource(strings = {"Ні", "Ні, дякую", "не треба", "Нет, не нужно", "No thanks", "Дякую, ні"})
  void refusingTheUpsellIsSmallTalk(String text) {
    assertThat(detect(text, Stage.STATE_6_UPSELL)).isEqualTo(THANKYOU_SMALLTALK);
  }

  @Test
  void upsellStageReadsOtherWordsAsUsual() {
    assertThat(detect("А доставка скільки?", Stage.STATE_6_UPSELL)).isEqualTo(PAYMENT_DELIVERY);
    assertThat(detect("Який розмір?", Stage.STATE_6_UPSELL)).isEqualTo(SIZE_HELP);
    assertThat(detect("Додайте", Stage.STATE_1_DISCOVERY)).isEqualTo(UNKNOWN_OR_EMPTY);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Stage.class)
  void orderingWordsOrderAtAnyStage(Stage stage) {
    assertThat(detect("Хочу оформити замовлення", stage)).isEqualTo(PAYMENT_DELIVERY);
    assertThat(detect("Ні, не беру", stage)).isEqualTo(THANKYOU_SMALLTALK);
  }

  // --- helpers ---

  @ParameterizedTest(name = "affirms: {0}")
  @ValueSource(strings = {"так", "Да", "yes", "беру", "ок", "добре", "згодна", "Згоден", "все вірно", "Вірно",
    "підтверджую", "оформлюємо", "давайте", "Так, звісно!", "Дякую, все вірно"})
  void affirms(String text) {
    assertThat(IntentDetector.affirms(text)).isTrue();
  }

  @ParameterizedTest(name = "does not affirm: {0}")
  @ValueSource(strings = {"ні", "так, але не той", "добре, я подумаю", "не знаю", "так чи ні?", "такий", "окей? ні",
    "око", "", "Данило"})
  void doesNotAffirm(String text) {
    assertThat(IntentDetector.affirms(text)).isFalse();
  }

  @Test
  void affirmsNothingInNull() {
    assertThat(IntentDetector.affirms(null)).isFalse();
    assertThat(IntentDetector.declines(null)).isFalse();
  }

  @ParameterizedTest(name = "declines: {0}")
  @ValueSource(strings = {"ні", "Нет", "no", "не треба", "не потрібно", "дякую, ні", "Ні, дякую", "не надо"})
  void declines(String text) {
    assertThat(IntentDetector.declines(text)).isTrue();
  }

  @ParameterizedTest(name = "does not decline: {0}")
  @ValueSource(strings = {"так", "нітрохи", "нормально", "noted", "треба", "Ніна"})
  void doesNotDecline(String text) {
    assertThat(IntentDetector.declines(text)).isFalse();
  }

  @Test
  void greets() {
    assertThat(IntentDetector.greets("Привіт! Які у вас є сукні?")).isTrue();
    assertThat(IntentDetector.greets("Hi")).isTrue();
    assertThat(IntentDetector.greets("Which size")).isFalse();
    assertThat(IntentDetector.greets(null)).isFalse();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
    зріст 113                  | 113
    дитині 5 років, 110 см     | 110
    116см                      | 116
    122 cm                     | 122
    98 сантиметрів             | 98
    розмір 104                 | 104
    104                        | 104
    116 см.                    | 116
    Рост 110, какой размер?    | 110
    зріст 2 роки і 95          | 95
    50 см                      | 50
    190 см                     | 190
    """)
  void readsTheHeight(String text, int cm) {
    assertThat(IntentDetector.height(text)).hasValue(cm);
  }

  @ParameterizedTest(name = "no height: {0}")
  @ValueSource(strings = {"у мене 2 дітей", "на 5 років", "49 см", "191 см", "зріст 200", "ціна 116", "", "1250 грн"})
  void readsNoHeight(String text) {
    assertThat(IntentDetector.height(text)).isEmpty();
  }

  @Test
  void heightOfNullIsEmpty() {
    assertThat(IntentDetector.height(null)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
    067 123 45 67                       | +380671234567
    +38 (067) 123-45-67                 | +380671234567
    0671234567                          | +380671234567
    380671234567                        | +380671234567
    +380 50 123 45 67                   | +380501234567
    8 067 123 45 67                     | +380671234567
    Олена, 093-123-45-67, Київ          | +380931234567
    зріст 116 067 123 45 67             | +380671234567
    (044) 123 45 67                     | +380441234567
    073 000 00 00                       | +380730000000
    099 999 99 99                       | +380999999999
    031 123 45 67                       | +380311234567
    """)
  void readsAUkrainianPhone(String text, String phone) {
    assertThat(IntentDetector.phone(text)).contains(phone);
  }

  @ParameterizedTest(name = "no phone: {0}")
  @ValueSource(strings = {"067 123 45 6", "067 123 45 678", "+1 555 123 4567", "020 123 45 67", "+48 512 345 678",
    "0401234567", "0491234567", "0581234567", "0601234567", "0701234567", "0901234567", "0301234567",
    "671234567", "UA213223130000026007233566001", "відділення 12", "", "1234567890"})
  void readsNoPhone(String text) {
    assertThat(IntentDetector.phone(text)).isEmpty();
  }

  @Test
  void phoneOfNullIsEmpty() {
    assertThat(IntentDetector.phone(null)).isEmpty();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
    відділення 12               | 12
    Відділення №7               | 7
    №12                         | 12
    № 12                        | 12
    НП 5                        | 5
    np 15                       | 15
    Нова пошта 45               | 45
    отделение 3                 | 3
    Отделение № 31              | 31
    branch 7                    | 7
    branch no. 8                | 8
    поштомат 123                | 123
    почтомат 5512               | 5512
    Київ, 12 відділення         | 12
    12-е отделение              | 12
    #4                          | 4
    відд. 9                     | 9
    Київ, відділення 0, НП 3    | 3
    """)
  void readsTheBranch(String text, int branch) {
    assertThat(IntentDetector.branch(text)).hasValue(branch);
  }

  @ParameterizedTest(name = "no branch: {0}")
  @ValueSource(strings = {"відділення", "Київ", "зріст 116", "НП", "№", "відділення 0", "", "snp 5",
    "відділення 123456"})
  void readsNoBranch(String text) {
    assertThat(IntentDetector.branch(text)).isEmpty();
  }

  @Test
  void branchOfNullIsEmpty() {
    assertThat(IntentDetector.branch(null)).isEmpty();
  }

  @Test
  void wordsMatchWholeWordsOnly() {
    assertThat(IntentDetector.words("ок").matcher("око").find()).isFalse();
    assertThat(IntentDetector.words("ок").matcher("ну ок.").find()).isTrue();
    assertThat(IntentDetector.words("сукн*").matcher("сукнями").find()).isTrue();
    assertThat(IntentDetector.words("нов* пошт*").matcher("новою   поштою").find()).isTrue();
    assertThat(IntentDetector.words("ok").matcher("OK").find()).isTrue();
    assertThat(IntentDetector.words("зріст").matcher("зріст2").find()).isFalse();
  }

  @Test
  void normalizeLowersAndUnifiesApostrophes() {
    assertThat(IntentDetector.normalize("М’ЯТНИЙ Мʼята м`ята Ёлка")).isEqualTo("м'ятний м'ята м'ята елка");
    assertThat(IntentDetector.normalize(null)).isEmpty();
  }
}
