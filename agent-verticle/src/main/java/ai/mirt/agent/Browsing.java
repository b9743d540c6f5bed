package ai.mirt.agent;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The discovery and offer turns: categories, a product by name, its size and colour, and the questions customers ask
 * before they buy. Whatever was asked, the answer ends with the next step of the sale: the next question, or the
 * offer once product, size and colour are known.
 */
final class Browsing {

  private Browsing() {
  }

  static Draft answer(Composer r) {
    TurnContext c = r.context();
    Conversation conv = c.conversation();
    Catalog catalog = c.catalog();
    String text = c.text();
    Optional<Catalog.Product> named = catalog.mentionedIn(text);
    Optional<String> category = Slots.category(text, catalog);
    OptionalInt height = Slots.height(text);
    List<String> colors = Slots.colors(text, catalog);
    Catalog.Product focus = catalog.product(conv.focusProductId()).orElse(null);
    boolean details = height.isPresent() || !colors.isEmpty();
    // After the sale the product just bought is not offered again: "ок" or a question is answered, not sold to.
    boolean ended = conv.stage() == Stage.STATE_7_END;
    Catalog.Product pending = ended ? null : focus;

    if (named.isPresent()) {
      Catalog.Product p = named.get();
      if (focus != null && p.id().equals(focus.id())) {
        return Fitting.fit(r, p, conv.size(), conv.color(), height, colors);
      }
      r.conversation().focus(p.id());
      r.product(p, OfferText.card(r.shop(), p), true);
      return Fitting.fit(r, p, null, null, height, colors);
    }
    if (category.isPresent() && (focus == null || !details || !focus.category().equals(category.get()))) {
      return category(r, category.get(), height, colors);
    }
    if (focus != null && conv.stage() == Stage.STATE_4_OFFER && Slots.declines(text) && !details) {
      r.say("offer_declined");
      return r.done(Stage.STATE_3_SIZE_COLOR);
    }
    if (focus != null && details) {
      return Fitting.fit(r, focus, conv.size(), conv.color(), height, colors);
    }
    if (details) {
      return withoutProduct(r, height, colors);
    }
    boolean question = answerQuestion(r, text);
    boolean smallTalk = ended && c.intent() == Intent.THANKYOU_SMALLTALK;
    if (!question && (Slots.thanks(text) || smallTalk)) {
      r.say("thanks");
      return r.done(conv.stage() == Stage.STATE_0_INIT ? Stage.STATE_1_DISCOVERY : conv.stage());
    }
    if (pending != null && !question && Slots.mentionsSize(text)) {
      r.conversation().size(null);
      r.say("ask_size");
      return r.done(Stage.STATE_3_SIZE_COLOR);
    }
    // "Беру" before the size or colour is known is understood: the answer asks for what is missing.
    boolean agrees = pending != null && Slots.affirms(text);
    if (!question && !Slots.greets(text) && !agrees) {
      r.say(pending == null ? "help" : "not_understood", "categories", OfferText.categories(catalog));
    } else if (!question && conv.isNew()) {
      r.say("intro", "categories", OfferText.categories(catalog));
      return r.done(Stage.STATE_1_DISCOVERY);
    }
    return carryOn(r, pending, question);
  }

  /** The products of a category, those in the child's size and the colour named first. */
  private static Draft category(Composer r, String id, OptionalInt height, List<String> colors) {
    Catalog catalog = r.context().catalog();
    OptionalInt size = height.isPresent() ? r.shop().sizeFor(height.getAsInt()) : OptionalInt.empty();
    List<Catalog.Product> products = Showcase.first(catalog.inCategory(id),
      p -> (size.isEmpty() || p.sizes().contains(size.getAsInt())) && colors.stream().allMatch(p::hasColor));
    r.say("category", "category", catalog.category(id).orElseThrow().name());
    Showcase.show(r, products, null);
    r.say("pick_product");
    return r.done(Stage.STATE_1_DISCOVERY);
  }

  /** A height or a colour before any product: the size by the chart, or the models in that colour. */
  private static Draft withoutProduct(Composer r, OptionalInt height, List<String> colors) {
    Catalog catalog = r.context().catalog();
    if (!colors.isEmpty()) {
      String color = colors.get(0);
      r.say("color_products", "color", color);
      Showcase.show(r, Showcase.first(catalog.products(), p -> p.hasColor(color)), null);
      r.say("pick_product");
      return r.done(Stage.STATE_1_DISCOVERY);
    }
    OptionalInt size = r.shop().sizeFor(height.getAsInt());
    if (size.isPresent()) {
      r.say("size_by_chart", "height", height.getAsInt(), "size", size.getAsInt());
    }
    r.say("what_next", "categories", OfferText.categories(catalog));
    return r.done(Stage.STATE_1_DISCOVERY);
  }

  /** Delivery and payment questions asked before the order: short answers from the shop's texts. */
  static boolean answerQuestion(Composer r, String text) {
    boolean delivery = Slots.asksDelivery(text);
    boolean payment = Slots.asksPayment(text);
    if (delivery) {
      r.say("delivery");
    }
    if (payment && r.shop().prepayment() > 0) {
      r.say("payment_info", "prepayment", r.shop().prepayment()).amount(r.shop().prepayment());
    } else if (payment) {
      r.say("payment_info_full");
    }
    return delivery || payment;
  }

  // The next step of the sale for the product being discussed, or the categories when there is none.
  private static Draft carryOn(Composer r, Catalog.Product focus, boolean question) {
    Conversation conv = r.context().conversation();
    if (focus != null) {
      return Fitting.next(r, focus, conv.size(), conv.color());
    }
    if (question || Slots.greets(r.context().text())) {
      r.say("what_next", "categories", OfferText.categories(r.context().catalog()));
    }
    return r.done(Stage.STATE_1_DISCOVERY);
  }
}
