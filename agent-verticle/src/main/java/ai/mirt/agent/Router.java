package ai.mirt.agent;

import java.util.Set;

/**
 * Chooses the answering node for a turn from moderation, the intent, the photos and the conversation. Pure: the
 * table of the README's graph. Once an order is under way the stage decides, not the intent: a phone number or a
 * city reads like nothing in particular, and a checkout must not fall back to browsing because of it.
 */
final class Router {

  /** Intents that change what is offered (another size, colour or product) rather than answer the offer. */
  private static final Set<Intent> BROWSING = Set.of(Intent.SIZE_HELP, Intent.COLOR_HELP,
    Intent.DISCOVERY_OR_QUESTION);

  private Router() {
  }

  static Step route(Moderation moderation, Intent intent, boolean hasImages, Conversation c) {
    if (moderation == Moderation.INJECTION || intent == Intent.COMPLAINT) {
      return Step.ESCALATION;
    }
    if (moderation == Moderation.ABUSE) {
      return Step.OUT_OF_DOMAIN;
    }
    if (hasImages) {
      // A photo after the order was confirmed is the payment screenshot; before, a product to find.
      return Conversation.CONFIRMED.equals(c.orderStatus()) ? Step.PAYMENT : Step.VISION;
    }
    if (intent == Intent.OUT_OF_DOMAIN) {
      return Step.OUT_OF_DOMAIN;
    }
    Stage stage = c.stage();
    if (stage == Stage.STATE_6_UPSELL) {
      return Step.UPSELL;
    }
    boolean detour = stage == Stage.STATE_8_COMPLAINT || stage == Stage.STATE_9_OOD;
    if (stage == Stage.STATE_5_PAYMENT_DELIVERY || detour && Checkout.inProgress(c)) {
      return Step.PAYMENT;
    }
    if (stage == Stage.STATE_4_OFFER) {
      if (intent == Intent.PAYMENT_DELIVERY) {
        return Step.PAYMENT;
      }
      return BROWSING.contains(intent) ? Step.DISCOVERY : Step.OFFER;
    }
    if (intent == Intent.PAYMENT_DELIVERY && c.focusProductId() != null) {
      return Step.OFFER;
    }
    return Step.DISCOVERY;
  }
}
