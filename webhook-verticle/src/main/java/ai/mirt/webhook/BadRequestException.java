package ai.mirt.webhook;

/** A request Mirt refuses; the status and message go to the client as {@code {"error": message}}. */
public class BadRequestException extends RuntimeException {

  private final int status;

  public BadRequestException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public BadRequestException(String message) {
    this(400, message);
  }

  public int status() {
    return status;
  }
}
