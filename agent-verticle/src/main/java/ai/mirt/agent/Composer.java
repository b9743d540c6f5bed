package ai.mirt.agent;

import ai.mirt.common.OutMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One offline answer as it is put together: texts from the shop file, products with their photos, and the
 * conversation after the turn. Texts that follow each other become one message, so a product's photos always come
 * right after the text that introduces it. Not thread-safe: one per turn.
 */
final class Composer {

  private static final Logger LOG = LoggerFactory.getLogger(Composer.class);

  private final TurnContext context;
  private final Conversation.Builder conversation;
  private final List<OutMessage> messages = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private final List<String> productIds = new ArrayList<>();
  private final Set<Integer> amounts = new LinkedHashSet<>();
  private List<String> quickReplies;
  private Intent intent;

  Composer(TurnContext context) {
    this.context = context;
    this.conversation = context.conversation().toBuilder();
    if (context.customerName() != null && !context.customerName().isBlank()) {
      conversation.customerName(context.customerName().trim());
    }
  }

  TurnContext context() {
    return context;
  }

  Shop shop() {
    return context.shop();
  }

  /** The conversation after the turn, to change. */
  Conversation.Builder conversation() {
    return conversation;
  }

  /** The shop's text {@code key} with its placeholders filled, as the next line of the current message. */
  Composer say(String key, Object... values) {
    return line(context.shop().text(key, values));
  }

  Composer line(String line) {
    if (!text.isEmpty()) {
      text.append('\n');
    }
    text.append(line);
    return this;
  }

  /** A product's line (or card) followed by its photos: the first one, or all of them. */
  Composer product(Catalog.Product product, String line, boolean allPhotos) {
    line(line);
    flush();
    List<String> photos = allPhotos ? product.photos() : product.photos().stream().limit(1).toList();
    photos.forEach(p -> messages.add(OutMessage.image(p)));
    return about(product);
  }

  /** The answer talks about {@code product}: validation checks it exists. */
  Composer about(Catalog.Product product) {
    if (!productIds.contains(product.id())) {
      productIds.add(product.id());
    }
    return this;
  }

  /** A sum the text names besides catalog prices: an order total, a prepayment, a top-up. */
  Composer amount(int sum) {
    amounts.add(sum);
    return this;
  }

  Composer quickReplies(List<String> captions) {
    quickReplies = captions;
    return this;
  }

  /** The intent to report instead of the detected one, when the answer understood the turn better. */
  Composer intent(Intent understood) {
    intent = understood;
    return this;
  }

  /** The draft moving to {@code stage}, or staying where the conversation is when the table forbids the move. */
  Draft done(Stage stage) {
    flush();
    Stage before = context.conversation().stage();
    Stage next = before.canGoTo(stage) ? stage : before;
    if (next != stage) {
      LOG.warn("the offline assistant asked to move from {} to {}, which the transition table does not allow; "
        + "the conversation stays in {}", before, stage, before);
    }
    return new Draft(messages, quickReplies, next, intent, conversation.stage(next).build(), null, productIds,
      amounts);
  }

  private void flush() {
    if (!text.isEmpty()) {
      messages.add(OutMessage.text(text.toString()));
      text.setLength(0);
    }
  }
}
