package ai.mirt.agent;

import ai.mirt.common.OutMessage;

import java.util.List;

/**
 * The deterministic assistant that answers without a model: in Ukrainian whatever the customer's language, every
 * word from the shop's texts and every product, price, size, colour and photo from the catalog. It walks a customer
 * from the greeting through the offer, the delivery details and the payment to the upsell, and it writes the
 * escalations and fallbacks for the model too, so an honest answer never depends on a model. Thread-safe.
 */
public final class OfflineWriter implements Writer {

  /** The escalation reason of a complaint, and the text a reason without its own text gets. */
  static final String COMPLAINT = "complaint";
  private static final String FALLBACK_TEXT = "validation_failed";

  @Override
  public String model() {
    return "offline";
  }

  @Override
  public Draft write(Step step, TurnContext c) {
    if (step == Step.ESCALATION) {
      return escalation(c);
    }
    Composer r = new Composer(c);
    if (step == Step.OUT_OF_DOMAIN) {
      boolean abuse = c.moderation() == Moderation.ABUSE;
      r.say(abuse ? "abuse" : "ood", "categories", OfferText.categories(c.catalog()));
      return r.done(abuse ? c.conversation().stage() : Stage.STATE_9_OOD);
    }
    if (Slots.greets(c.text())) {
      String name = c.name();
      r.say(name == null ? "hello" : "hello_named", "name", name);
    }
    // A yes to the offer is understood whichever node the turn went to.
    boolean accepted = c.conversation().stage() == Stage.STATE_4_OFFER && step != Step.VISION && Checkout.accepts(c);
    if (accepted) {
      return Checkout.accept(r);
    }
    return switch (step) {
      case VISION -> Showcase.vision(r);
      case PAYMENT -> Checkout.answer(r);
      case UPSELL -> Upsell.answer(r);
      default -> Browsing.answer(r);
    };
  }

  /**
   * The honest text for why a person takes over. A complaint moves the conversation to {@code STATE_8_COMPLAINT};
   * anything else (a model failure, a timeout) keeps it where it was, so the sale can go on afterwards.
   */
  private static Draft escalation(TurnContext c) {
    Conversation before = c.conversation();
    String reason = c.escalation() == null ? COMPLAINT : c.escalation();
    boolean complaint = c.intent() == Intent.COMPLAINT || COMPLAINT.equals(reason);
    Stage stage = complaint ? Stage.STATE_8_COMPLAINT : before.stage();
    String key = c.shop().hasText(reason) ? reason : FALLBACK_TEXT;
    return new Draft(List.of(OutMessage.text(c.shop().text(key))), List.of(), stage, null, before, reason, List.of(),
      null);
  }
}
