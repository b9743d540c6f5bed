package ai.mirt.common;

import java.util.Locale;
import java.util.regex.Pattern;

/** Chat commands a customer (or a manager testing the bot) can type; understood by debounce and agent alike. */
public final class Commands {

  /** The fixed answer to {@code /restart}; it never goes through the model. */
  public static final String RESTART_REPLY = "Сесія очищена! Напишіть, будь ласка, запит ще раз 🙂";

  // ManyChat keyword triggers often leave a ".;" in front of what the customer typed.
  private static final Pattern LEADING_NOISE = Pattern.compile("^[\\s.;]*");

  private Commands() {
  }

  /** What the customer wrote after {@code /restart} (in the same message or burst), trimmed; empty if nothing. */
  public static String afterRestart(String text) {
    if (!isRestart(text)) {
      return "";
    }
    String rest = LEADING_NOISE.matcher(text).replaceFirst("");
    String[] parts = rest.split("\\s+", 2);
    return parts.length < 2 ? "" : parts[1].trim();
  }

  /** {@code true} when the first word of the text is {@code /restart}, in any case, after an optional {@code .;}. */
  public static boolean isRestart(String text) {
    if (text == null || text.indexOf('/') < 0) {
      // Nearly every message: no command without a slash, and no pattern run on the webhook's hot path.
      return false;
    }
    String rest = LEADING_NOISE.matcher(text).replaceFirst("");
    String first = rest.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
    return first.equals("/restart");
  }
}
