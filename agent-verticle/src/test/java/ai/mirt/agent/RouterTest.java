package ai.mirt.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RouterTest {

  private static final Conversation.Line LINE = new Conversation.Line("dress-01", "Сукня «Ромашка»", 116, "рожевий",
    1250);

  private static Conversation at(Stage stage) {
    return Conversation.empty().toBuilder().stage(stage).build();
  }

  private static Conversation ordering(Stage stage, String status) {
    return at(stage).toBuilder().cart(List.of(LINE)).order(status == null ? null : "M-1", status).build();
  }

  private static Conversation focused(Stage stage) {
    return at(stage).toBuilder().focus("dress-01").build();
  }

  @ParameterizedTest
  @EnumSource(Stage.class)
  void injectionEscalatesWhateverTheStageIntentOrPhoto(Stage stage) {
    assertThat(Router.route(Moderation.INJECTION, Intent.GREETING_ONLY, true, ordering(stage, Conversation.CONFIRMED)))
      .isEqualTo(Step.ESCALATION);
    assertThat(Router.route(Moderation.INJECTION, Intent.OUT_OF_DOMAIN, false, at(stage))).isEqualTo(Step.ESCALATION);
  }

  @ParameterizedTest
  @EnumSource(Stage.class)
  void complaintEscalatesEvenWithAPhotoOrAnInsult(Stage stage) {
    assertThat(Router.route(Moderation.OK, Intent.COMPLAINT, false, at(stage))).isEqualTo(Step.ESCALATION);
    assertThat(Router.route(Moderation.OK, Intent.COMPLAINT, true, ordering(stage, Conversation.CONFIRMED)))
      .isEqualTo(Step.ESCALATION);
    assertThat(Router.route(Moderation.ABUSE, Intent.COMPLAINT, false, at(stage))).isEqualTo(Step.ESCALATION);
  }

  @ParameterizedTest
  @EnumSource(Stage.class)
  void abuseGetsThePoliteAnswerEvenWithAPhoto(Stage stage) {
    assertThat(Router.route(Moderation.ABUSE, Intent.GREETING_ONLY, false, at(stage))).isEqualTo(Step.OUT_OF_DOMAIN);
    assertThat(Router.route(Moderation.ABUSE, Intent.PHOTO_IDENT, true, ordering(stage, Conversation.CONFIRMED)))
      .isEqualTo(Step.OUT_OF_DOMAIN);
  }

  @Test
  void photoAfterConfirmationIsThePaymentScreenshot() {
    assertThat(Router.route(Moderation.OK, Intent.PHOTO_IDENT, true,
      ordering(Stage.STATE_5_PAYMENT_DELIVERY, Conversation.CONFIRMED))).isEqualTo(Step.PAYMENT);
    assertThat(Router.route(Moderation.OK, Intent.PHOTO_IDENT, true,
      ordering(Stage.STATE_9_OOD, Conversation.CONFIRMED))).isEqualTo(Step.PAYMENT);
  }

  @Test
  void photoBeforeConfirmationOrAfterPaymentIsAProductToFind() {
    assertThat(Router.route(Moderation.OK, Intent.PHOTO_IDENT, true, at(Stage.STATE_0_INIT))).isEqualTo(Step.VISION);
    assertThat(Router.route(Moderation.OK, Intent.PHOTO_IDENT, true, ordering(Stage.STATE_5_PAYMENT_DELIVERY, null)))
      .isEqualTo(Step.VISION);
    assertThat(Router.route(Moderation.OK, Intent.PHOTO_IDENT, true,
      ordering(Stage.STATE_6_UPSELL, Conversation.PAID))).isEqualTo(Step.VISION);
    // The intent does not matter: a photo with an off-topic caption is still a photo.
    assertThat(Router.route(Moderation.OK, Intent.OUT_OF_DOMAIN, true, at(Stage.STATE_1_DISCOVERY)))
      .isEqualTo(Step.VISION);
  }

  @ParameterizedTest
  @EnumSource(Stage.class)
  void offTopicGoesToOutOfDomainInEveryStage(Stage stage) {
    assertThat(Router.route(Moderation.OK, Intent.OUT_OF_DOMAIN, false, ordering(stage, null)))
      .isEqualTo(Step.OUT_OF_DOMAIN);
  }

  @ParameterizedTest
  @EnumSource(value = Intent.class, names = {"COMPLAINT", "OUT_OF_DOMAIN"}, mode = EnumSource.Mode.EXCLUDE)
  void upsellStageAnswersTheSuggestion(Intent intent) {
    assertThat(Router.route(Moderation.OK, intent, false, ordering(Stage.STATE_6_UPSELL, Conversation.PAID)))
      .isEqualTo(Step.UPSELL);
  }

  @ParameterizedTest
  @EnumSource(value = Intent.class, names = {"COMPLAINT", "OUT_OF_DOMAIN"}, mode = EnumSource.Mode.EXCLUDE)
  void paymentStageStaysInCheckoutWhateverTheIntent(Intent intent) {
    assertThat(Router.route(Moderation.OK, intent, false, ordering(Stage.STATE_5_PAYMENT_DELIVERY, null)))
      .isEqualTo(Step.PAYMENT);
    assertThat(Router.route(Moderation.OK, intent, false, at(Stage.STATE_5_PAYMENT_DELIVERY)))
      .isEqualTo(Step.PAYMENT);
  }

  @ParameterizedTest
  @EnumSource(value = Stage.class, names = {"STATE_8_COMPLAINT", "STATE_9_OOD"})
  void detourDuringAnOrderReturnsToCheckout(Stage stage) {
    assertThat(Router.route(Moderation.OK, Intent.UNKNOWN_OR_EMPTY, false, ordering(stage, null)))
      .isEqualTo(Step.PAYMENT);
    assertThat(Router.route(Moderation.OK, Intent.SIZE_HELP, false, ordering(stage, Conversation.CONFIRMED)))
      .isEqualTo(Step.PAYMENT);
  }

  @ParameterizedTest
  @EnumSource(value = Stage.class, names = {"STATE_8_COMPLAINT", "STATE_9_OOD"})
  void detourWithoutAnOpenOrderGoesBackToBrowsing(Stage stage) {
    assertThat(Router.route(Moderation.OK, Intent.UNKNOWN_OR_EMPTY, false, at(stage))).isEqualTo(Step.DISCOVERY);
    assertThat(Router.route(Moderation.OK, Intent.UNKNOWN_OR_EMPTY, false, ordering(stage, Conversation.PAID)))
      .isEqualTo(Step.DISCOVERY);
  }

  @Test
  void openOrderOutsideADetourDoesNotForceCheckout() {
    assertThat(Router.route(Moderation.OK, Intent.UNKNOWN_OR_EMPTY, false, ordering(Stage.STATE_7_END, null)))
      .isEqualTo(Step.DISCOVERY);
    assertThat(Router.route(Moderation.OK, Intent.UNKNOWN_OR_EMPTY, false, ordering(Stage.STATE_3_SIZE_COLOR, null)))
      .isEqualTo(Step.DISCOVERY);
  }

  @Test
  void deliveryOrPaymentQuestionAtTheOfferGoesToPayment() {
    assertThat(Router.route(Moderation.OK, Intent.PAYMENT_DELIVERY, false, focused(Stage.STATE_4_OFFER)))
      .isEqualTo(Step.PAYMENT);
  }

  @ParameterizedTest
  @EnumSource(value = Intent.class, names = {"SIZE_HELP", "COLOR_HELP", "DISCOVERY_OR_QUESTION"})
  void anotherSizeColourOrProductAtTheOfferIsBrowsing(Intent intent) {
    assertThat(Router.route(Moderation.OK, intent, false, focused(Stage.STATE_4_OFFER))).isEqualTo(Step.DISCOVERY);
  }

  @ParameterizedTest
  @EnumSource(value = Intent.class, names = {"GREETING_ONLY", "THANKYOU_SMALLTALK", "UNKNOWN_OR_EMPTY", "PHOTO_IDENT"})
  void anythingElseAtTheOfferAnswersTheOffer(Intent intent) {
    // "беру", "так" and "ні" read as nothing in particular: the offer node understands them.
    assertThat(Router.route(Moderation.OK, intent, false, focused(Stage.STATE_4_OFFER))).isEqualTo(Step.OFFER);
  }

  @Test
  void deliveryQuestionAboutAFocusedProductGoesToTheOffer() {
    assertThat(Router.route(Moderation.OK, Intent.PAYMENT_DELIVERY, false, focused(Stage.STATE_3_SIZE_COLOR)))
      .isEqualTo(Step.OFFER);
    assertThat(Router.route(Moderation.OK, Intent.PAYMENT_DELIVERY, false, focused(Stage.STATE_1_DISCOVERY)))
      .isEqualTo(Step.OFFER);
  }

  @Test
  void deliveryQuestionWithoutAProductIsDiscovery() {
    assertThat(Router.route(Moderation.OK, Intent.PAYMENT_DELIVERY, false, at(Stage.STATE_0_INIT)))
      .isEqualTo(Step.DISCOVERY);
    assertThat(Router.route(Moderation.OK, Intent.PAYMENT_DELIVERY, false, at(Stage.STATE_7_END)))
      .isEqualTo(Step.DISCOVERY);
  }

  @ParameterizedTest
  @EnumSource(value = Stage.class, names = {"STATE_0_INIT", "STATE_1_DISCOVERY", "STATE_2_VISION",
    "STATE_3_SIZE_COLOR", "STATE_7_END"})
  void browsingStagesGoToDiscovery(Stage stage) {
    for (Intent intent : List.of(Intent.GREETING_ONLY, Intent.DISCOVERY_OR_QUESTION, Intent.SIZE_HELP,
      Intent.COLOR_HELP, Intent.THANKYOU_SMALLTALK, Intent.UNKNOWN_OR_EMPTY)) {
      assertThat(Router.route(Moderation.OK, intent, false, focused(stage))).as("%s", intent)
        .isEqualTo(Step.DISCOVERY);
    }
  }
}
