package ai.mirt.agent;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How products, order lines and delivery details read in an answer. Every value comes from the catalog or the
 * conversation and every word from the shop's texts, so nothing here can name a price the catalog does not have.
 */
final class OfferText {

  private OfferText() {
  }

  /** "сукні, костюми, тренчі": the catalog's categories as a customer reads them in a sentence. */
  static String categories(Catalog catalog) {
    return catalog.categoryNames().stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
  }

  /** "Сукня «Ромашка» — 1250 грн". */
  static String price(Shop shop, Catalog.Product p) {
    return shop.text("product_price", "product", p.name(), "price", p.price());
  }

  /** Name, price, description, sizes and colours: what a customer needs to choose. */
  static String card(Shop shop, Catalog.Product p) {
    return shop.text("product_card", "product", p.name(), "price", p.price(), "description", p.description(),
      "sizes", sizes(p), "colors", colors(p));
  }

  static String sizes(Catalog.Product p) {
    return p.sizes().stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  static String colors(Catalog.Product p) {
    return String.join(", ", p.colors());
  }

  /** "Сукня «Ромашка», розмір 116, рожевий — 1250 грн". */
  static String line(Shop shop, Conversation.Line l) {
    return shop.text("offer_line", "product", l.name(), "size", l.size(), "color", l.color(), "price", l.price());
  }

  /** The cart, one line each. */
  static String lines(Shop shop, List<Conversation.Line> cart) {
    return cart.stream().map(l -> line(shop, l)).collect(Collectors.joining("\n"));
  }

  /** The order line the focused product, size and colour make, at the catalog price. */
  static Conversation.Line offered(Catalog.Product p, int size, String color) {
    return new Conversation.Line(p.id(), p.name(), size, color, p.price());
  }

  /** The missing delivery details, as the customer is asked for them. */
  static String missing(Shop shop, Conversation.Client c) {
    StringBuilder out = new StringBuilder();
    append(out, c.name() == null, shop.text("field_name"));
    append(out, c.phone() == null, shop.text("field_phone"));
    append(out, c.city() == null, shop.text("field_city"));
    append(out, c.branch() == null, shop.text("field_branch"));
    return out.toString();
  }

  private static void append(StringBuilder out, boolean missing, String field) {
    if (missing) {
      out.append(out.isEmpty() ? "" : ", ").append(field);
    }
  }
}
