package ai.mirt.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class IntentDetectorTest {

  private final IntentDetector detector = new IntentDetector(TestCatalog.CATALOG);

  @ParameterizedTest(name = "{1} → {0}")
  @CsvSource(delimiter = '|', textBlock = """
    GREETING  | Привіт!
    GREETING  | Добрий день
    GREETING  | Здравствуйте
    GREETING  | Hello there
    CATALOG   | Що у вас є?
    CATALOG   | Что у вас есть?
    CATALOG   | What do you have?
    CATEGORY  | Покажіть сукні
    CATEGORY  | Есть платья для девочки?
    CATEGORY  | Do you have dresses?
    CATEGORY  | Які є костюми?
    CATEGORY  | Хочу костюм
    CATEGORY  | Show me suits
    CATEGORY  | Є тренчі?
    CATEGORY  | Нужен плащ
    CATEGORY  | trench coat please
    PRODUCT   | Розкажіть про Ромашку
    PRODUCT   | Покажите Лисовичок
    PRODUCT   | Tell me about dress-02
    PRICE     | Скільки коштує?
    PRICE     | Яка ціна?
    PRICE     | Сколько стоит?
    PRICE     | How much is it?
    SIZE      | Зріст 116
    SIZE      | Який розмір брати?
    SIZE      | Рост 110, какой размер?
    SIZE      | What size for 5 years?
    SIZE      | Дитині 116 см
    SIZE      | 104
    COLOR     | А в рожевому є?
    COLOR     | Какие есть цвета?
    COLOR     | Is it available in pink?
    COLOR     | Які кольори?
    DELIVERY  | Як доставка?
    DELIVERY  | Відправляєте Новою Поштою?
    DELIVERY  | Сколько идет доставка?
    DELIVERY  | Do you ship to Lviv?
    PAYMENT   | Як оплатити?
    PAYMENT   | Можна накладеним платежем?
    PAYMENT   | Оплата картой?
    PAYMENT   | Can I pay by card?
    COMPLAINT | Хочу подати скаргу
    COMPLAINT | Прийшла сукня з браком
    COMPLAINT | Як оформити повернення?
    COMPLAINT | Хочу оформить возврат
    COMPLAINT | Это жалоба на магазин
    COMPLAINT | I want a refund
    COMPLAINT | The zipper is broken
    THANKS    | Дякую!
    THANKS    | Спасибо большое
    THANKS    | Thanks a lot
    OTHER     | Я ще подумаю
    OTHER     | ok
    """)
  void detectsIntentInUkrainianRussianAndEnglish(Intent expected, String text) {
    assertThat(detector.detect(text)).isEqualTo(expected);
  }

  @Test
  void specificQuestionBeatsGreeting() {
    assertThat(detector.detect("Привіт! Які у вас є сукні?")).isEqualTo(Intent.CATEGORY);
    assertThat(IntentDetector.greets("Привіт! Які у вас є сукні?")).isTrue();
  }

  @Test
  void dressIsNotMistakenForAbuseOrColour() {
    assertThat(detector.detect("Сукня біля вікна на фото")).isEqualTo(Intent.CATEGORY);
    assertThat(new Moderator().isAbusive("Гарна сукня!")).isFalse();
  }

  @Test
  void comingBackLaterIsNoComplaint() {
    assertThat(detector.detect("Добре, я ще повернусь пізніше")).isNotEqualTo(Intent.COMPLAINT);
  }

  @Test
  void sentPhotoIsNoDeliveryQuestion() {
    assertThat(detector.detect("Відправила вам фото")).isNotEqualTo(Intent.DELIVERY);
  }

  @Test
  void readsCategoryHeightAndColours() {
    assertThat(detector.category("Є платья?")).contains("dresses");
    assertThat(detector.category("Покажіть тренчі")).contains("trench-coats");
    assertThat(detector.category("Костюмчик на хлопчика")).contains("suits");
    assertThat(IntentDetector.height("зріст 113")).hasValue(113);
    assertThat(IntentDetector.height("дитині 5 років, 110 см")).hasValue(110);
    assertThat(IntentDetector.height("у мене 2 дітей")).isEmpty();
    assertThat(IntentDetector.colors("А в рожевому є?")).containsExactly("рожевий");
    assertThat(IntentDetector.colors("есть белое или синее?")).containsExactly("білий", "синій");
    assertThat(IntentDetector.colors("pink or yellow")).containsExactly("рожевий", "жовтий");
    assertThat(IntentDetector.colors("стоїть біля дверей")).isEmpty();
  }

  @Test
  void findsProductNameInAnyCase() {
    assertThat(TestCatalog.CATALOG.mentionedIn("хочу ромашку")).map(Catalog.Product::id).contains("dress-01");
    assertThat(TestCatalog.CATALOG.mentionedIn("а Лісовичка на 98 немає?")).map(Catalog.Product::id)
      .contains("suit-03");
    assertThat(TestCatalog.CATALOG.mentionedIn("веселий костюм")).isEmpty();
  }

  @Test
  void moderationCatchesAbuseInThreeLanguages() {
    Moderator m = new Moderator();
    assertThat(m.isAbusive("ти дебіл")).isTrue();
    assertThat(m.isAbusive("ты идиот")).isTrue();
    assertThat(m.isAbusive("fuck you")).isTrue();
    assertThat(m.isAbusive("Сукні у вас чудові")).isFalse();
  }
}
