package ai.mirt.agent.eval;

import ai.mirt.agent.Answer;
import ai.mirt.agent.Catalog;
import ai.mirt.agent.Conversation;
import ai.mirt.agent.Draft;
import ai.mirt.agent.ReplyValidator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks every answer against the catalog with the same {@link ReplyValidator} the graph uses. The graph validates the
 * answering nodes' drafts, but not the escalation texts, and a changed catalog or model can still slip through:
 * a script that forgot to ask for it must still fail when a customer would get a photo or a price the shop does not
 * have.
 */
final class CatalogCheck {

  private final ReplyValidator validator = new ReplyValidator();

  /**
   * What is wrong with the answer, each prefixed {@code catalog: }; empty when it may go out.
   *
   * @param prepayment the shop's prepayment, a sum the reply may name besides the catalog's prices
   */
  List<String> violations(Answer answer, Catalog catalog, int prepayment) {
    Conversation c = answer.conversation();
    Set<String> products = new LinkedHashSet<>(c.shownProductIds());
    c.cart().forEach(line -> products.add(line.productId()));
    // A set that tolerates the sum being equal to the prepayment (Set.of would refuse the duplicate).
    Set<Integer> amounts = new LinkedHashSet<>(List.of(c.orderSum(), prepayment));
    Draft draft = new Draft(answer.messages(), answer.quickReplies(), answer.stage(), answer.intent(), c,
      answer.escalation(), new ArrayList<>(products), amounts);
    return validator.violations(draft, catalog).stream().map(v -> "catalog: " + v).toList();
  }
}
