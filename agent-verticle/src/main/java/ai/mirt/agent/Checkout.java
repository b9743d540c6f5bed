package ai.mirt.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The order from the accepted offer to the payment screenshot: the line goes into the cart, the delivery details
 * are collected across turns and shown for confirmation, the confirmed order gets its id and the payment details,
 * and the screenshot marks it paid and brings the one upsell suggestion.
 */
final class Checkout {

  private Checkout() {
  }

  static Draft answer(Composer r) {
    TurnContext c = r.context();
    Conversation conv = c.conversation();
    if (!c.images().isEmpty() && Conversation.CONFIRMED.equals(conv.orderStatus())) {
      return paid(r.intent(Intent.PAYMENT_DELIVERY));
    }
    if (conv.stage() == Stage.STATE_4_OFFER || !inProgress(conv)) {
      return accepts(c) ? accept(r) : Browsing.answer(r);
    }
    r.intent(Intent.PAYMENT_DELIVERY);
    if (Conversation.CONFIRMED.equals(conv.orderStatus())) {
      r.say("payment_reminder", "order", conv.orderId(), "sum", conv.orderSum()).amount(conv.orderSum());
      return paymentDetails(r, conv.orderId());
    }
    return collect(r);
  }

  /** An order is under way: it has lines and is not paid yet. */
  static boolean inProgress(Conversation c) {
    return !c.cart().isEmpty() && !Conversation.PAID.equals(c.orderStatus());
  }

  /**
   * A plain yes to the offer: product, size and colour are known and the text names nothing else ("так, але в
   * білому" changes the offer instead).
   */
  static boolean accepts(TurnContext c) {
    Conversation conv = c.conversation();
    Catalog.Product focus = c.catalog().product(conv.focusProductId()).orElse(null);
    if (focus == null || conv.size() == null || conv.color() == null || !Slots.affirms(c.text())) {
      return false;
    }
    boolean otherProduct = c.catalog().mentionedIn(c.text()).filter(p -> !p.id().equals(focus.id())).isPresent();
    boolean otherCategory = Slots.category(c.text(), c.catalog()).filter(id -> !id.equals(focus.category()))
      .isPresent();
    return !otherProduct && !otherCategory && Slots.height(c.text()).isEmpty()
      && Slots.colors(c.text(), c.catalog()).stream().allMatch(conv.color()::equals);
  }

  /** The offer taken: its line goes into the cart (a new order after a paid one), then the delivery details. */
  static Draft accept(Composer r) {
    Conversation conv = r.context().conversation();
    Catalog.Product p = r.context().catalog().product(conv.focusProductId()).orElseThrow();
    Conversation.Line line = OfferText.offered(p, conv.size(), conv.color());
    List<Conversation.Line> cart = new ArrayList<>();
    if (conv.orderStatus() == null) {
      cart.addAll(conv.cart());
    } else {
      r.conversation().order(null, null).flag(Conversation.UPSELL_OFFERED, false);
    }
    if (!cart.contains(line)) {
      cart.add(line);
    }
    r.conversation().cart(cart);
    r.intent(Intent.PAYMENT_DELIVERY).about(p).say("accepted", "line", OfferText.line(r.shop(), line));
    return askOrConfirm(r, conv.client(), cart);
  }

  // Collects the delivery details: a wrong phone is named and asked again, everything else read is kept.
  private static Draft collect(Composer r) {
    TurnContext c = r.context();
    Conversation conv = c.conversation();
    ClientReader.Read read = ClientReader.read(c.text(), conv.client());
    boolean changed = !read.client().equals(conv.client());
    boolean awaiting = conv.has(Conversation.AWAITING_CONFIRMATION);
    if (!changed && read.badPhone() == null && awaiting && Slots.affirms(c.text())) {
      return confirm(r);
    }
    r.conversation().client(read.client()).flag(Conversation.AWAITING_CONFIRMATION, false);
    if (!changed && read.badPhone() == null && awaiting && (Slots.declines(c.text()) || Slots.wantsChange(c.text()))) {
      r.say("fix_details");
      return r.quickReplies(List.of()).done(Stage.STATE_5_PAYMENT_DELIVERY);
    }
    if (!changed && read.badPhone() == null) {
      Browsing.answerQuestion(r, c.text());
    }
    if (read.badPhone() != null) {
      r.say("phone_invalid", "phone", read.badPhone());
      Conversation.Client rest = new Conversation.Client(read.client().name(), read.badPhone(),
        read.client().city(), read.client().branch());
      if (!rest.complete()) {
        r.say("details_more", "missing", OfferText.missing(r.shop(), rest));
      }
      return r.quickReplies(List.of()).done(Stage.STATE_5_PAYMENT_DELIVERY);
    }
    if (changed && !read.client().complete()) {
      r.say("details_more", "missing", OfferText.missing(r.shop(), read.client()));
      return r.quickReplies(List.of()).done(Stage.STATE_5_PAYMENT_DELIVERY);
    }
    return askOrConfirm(r, read.client(), conv.cart());
  }

  // All four details known: show them with the order and ask to confirm; else ask for the missing ones.
  private static Draft askOrConfirm(Composer r, Conversation.Client client, List<Conversation.Line> cart) {
    if (!client.complete()) {
      r.say("ask_details", "missing", OfferText.missing(r.shop(), client));
      return r.quickReplies(List.of()).done(Stage.STATE_5_PAYMENT_DELIVERY);
    }
    int sum = cart.stream().mapToInt(Conversation.Line::price).sum();
    r.say("confirm_details", "lines", OfferText.lines(r.shop(), cart), "sum", sum, "name", client.name(), "phone",
      client.phone(), "city", client.city(), "branch", client.branch()).amount(sum);
    r.conversation().flag(Conversation.AWAITING_CONFIRMATION, true);
    return r.quickReplies(List.of(r.shop().text("qr_confirm"), r.shop().text("qr_fix")))
      .done(Stage.STATE_5_PAYMENT_DELIVERY);
  }

  /** The customer confirmed the details: the order gets its id and the customer the payment details. */
  private static Draft confirm(Composer r) {
    Conversation conv = r.context().conversation();
    String id = conv.orderId() != null ? conv.orderId() : orderId(conv);
    r.conversation().order(id, Conversation.CONFIRMED).flag(Conversation.AWAITING_CONFIRMATION, false);
    r.say("order_confirmed", "order", id, "sum", conv.orderSum()).amount(conv.orderSum());
    return paymentDetails(r, id);
  }

  /** Full payment or the prepayment, where to pay, and the request for a screenshot. */
  static Draft paymentDetails(Composer r, String orderId) {
    Shop shop = r.shop();
    if (shop.prepayment() > 0) {
      r.say("prepayment_option", "prepayment", shop.prepayment()).amount(shop.prepayment());
    }
    r.say("payment_details", "details", shop.paymentDetails().replace("{order}", orderId));
    r.say("ask_screenshot");
    return r.done(Stage.STATE_5_PAYMENT_DELIVERY);
  }

  /** The screenshot: the order is paid; the one upsell suggestion follows, or the goodbye. */
  private static Draft paid(Composer r) {
    Conversation conv = r.context().conversation();
    r.conversation().order(conv.orderId(), Conversation.PAID);
    r.say("paid", "order", conv.orderId());
    if (!conv.has(Conversation.UPSELL_OFFERED)) {
      Catalog.Product u = Upsell.suggestion(r.context().catalog(), conv).orElse(null);
      if (u != null) {
        r.product(u, r.shop().text("upsell", "product", u.name(), "price", u.price()), false);
        r.conversation().shown(List.of(u.id()), conv.focusProductId()).flag(Conversation.UPSELL_OFFERED, true);
        return r.done(Stage.STATE_6_UPSELL);
      }
    }
    r.say("goodbye");
    return r.done(Stage.STATE_7_END);
  }

  /**
   * "M-" and 8 hex digits of a hash of the order and the conversation's length: the same when a turn is run again,
   * different for the next order of the same customer.
   */
  static String orderId(Conversation c) {
    String basis = c.cart() + "|" + c.client() + "|" + c.history().size();
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
      return "M-" + HexFormat.of().formatHex(hash).substring(0, 8).toUpperCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
