package ai.mirt.agent;

import ai.mirt.common.OutMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the draft that passed validation into the turn's {@link Answer}: applies the transition table, writes each
 * field as soon as its value is known or changes, sets and clears the tags, keeps each photo once, and remembers the
 * exchange. Pure apart from the log line of a refused transition.
 */
final class Finisher {

  private static final Logger LOG = LoggerFactory.getLogger(Finisher.class);

  /** What the history keeps instead of a text moderation stopped: the model reads the history later. */
  static final String HIDDEN = "[повідомлення приховано модерацією]";

  /** Escalation reasons that are the model's failure rather than the customer's wish; tagged only when configured. */
  private static final Set<String> FAILURES = Set.of(StepNode.WRITER_FAILED, SalesGraph.TIMEOUT);

  private final Shop shop;
  private final int historyMessages;
  private final boolean escalateOnFailure;

  Finisher(Shop shop, int historyMessages, boolean escalateOnFailure) {
    this.shop = shop;
    this.historyMessages = historyMessages;
    this.escalateOnFailure = escalateOnFailure;
  }

  /**
   * @param subscriberId whose turn it is, for the order
   * @param said         what the customer said (texts and photos), for the history
   * @param moderation   what moderation found: a stopped text stays out of the history
   * @param intent       the detected intent; the draft's, when it has one, wins
   * @param before       the conversation before the turn
   */
  Answer finish(String subscriberId, String said, Moderation moderation, Intent intent, Step step, Draft draft,
                Conversation before, String escalation, String failure, Catalog catalog) {
    Stage stage = draft.stage();
    if (!before.stage().canGoTo(stage)) {
      LOG.warn("subscriber {}: the {} node asked to move from {} to {}, which the transition table does not allow; "
        + "the conversation stays in {}", subscriberId, step.node(), before.stage(), stage, before.stage());
      stage = before.stage();
    }
    Intent reported = draft.intent() != null ? draft.intent() : intent;
    boolean tagsHuman = escalation != null && (escalateOnFailure || !FAILURES.contains(escalation));

    Conversation.Builder after = draft.conversation().toBuilder().stage(stage);
    List<String> add = new ArrayList<>();
    List<String> remove = new ArrayList<>();
    if (tagsHuman) {
      add.add(Names.NEEDS_HUMAN);
      after.flag(Conversation.NEEDS_HUMAN, true);
    } else if (escalation == null && before.has(Conversation.NEEDS_HUMAN)) {
      remove.add(Names.NEEDS_HUMAN);
      after.flag(Conversation.NEEDS_HUMAN, false);
    }
    boolean ordering = stage == Stage.STATE_5_PAYMENT_DELIVERY || stage == Stage.STATE_6_UPSELL;
    if (ordering && !before.has(Conversation.ORDER_STARTED)) {
      add.add(Names.ORDER_STARTED);
      after.flag(Conversation.ORDER_STARTED, true);
    }
    Conversation drafted = draft.conversation();
    if (Conversation.PAID.equals(drafted.orderStatus()) && !Conversation.PAID.equals(before.orderStatus())) {
      add.add(Names.ORDER_PAID);
    }
    if (stage == Stage.STATE_7_END || stage == Stage.STATE_0_INIT) {
      // The next order starts over: its order_started tag goes on again when it reaches payment.
      after.flag(Conversation.ORDER_STARTED, ordering);
    }

    List<OutMessage> messages = onePhotoEach(draft.messages());
    String kept = moderation == Moderation.OK ? said : HIDDEN;
    Conversation result = after.build().withExchange(kept, text(messages), historyMessages);
    List<String> quickReplies = draft.quickReplies() != null ? draft.quickReplies() : shop.quickReplies(stage);
    return new Answer(messages, quickReplies, stage, reported, fields(before, result, catalog), add, remove, result,
      order(subscriberId, before, result), step, escalation, failure);
  }

  /** Each field once its value is known, and again whenever it changes. */
  private static Map<String, String> fields(Conversation before, Conversation after, Catalog catalog) {
    Map<String, String> out = new LinkedHashMap<>();
    changed(out, Names.LAST_PRODUCT, lastProduct(before, catalog), lastProduct(after, catalog));
    changed(out, Names.ORDER_SUM, sum(before), sum(after));
    changed(out, Names.CLIENT_NAME, before.client().name(), after.client().name());
    changed(out, Names.CLIENT_PHONE, before.client().phone(), after.client().phone());
    changed(out, Names.CLIENT_CITY, before.client().city(), after.client().city());
    changed(out, Names.CLIENT_NOVA_POSHTA, before.client().branch(), after.client().branch());
    return out;
  }

  private static void changed(Map<String, String> out, String field, String before, String after) {
    if (after != null && !after.isBlank() && !after.equals(before)) {
      out.put(field, after);
    }
  }

  private static String lastProduct(Conversation c, Catalog catalog) {
    String focused = catalog.product(c.focusProductId()).map(Catalog.Product::name).orElse(null);
    if (focused != null) {
      return focused;
    }
    return c.cart().isEmpty() ? null : c.cart().get(c.cart().size() - 1).name();
  }

  private static String sum(Conversation c) {
    return c.cart().isEmpty() ? null : String.valueOf(c.orderSum());
  }

  private static List<OutMessage> onePhotoEach(List<OutMessage> messages) {
    Set<String> seen = new HashSet<>();
    List<OutMessage> out = new ArrayList<>();
    for (OutMessage m : messages) {
      if (m.kind() == OutMessage.Kind.TEXT ? !m.value().isBlank() : seen.add(m.value())) {
        out.add(m);
      }
    }
    return out;
  }

  private static String text(List<OutMessage> messages) {
    List<String> texts = messages.stream().filter(m -> m.kind() == OutMessage.Kind.TEXT).map(OutMessage::value).toList();
    return String.join("\n", texts);
  }

  /** The order to store when this turn created, confirmed, paid or changed one. */
  private static JsonObject order(String subscriberId, Conversation before, Conversation after) {
    if (after.orderId() == null) {
      return null;
    }
    boolean same = after.orderId().equals(before.orderId()) && Objects.equals(after.orderStatus(), before.orderStatus())
      && after.cart().equals(before.cart()) && after.client().equals(before.client());
    if (same) {
      return null;
    }
    JsonArray lines = new JsonArray();
    for (Conversation.Line l : after.cart()) {
      lines.add(new JsonObject().put("productId", l.productId()).put("name", l.name()).put("size", l.size())
        .put("color", l.color()).put("price", l.price()));
    }
    Conversation.Client c = after.client();
    return new JsonObject()
      .put("id", after.orderId())
      .put("subscriberId", subscriberId)
      .put("status", after.orderStatus())
      .put("lines", lines)
      .put("sum", after.orderSum())
      .put("currency", "UAH")
      .put("customer", new JsonObject().put("name", c.name()).put("phone", c.phone()).put("city", c.city())
        .put("novaPoshtaBranch", c.branch()).put("instagramName", after.customerName()));
  }
}
