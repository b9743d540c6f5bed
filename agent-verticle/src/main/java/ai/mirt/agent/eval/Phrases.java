package ai.mirt.agent.eval;

import java.util.Locale;

/**
 * Whether a reply contains a phrase of a script. People type phrases by hand from a reply they read, so the check
 * ignores what they cannot see or do not type the same way: case, runs of spaces and line breaks, non-breaking spaces,
 * and the kind of apostrophe ({@code '}, {@code ’}, {@code ʼ}).
 */
final class Phrases {

  private Phrases() {
  }

  static boolean contains(String reply, String phrase) {
    return normalize(reply).contains(normalize(phrase));
  }

  static String normalize(String text) {
    return text.toLowerCase(Locale.ROOT)
      .replace('’', '\'').replace('ʼ', '\'').replace('`', '\'').replace('‘', '\'')
      .replace('\u00A0', ' ').replace('\u202F', ' ')
      .replaceAll("\\s+", " ").strip();
  }
}
