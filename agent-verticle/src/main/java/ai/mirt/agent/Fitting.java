package ai.mirt.agent;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/**
 * Size and colour for the product being discussed: the size from the child's height by the shop's size chart,
 * checked against the sizes the product is made in, and a colour it has. Once both are known the customer gets the
 * offer, so nobody has to ask for it.
 */
final class Fitting {

  private Fitting() {
  }

  /**
   * Applies the height and colours the customer named to {@code p}, then asks for what is still missing or makes
   * the offer.
   *
   * @param size  the size chosen so far, or {@code null}
   * @param color the colour chosen so far, or {@code null}
   */
  static Draft fit(Composer r, Catalog.Product p, Integer size, String color, OptionalInt height, List<String> colors) {
    r.about(p);
    boolean sizeMissing = false;
    if (height.isPresent()) {
      OptionalInt chart = r.shop().sizeFor(height.getAsInt());
      if (chart.isEmpty()) {
        sizeUnknown(r, height.getAsInt());
        sizeMissing = true;
      } else if (p.sizes().contains(chart.getAsInt())) {
        size = chart.getAsInt();
        r.say("size_fits", "height", height.getAsInt(), "size", size);
      } else {
        size = null;
        sizeMissing = true;
        unavailable(r, p, height.getAsInt(), chart.getAsInt());
      }
    }
    if (!colors.isEmpty()) {
      String chosen = colors.stream().filter(p::hasColor).findFirst().orElse(null);
      if (chosen != null) {
        color = chosen;
        r.say("color_ok", "color", color);
      } else {
        r.say("color_unavailable", "product", p.name(), "color", colors.get(0), "colors", OfferText.colors(p));
      }
    }
    if (color == null && p.colors().size() == 1) {
      color = p.colors().get(0);
    }
    r.conversation().size(size).color(color);
    return sizeMissing ? r.done(Stage.STATE_3_SIZE_COLOR) : next(r, p, size, color);
  }

  /** Asks for the size, the colour or both, or makes the offer when both are known. */
  static Draft next(Composer r, Catalog.Product p, Integer size, String color) {
    r.about(p);
    if (size == null && color == null) {
      r.say("ask_size_color", "colors", OfferText.colors(p));
    } else if (size == null) {
      r.say("ask_size");
    } else if (color == null) {
      r.say("ask_color", "colors", OfferText.colors(p));
    } else {
      r.say("offer", "line", OfferText.line(r.shop(), OfferText.offered(p, size, color)));
      return r.done(Stage.STATE_4_OFFER);
    }
    return r.done(Stage.STATE_3_SIZE_COLOR);
  }

  // The product is not made in the size the child needs: say so, and show the models that are.
  private static void unavailable(Composer r, Catalog.Product p, int height, int size) {
    int min = p.sizes().stream().mapToInt(Integer::intValue).min().orElse(0);
    int max = p.sizes().stream().mapToInt(Integer::intValue).max().orElse(0);
    if (size > max) {
      r.say("size_too_big", "height", height, "size", size, "product", p.name(), "max", max);
    } else {
      r.say("size_too_small", "height", height, "size", size, "product", p.name(), "min", min);
    }
    List<Catalog.Product> others = r.context().catalog().products().stream()
      .filter(o -> !o.id().equals(p.id()) && o.sizes().contains(size))
      .sorted(Comparator.comparing((Catalog.Product o) -> !o.category().equals(p.category())))
      .limit(Showcase.MAX).toList();
    if (!others.isEmpty()) {
      r.say("size_alternatives", "size", size);
      Showcase.show(r, others, p.id());
    }
  }

  private static void sizeUnknown(Composer r, int height) {
    List<Shop.SizeRow> chart = r.shop().sizeChart();
    int min = chart.stream().mapToInt(Shop.SizeRow::minHeight).min().orElse(0);
    int max = chart.stream().mapToInt(Shop.SizeRow::maxHeight).max().orElse(0);
    r.say("size_unknown", "height", height, "min", min, "max", max);
  }
}
