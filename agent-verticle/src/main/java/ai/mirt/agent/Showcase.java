package ai.mirt.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Shows a few products, each as its name and price with its first photo: a category, the models in a colour or a
 * size, and the closest products to a customer's photo, which the offline assistant cannot see.
 */
final class Showcase {

  /** A customer reads three products in a chat; more is a catalog page. */
  static final int MAX = 3;

  private Showcase() {
  }

  /** The products with their prices and photos; they become the shown ones, {@code focusId} the focused one. */
  static void show(Composer r, List<Catalog.Product> products, String focusId) {
    for (Catalog.Product p : products) {
      r.product(p, OfferText.price(r.shop(), p), false);
    }
    r.conversation().shown(products.stream().map(Catalog.Product::id).toList(), focusId);
  }

  /** "Which of these?": the category the text names, else the focused product's, else one product of each. */
  static Draft vision(Composer r) {
    TurnContext c = r.context();
    Catalog catalog = c.catalog();
    Optional<String> category = Slots.category(c.text(), catalog)
      .or(() -> catalog.product(c.conversation().focusProductId()).map(Catalog.Product::category));
    List<Catalog.Product> products = category.map(id -> first(catalog.inCategory(id), p -> true))
      .orElseGet(() -> onePerCategory(catalog));
    r.say("vision");
    show(r, products, c.conversation().focusProductId());
    return r.done(Stage.STATE_2_VISION);
  }

  /** Up to {@link #MAX} of {@code products} that match, else up to {@link #MAX} of them all. */
  static List<Catalog.Product> first(List<Catalog.Product> products, Predicate<Catalog.Product> match) {
    List<Catalog.Product> matching = products.stream().filter(match).limit(MAX).toList();
    return matching.isEmpty() ? products.stream().limit(MAX).toList() : matching;
  }

  private static List<Catalog.Product> onePerCategory(Catalog catalog) {
    List<Catalog.Product> out = new ArrayList<>();
    for (Catalog.Category category : catalog.categories()) {
      catalog.inCategory(category.id()).stream().findFirst().ifPresent(out::add);
    }
    return out;
  }
}
