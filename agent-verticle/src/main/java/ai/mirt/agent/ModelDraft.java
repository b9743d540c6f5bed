package ai.mirt.agent;

import ai.mirt.common.OutMessage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the model's {@link ModelOutput} into a {@link Draft}: texts with each product's photo after the text that
 * names it, the stage and intent when they are ours, and the conversation with what the customer told this turn.
 * Whatever the model claims about products stays in the draft as it was claimed, so validation can refuse it; only
 * what the conversation remembers is limited to catalog facts. Pure and thread-safe.
 */
final class ModelDraft {

  /** A Ukrainian number as the conversation keeps it: {@code +380} and nine digits. */
  private ModelDraft() {
  }

  static Draft from(ModelOutput out, TurnContext c) {
    Conversation before = c.conversation();
    Stage stage = Stage.fromWire(out.state()).orElse(before.stage());
    Intent intent = Intent.fromWire(out.intent()).orElse(null);
    Set<Integer> amounts = new LinkedHashSet<>();
    if (before.orderSum() > 0) {
      amounts.add(before.orderSum());
    }
    if (c.shop().prepayment() > 0) {
      amounts.add(c.shop().prepayment());
    }
    return new Draft(messages(out, c.catalog()), null, stage, intent, conversation(out, c), out.escalation(),
      out.productIds(), amounts);
  }

  /**
   * The texts in order, each product's first photo right after the first text that names it (else after the last
   * text), products in the order the model gave them. An id the catalog does not have gets no photo.
   */
  static List<OutMessage> messages(ModelOutput out, Catalog catalog) {
    List<String> texts = out.messages();
    List<List<String>> photosAfter = new ArrayList<>();
    texts.forEach(t -> photosAfter.add(new ArrayList<>()));
    for (String id : out.productIds()) {
      Optional<Catalog.Product> p = catalog.product(id);
      if (p.isEmpty() || p.get().photos().isEmpty()) {
        continue;
      }
      int at = texts.size() - 1;
      for (int i = 0; i < texts.size(); i++) {
        if (names(texts.get(i), p.get(), catalog)) {
          at = i;
          break;
        }
      }
      photosAfter.get(at).add(p.get().photos().get(0));
    }
    List<OutMessage> messages = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      messages.add(OutMessage.text(texts.get(i)));
      photosAfter.get(i).forEach(url -> messages.add(OutMessage.image(url)));
    }
    return messages;
  }

  /**
   * Whether the text names the product: its id, or its name in any case ending and either spelling ("Ромашку",
   * "Лесовичка"), as the catalog recognises names everywhere else.
   */
  static boolean names(String text, Catalog.Product p, Catalog catalog) {
    return text.toLowerCase(Locale.ROOT).contains(p.id().toLowerCase(Locale.ROOT))
      || catalog.productsIn(text).contains(p);
  }


  /**
   * The conversation after the turn: the products shown (the single one becomes the focus; several leave the focus
   * as it was, so an order in progress keeps its size and colour), the size and colour chosen when the focused
   * product has them, and the delivery details given this turn.
   */
  private static Conversation conversation(ModelOutput out, TurnContext c) {
    Conversation before = c.conversation();
    Catalog catalog = c.catalog();
    Conversation.Builder b = before.toBuilder();
    List<String> known = out.productIds().stream().filter(id -> catalog.product(id).isPresent()).toList();
    String focus = before.focusProductId();
    if (out.productIds().size() == 1 && known.size() == 1) {
      focus = known.get(0);
      b.shown(known, focus);
    } else if (!known.isEmpty()) {
      b.shown(known, focus);
    }
    Optional<Catalog.Product> focused = catalog.product(focus);
    if (focused.isPresent()) {
      Catalog.Product p = focused.get();
      if (out.size() != null && p.sizes().contains(out.size())) {
        b.size(out.size());
      }
      if (out.color() != null) {
        p.colors().stream().filter(col -> col.equalsIgnoreCase(out.color())).findFirst().ifPresent(b::color);
      }
    }
    if (c.customerName() != null && !c.customerName().isBlank()) {
      b.customerName(c.customerName().trim());
    }
    return b.client(merge(before.client(), out.client())).build();
  }

  /** The details known so far with those given this turn; a phone that is not a Ukrainian number is ignored. */
  static Conversation.Client merge(Conversation.Client known, Conversation.Client given) {
    String phone = phone(given.phone());
    return new Conversation.Client(
      given.name() != null ? given.name() : known.name(),
      phone != null ? phone : known.phone(),
      given.city() != null ? given.city() : known.city(),
      given.branch() != null ? given.branch() : known.branch());
  }

  /**
   * {@code +380XXXXXXXXX} for a Ukrainian number written any usual way ({@code 067 123 45 67}, {@code 380671234567},
   * {@code +38 (067) 123-45-67}, {@code 8 067 …}); {@code null} for anything else.
   */
  static String phone(String raw) {
    return Phones.normalize(raw).orElse(null);
  }
}
