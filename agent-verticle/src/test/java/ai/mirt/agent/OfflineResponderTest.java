package ai.mirt.agent;

import ai.mirt.common.OutMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class OfflineResponderTest {

  // Ukrainian-only letters: an answer in Ukrainian has them, a Russian or English one would not.
  private static final Pattern UKRAINIAN = Pattern.compile("[іїєґ]", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final Pattern RUSSIAN_ONLY = Pattern.compile("[ыэъё]",
    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private final IntentDetector detector = new IntentDetector(TestCatalog.CATALOG);
  private final OfflineResponder responder = new OfflineResponder(TestCatalog.CATALOG);

  private Answer ask(String text, Conversation c) {
    return ask(text, null, c);
  }

  private Answer ask(String text, String name, Conversation c) {
    return responder.respond(new Responder.Question(text, List.of(), name, detector.detect(text)), c);
  }

  private static List<String> texts(Answer a) {
    return a.messages().stream().filter(m -> m.kind() == OutMessage.Kind.TEXT).map(OutMessage::value).toList();
  }

  private static List<String> images(Answer a) {
    return a.messages().stream().filter(m -> m.kind() == OutMessage.Kind.IMAGE).map(OutMessage::value).toList();
  }

  @Test
  void greetingUsesFirstNameAndNamesCategories() {
    Answer a = ask("Привіт!", "Олена", Conversation.empty());

    assertThat(a.text()).contains("Олена").contains("сукні").contains("костюми").contains("тренчі");
    assertThat(a.quickReplies()).containsExactly("Сукні", "Костюми", "Тренчі");
    assertThat(a.state()).isEqualTo(Stages.DISCOVERY);
  }

  @Test
  void categoryQuestionListsProductsWithPriceAndPhoto() {
    Answer a = ask("Які у вас є сукні?", Conversation.empty());

    assertThat(texts(a)).contains("Сукня «Ромашка» — 1250 грн", "Сукня «Веселка» — 1390 грн",
      "Сукня «Мальва» — 1490 грн");
    assertThat(images(a)).containsExactly("https://shop.example.com/img/dress-01-1.jpg",
      "https://shop.example.com/img/dress-02-1.jpg", "https://shop.example.com/img/dress-03-1.jpg");
    assertThat(a.shownProductIds()).containsExactly("dress-01", "dress-02", "dress-03");
    assertThat(a.messages()).hasSizeLessThanOrEqualTo(10);
    assertThat(a.state()).isEqualTo(Stages.OFFER);
  }

  @Test
  void productQuestionHasPriceSizesColoursAndPhotos() {
    Answer a = ask("Розкажіть про сукню Ромашка", Conversation.empty());

    assertThat(a.text()).contains("1250 грн").contains("98, 104, 110, 116, 122, 128").contains("білий, рожевий");
    assertThat(images(a)).containsExactly("https://shop.example.com/img/dress-01-1.jpg",
      "https://shop.example.com/img/dress-01-2.jpg");
    assertThat(a.focusProductId()).isEqualTo("dress-01");
    assertThat(a.fields()).containsEntry(OfflineResponder.FIELD_PRODUCT, "Сукня «Ромашка»");
  }

  @Test
  void heightGetsNearestSizeNotBelowItForProductBeingDiscussed() {
    Conversation afterProduct = new Conversation(List.of(), Stages.OFFER, List.of("dress-01"), "dress-01", null);

    Answer a = ask("Зріст 113 см", afterProduct);

    assertThat(a.text()).contains("розмір 116").contains("Ромашка");
    assertThat(a.fields()).containsEntry(OfflineResponder.FIELD_SIZE, "116");
    assertThat(a.state()).isEqualTo(Stages.SIZE);
  }

  @Test
  void heightAboveLargestSizeSaysTheModelIsTooSmall() {
    Conversation afterProduct = new Conversation(List.of(), Stages.OFFER, List.of("dress-01"), "dress-01", null);

    Answer a = ask("зріст 140 см", afterProduct);

    assertThat(a.text()).contains("до зросту 128").contains("замала");
    assertThat(a.fields()).doesNotContainKey(OfflineResponder.FIELD_SIZE);
  }

  @Test
  void colourQuestionRefersToProductBeingDiscussed() {
    Conversation afterProduct = new Conversation(List.of(), Stages.OFFER, List.of("dress-02"), "dress-02", null);

    Answer pink = ask("а в рожевому є?", afterProduct);
    Answer yellow = ask("а в жовтому є?", afterProduct);

    assertThat(pink.text()).contains("На жаль").contains("Веселка").contains("блакитний, жовтий");
    assertThat(yellow.text()).startsWith("Так").contains("Веселка");
    assertThat(images(yellow)).containsExactly("https://shop.example.com/img/dress-02-1.jpg");
  }

  @Test
  void colourAfterListingFiltersTheListedProducts() {
    Conversation afterListing = new Conversation(List.of(), Stages.OFFER,
      List.of("dress-01", "dress-02", "dress-03"), null, null);

    Answer a = ask("а рожеві є?", afterListing);

    assertThat(texts(a)).contains("Сукня «Ромашка» — 1250 грн", "Сукня «Мальва» — 1490 грн");
    assertThat(a.shownProductIds()).containsExactly("dress-01", "dress-03");
  }

  @Test
  void deliveryAndPaymentGetFixedAnswers() {
    assertThat(ask("Як доставка?", Conversation.empty()).text()).contains("Новою Поштою");
    Answer payment = ask("Як можна оплатити?", Conversation.empty());
    assertThat(payment.text()).contains("карткою").contains("при отриманні");
    assertThat(payment.state()).isEqualTo(Stages.CHECKOUT);
  }

  @Test
  void complaintHandsOverToHuman() {
    Answer a = ask("Прийшла сукня з браком, хочу повернення", Conversation.empty());

    assertThat(a.addTags()).containsExactly(Answer.TAG_NEEDS_HUMAN);
    assertThat(a.state()).isEqualTo(Stages.HUMAN);
    assertThat(a.text()).contains("менеджер");
  }

  @Test
  void russianAndEnglishQuestionsAreAnsweredInUkrainian() {
    for (String question : List.of("Какие у вас есть платья?", "Сколько стоит доставка?", "Хочу платье Ромашка",
      "Do you have suits?", "How much is the London trench?", "Hello!")) {
      Answer a = ask(question, Conversation.empty());
      assertThat(a.text()).as(question).containsPattern(UKRAINIAN).doesNotContainPattern(RUSSIAN_ONLY);
    }
  }

  @Test
  void greetingInFirstMessageIsAnsweredBeforeTheQuestion() {
    Answer a = ask("Добрий день! Які є костюми?", "Ірина", Conversation.empty());

    assertThat(texts(a).get(0)).startsWith("Вітаю, Ірина!");
    assertThat(a.shownProductIds()).hasSize(3).allMatch(id -> id.startsWith("suit-"));
  }

  @Test
  void photoWithoutTextIsThanked() {
    Answer a = responder.respond(new Responder.Question("", List.of("https://cdn.example.com/x.jpg"), null,
      Intent.OTHER), Conversation.empty());

    assertThat(a.text()).startsWith("Дякую за фото");
  }
}
