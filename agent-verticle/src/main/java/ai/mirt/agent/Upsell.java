package ai.mirt.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one suggestion after a paid order: a product of a category the order does not have yet, in the size already
 * chosen. A yes adds it to the order for a top-up payment; a no or thanks ends the conversation politely.
 */
final class Upsell {

  private Upsell() {
  }

  /** The first product of the first category missing from the cart, preferring one made in the cart's size. */
  static Optional<Catalog.Product> suggestion(Catalog catalog, Conversation c) {
    if (c.cart().isEmpty()) {
      return Optional.empty();
    }
    Set<String> bought = c.cart().stream().map(l -> catalog.product(l.productId()).map(Catalog.Product::category)
      .orElse("")).collect(Collectors.toSet());
    int size = c.cart().get(c.cart().size() - 1).size();
    for (Catalog.Category category : catalog.categories()) {
      List<Catalog.Product> products = catalog.inCategory(category.id());
      if (!bought.contains(category.id()) && !products.isEmpty()) {
        return Optional.of(products.stream().filter(p -> p.sizes().contains(size)).findFirst()
          .orElse(products.get(0)));
      }
    }
    return Optional.empty();
  }

  static Draft answer(Composer r) {
    TurnContext c = r.context();
    Conversation conv = c.conversation();
    Optional<Catalog.Product> offered = conv.shownProductIds().stream().findFirst()
      .flatMap(id -> c.catalog().product(id)).filter(p -> conv.has(Conversation.UPSELL_OFFERED));
    if (offered.isPresent() && Slots.affirms(c.text())) {
      return add(r, offered.get());
    }
    if (offered.isEmpty() || Slots.declines(c.text()) || Slots.thanks(c.text())) {
      r.say("goodbye");
      return r.done(Stage.STATE_7_END);
    }
    boolean browsing = c.catalog().mentionedIn(c.text()).isPresent()
      || Slots.category(c.text(), c.catalog()).isPresent() || Slots.height(c.text()).isPresent();
    if (browsing) {
      return Browsing.answer(r);
    }
    Catalog.Product u = offered.get();
    r.product(u, r.shop().text("upsell_repeat", "product", u.name(), "price", u.price()), false);
    return r.done(Stage.STATE_6_UPSELL);
  }

  /** The suggestion taken: in the size of the order (or the nearest it has) and the colour named, else its first. */
  private static Draft add(Composer r, Catalog.Product u) {
    Conversation conv = r.context().conversation();
    int wanted = conv.cart().get(conv.cart().size() - 1).size();
    int size = u.sizes().contains(wanted) ? wanted : u.sizeFor(wanted).orElse(wanted);
    String color = Slots.colors(r.context().text(), r.context().catalog()).stream().filter(u::hasColor).findFirst()
      .orElse(u.colors().isEmpty() ? "" : u.colors().get(0));
    Conversation.Line line = OfferText.offered(u, size, color);
    List<Conversation.Line> cart = new ArrayList<>(conv.cart());
    cart.add(line);
    int sum = cart.stream().mapToInt(Conversation.Line::price).sum();
    r.conversation().cart(cart).focus(u.id()).size(size).color(color).order(conv.orderId(), Conversation.CONFIRMED);
    r.intent(Intent.PAYMENT_DELIVERY).about(u)
      .say("upsell_added", "order", conv.orderId(), "line", OfferText.line(r.shop(), line), "sum", sum).amount(sum)
      .say("topup", "topup", u.price());
    r.say("payment_details", "details", r.shop().paymentDetails().replace("{order}", conv.orderId()));
    r.say("ask_screenshot");
    // The shop's payment quick replies offer the prepayment, which a top-up does not have.
    return r.quickReplies(List.of()).done(Stage.STATE_5_PAYMENT_DELIVERY);
  }
}
