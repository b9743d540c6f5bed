package ai.mirt.agent;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The agent could not answer a turn; the message says why, and debounce retries the turn. */
public final class AgentFailure extends RuntimeException {

  public AgentFailure(String message) {
    super(message);
  }

  /**
   * "Type: message" of the exception that says what went wrong, looking through the wrappers that futures and the
   * graph put around it.
   */
  public static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && (t instanceof CompletionException
      || t instanceof ExecutionException || t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
      t = t.getCause();
    }
    if (t instanceof AgentFailure) {
      return t.getMessage();
    }
    String message = t.getMessage() == null ? "" : t.getMessage();
    return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
