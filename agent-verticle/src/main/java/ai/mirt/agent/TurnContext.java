package ai.mirt.agent;

import java.util.List;

/**
 * Everything an answering node knows about the turn.
 *
 * @param text         the turn's texts joined by new lines
 * @param images       the photos the customer sent (https URLs)
 * @param customerName the customer's first name, or {@code null}
 * @param intent       the detected intent
 * @param moderation   what moderation found
 * @param conversation the conversation before this turn
 * @param catalog      the catalog as loaded now
 * @param shop         the shop's texts and facts
 * @param violations   what validation refused in this node's previous draft of this turn (empty on the first run)
 * @param escalation   why the turn escalates, for {@link Step#ESCALATION}; {@code null} otherwise
 */
public record TurnContext(String text, List<String> images, String customerName, Intent intent, Moderation moderation,
                          Conversation conversation, Catalog catalog, Shop shop, List<String> violations,
                          String escalation) {

  public TurnContext {
    text = text == null ? "" : text;
    images = images == null ? List.of() : List.copyOf(images);
    violations = violations == null ? List.of() : List.copyOf(violations);
  }

  /** The customer's name from ManyChat, else the one the conversation remembers; {@code null} when unknown. */
  public String name() {
    String n = customerName != null && !customerName.isBlank() ? customerName : conversation.customerName();
    return n == null || n.isBlank() ? null : n.trim();
  }

  /** The text with the photos named, as the history keeps it. */
  public String textWithPhotos() {
    if (images.isEmpty()) {
      return text;
    }
    String photos = "[Клієнт надіслав фото: " + String.join(" ", images) + "]";
    return text.isBlank() ? photos : text + "\n" + photos;
  }
}
