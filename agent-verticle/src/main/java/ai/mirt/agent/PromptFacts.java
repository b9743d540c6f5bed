package ai.mirt.agent;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The values of the prompt's placeholders for one turn. Facts are compact JSON or bare names rather than sentences,
 * so every word the model reads in Ukrainian stays in {@code prompts.yaml}; a value that is not known is {@link #NONE}.
 */
final class PromptFacts {

  /** A value that is not known (no product discussed yet, no order). */
  static final String NONE = "—";

  private PromptFacts() {
  }

  /** {@code shop}, {@code catalog}, {@code size_chart}, {@code prepayment}, {@code payment_details}, … */
  static Map<String, String> of(TurnContext c) {
    Conversation conv = c.conversation();
    Map<String, String> facts = new HashMap<>();
    facts.put("shop", c.shop().name());
    facts.put("catalog", catalog(c.catalog()));
    facts.put("size_chart", sizeChart(c.shop()));
    facts.put("prepayment", String.valueOf(c.shop().prepayment()));
    String order = conv.orderId() == null ? NONE : conv.orderId();
    facts.put("order", order);
    facts.put("payment_details", c.shop().paymentDetails().replace("{order}", order));
    facts.put("stage", conv.stage().name());
    facts.put("next_stages", conv.stage().next().stream().map(Stage::name).collect(Collectors.joining(", ")));
    facts.put("intent", c.intent() == null ? Intent.UNKNOWN_OR_EMPTY.name() : c.intent().name());
    facts.put("focus", focus(conv, c.catalog()));
    facts.put("cart", cart(conv));
    facts.put("customer", c.name() == null ? NONE : c.name());
    facts.put("client", client(conv.client()));
    facts.put("violations", c.violations().stream().map(v -> "- " + v).collect(Collectors.joining("\n")));
    return facts;
  }

  /** Each product once, without photos (the assistant attaches those by id): what the model may talk about. */
  static String catalog(Catalog catalog) {
    JsonArray products = new JsonArray();
    for (Catalog.Product p : catalog.products()) {
      products.add(new JsonObject()
        .put("id", p.id())
        .put("name", p.name())
        .put("category", catalog.category(p.category()).map(Catalog.Category::name).orElse(p.category()))
        .put("price", p.price())
        .put("sizes", new JsonArray(new ArrayList<>(p.sizes())))
        .put("colors", new JsonArray(new ArrayList<>(p.colors())))
        .put("description", p.description()));
    }
    return products.encode();
  }

  /** {@code 81-86 cm: 86; 87-92 cm: 92; …}: the child's height to the size. */
  static String sizeChart(Shop shop) {
    if (shop.sizeChart().isEmpty()) {
      return NONE;
    }
    return shop.sizeChart().stream().map(r -> r.minHeight() + "-" + r.maxHeight() + " cm: " + r.size())
      .collect(Collectors.joining("; "));
  }

  private static String focus(Conversation conv, Catalog catalog) {
    return catalog.product(conv.focusProductId()).map(p -> new JsonObject()
      .put("id", p.id())
      .put("name", p.name())
      .put("price", p.price())
      .put("size", conv.size())
      .put("color", conv.color()).encode()).orElse(NONE);
  }

  private static String cart(Conversation conv) {
    if (conv.cart().isEmpty()) {
      return NONE;
    }
    JsonArray lines = new JsonArray();
    for (Conversation.Line l : conv.cart()) {
      lines.add(new JsonObject().put("id", l.productId()).put("name", l.name()).put("size", l.size())
        .put("color", l.color()).put("price", l.price()));
    }
    return new JsonObject().put("lines", lines).put("sum", conv.orderSum()).encode();
  }

  /** What is known so far; an empty string for each detail still missing. */
  private static String client(Conversation.Client k) {
    return new JsonObject()
      .put("name", orEmpty(k.name()))
      .put("phone", orEmpty(k.phone()))
      .put("city", orEmpty(k.city()))
      .put("branch", orEmpty(k.branch())).encode();
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
