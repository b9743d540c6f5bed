package ai.mirt.agent;

import java.util.List;

/** Writes the answer to one turn; the graph's {@code respond} node calls it. Implementations are thread-safe. */
public interface Responder {

  /**
   * What the customer said in this turn.
   *
   * @param text         the turn's texts joined by new lines
   * @param images       image URLs the customer sent
   * @param customerName the customer's first name, or {@code null}
   * @param intent       what {@link IntentDetector} found the text to be about
   */
  record Question(String text, List<String> images, String customerName, Intent intent) {
    public Question {
      text = text == null ? "" : text;
      images = images == null ? List.of() : List.copyOf(images);
      intent = intent == null ? Intent.OTHER : intent;
    }

    /** The text with the photos named, as history and the model get it: they cannot see the attachments. */
    public String textWithPhotos() {
      if (images.isEmpty()) {
        return text;
      }
      String photos = "[Клієнт надіслав фото: " + String.join(" ", images) + "]";
      return text.isBlank() ? photos : text + "\n" + photos;
    }
  }

  /** The answer; may block (a model call) and throws when no answer can be given, so the turn is retried. */
  Answer respond(Question question, Conversation conversation) throws Exception;

  /** What answers, for health: {@code offline} or the model name. */
  String model();
}
