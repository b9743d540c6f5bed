package ai.mirt.agent.eval;

import java.util.List;

/**
 * One turn of a {@link Script}: what the customer sends (one burst, as debounce hands it to the agent) and what the
 * answer must show.
 *
 * @param say    the customer's text; empty when the turn is only photos (or nothing at all)
 * @param images the photos the customer sent, https URLs
 * @param expect what the answer to this turn must show
 */
public record ScriptTurn(String say, List<String> images, Expect expect) {

  private static final int LABEL_LENGTH = 40;

  public ScriptTurn {
    say = say == null ? "" : say;
    images = images == null ? List.of() : List.copyOf(images);
    expect = expect == null ? Expect.NOTHING : expect;
  }

  /** How a difference names the turn: its text, shortened to one line, and how many photos it had. */
  public String label() {
    String text = say.strip().replaceAll("\\s*\\R\\s*", " / ");
    if (text.codePointCount(0, text.length()) > LABEL_LENGTH) {
      text = text.substring(0, text.offsetByCodePoints(0, LABEL_LENGTH)).stripTrailing() + "…";
    }
    String photos = images.size() == 1 ? "1 photo" : images.size() + " photos";
    if (images.isEmpty()) {
      return "\"" + text + "\"";
    }
    return text.isEmpty() ? photos : "\"" + text + "\" + " + photos;
  }
}
