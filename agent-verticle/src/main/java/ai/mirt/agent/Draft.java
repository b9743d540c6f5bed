package ai.mirt.agent;

import ai.mirt.common.Json;
import ai.mirt.common.OutMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What an answering node proposes for the turn, before validation and before {@link Finisher} turns it into fields and
 * tags.
 *
 * @param messages     texts and images in order; a product's photos right after the text that introduces it
 * @param quickReplies captions to offer; {@code null}: the shop's quick replies for the new stage
 * @param stage        the stage the conversation should move to
 * @param intent       the intent to report, or {@code null} to keep the detected one (a model may refine it)
 * @param conversation the conversation after this turn, without the exchange itself (the finisher adds it)
 * @param escalation   why a person must take over, or {@code null}
 * @param productIds   the catalog products this answer talks about, checked by validation
 * @param amounts      sums besides catalog prices that the text may name (an order total, the prepayment)
 */
public record Draft(List<OutMessage> messages, List<String> quickReplies, Stage stage, Intent intent,
                    Conversation conversation, String escalation, List<String> productIds, Set<Integer> amounts) {

  public Draft {
    messages = messages == null ? List.of() : List.copyOf(messages);
    quickReplies = quickReplies == null ? null : List.copyOf(quickReplies);
    productIds = productIds == null ? List.of() : List.copyOf(productIds);
    amounts = amounts == null ? Set.of() : Set.copyOf(amounts);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("messages", OutMessage.toJson(messages))
      .put("quickReplies", quickReplies == null ? null : Json.strings(quickReplies))
      .put("stage", stage.name())
      .put("intent", intent == null ? null : intent.name())
      .put("conversation", conversation.toJson())
      .put("escalation", escalation)
      .put("productIds", Json.strings(productIds))
      .put("amounts", new JsonArray(new ArrayList<>(amounts)));
  }

  public static Draft fromJson(JsonObject json) {
    Set<Integer> amounts = new LinkedHashSet<>();
    json.getJsonArray("amounts", new JsonArray()).forEach(a -> amounts.add(((Number) a).intValue()));
    JsonArray qr = json.getJsonArray("quickReplies");
    return new Draft(OutMessage.listFromJson(json.getJsonArray("messages")), qr == null ? null : Json.strings(qr),
      Stage.valueOf(json.getString("stage")), Intent.fromWire(json.getString("intent")).orElse(null),
      Conversation.fromJson(json.getJsonObject("conversation")), json.getString("escalation"),
      Json.strings(json.getJsonArray("productIds")), amounts);
  }
}
