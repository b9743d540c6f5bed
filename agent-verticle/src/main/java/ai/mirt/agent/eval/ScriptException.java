package ai.mirt.agent.eval;

/**
 * A script that cannot be run: a missing directory, an unreadable or malformed file, an unknown key or value. The
 * message names the file, and the turn when there is one ({@code 02-complaint.yaml, turn 3: unknown key 'sasy'}).
 */
public final class ScriptException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ScriptException(String message) {
    super(message);
  }

  public ScriptException(String message, Throwable cause) {
    super(message, cause);
  }
}
