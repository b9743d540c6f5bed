package ai.mirt.state;

import ai.mirt.common.InboundMessage;
import ai.mirt.common.Turn;

import java.util.ArrayList;
import java.util.List;

/** Folds a burst of messages into one {@link Turn}. */
public final class TurnAssembler {

  private TurnAssembler() {
  }

  /**
   * The turn's text is the non-empty texts joined with {@code \n} in arrival order; it carries every image in
   * order, and the channel, contact, trace id and reply address of the latest message.
   *
   * @param firstAt when the store buffered the burst's first message, by the store's clock
   */
  public static Turn assemble(String turnId, List<InboundMessage> messages, int attempt, int reruns, long firstAt) {
    return assemble(turnId, messages, attempt, reruns, firstAt, 0);
  }

  /**
   * As {@link #assemble(String, List, int, int, long)}, for a burst claimed because it was due.
   *
   * @param dueAt when the burst became due, by the store's clock
   */
  public static Turn assemble(String turnId, List<InboundMessage> messages, int attempt, int reruns, long firstAt,
                              long dueAt) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a turn needs at least one message");
    }
    List<String> texts = new ArrayList<>();
    List<String> images = new ArrayList<>();
    for (InboundMessage m : messages) {
      if (!m.text().isBlank()) {
        texts.add(m.text());
      }
      images.addAll(m.images());
    }
    InboundMessage latest = messages.get(messages.size() - 1);
    return new Turn(latest.subscriberId(), turnId, latest.channel(), String.join("\n", texts), images,
      latest.contact(), messages.size(), firstAt, attempt, reruns, latest.traceId(),
      latest.replyTo(), dueAt);
  }
}
