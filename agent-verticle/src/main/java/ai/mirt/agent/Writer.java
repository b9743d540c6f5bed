package ai.mirt.agent;

/**
 * Writes the answer of one answering node: the offline assistant, or a model. Implementations are thread-safe and may
 * block (a model call); an exception means no answer could be written, and the turn escalates with an honest text.
 */
public interface Writer {

  Draft write(Step step, TurnContext context) throws Exception;

  /** What answers, for health and the banner: {@code offline} or the model name. */
  String model();
}
