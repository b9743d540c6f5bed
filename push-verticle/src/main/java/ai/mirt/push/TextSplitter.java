package ai.mirt.push;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a reply text into parts that fit one Instagram text message (a limit in UTF-8 bytes, not characters:
 * Cyrillic letters take two bytes, emoji four). A cut falls on the last sentence end or line break that fits,
 * else on the last word boundary, and only for a single over-long word between two code points.
 */
public final class TextSplitter {

  /** Instagram's limit for one text message. */
  public static final int MAX_BYTES = 1000;

  private static final String SENTENCE_ENDS = ".!?…";
  private static final String CLOSERS = "\"'»”’)]";

  private TextSplitter() {
  }

  public static List<String> split(String text) {
    return split(text, MAX_BYTES);
  }

  /** Parts of at most {@code maxBytes} UTF-8 bytes each, trimmed, none empty, in order. */
  public static List<String> split(String text, int maxBytes) {
    if (maxBytes < 4) {
      throw new IllegalArgumentException("maxBytes must hold one code point (4 bytes), got " + maxBytes);
    }
    List<String> parts = new ArrayList<>();
    String rest = text == null ? "" : text.strip();
    while (!rest.isEmpty()) {
      int fit = fittingPrefix(rest, maxBytes);
      if (fit == rest.length()) {
        parts.add(rest);
        break;
      }
      int cut = lastSentenceBreak(rest, fit);
      if (cut <= 0) {
        cut = lastWordBreak(rest, fit);
      }
      if (cut <= 0) {
        cut = fit;
      }
      String part = rest.substring(0, cut).strip();
      if (!part.isEmpty()) {
        parts.add(part);
      }
      rest = rest.substring(cut).strip();
    }
    return parts;
  }

  /** UTF-8 length of a string, counted without encoding it. */
  public static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      bytes += utf8Length(cp);
      i += Character.charCount(cp);
    }
    return bytes;
  }

  /** The char index up to which {@code s} fits in {@code maxBytes}; always on a code-point boundary. */
  private static int fittingPrefix(String s, int maxBytes) {
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int len = utf8Length(cp);
      if (bytes + len > maxBytes) {
        break;
      }
      bytes += len;
      i += Character.charCount(cp);
    }
    return i;
  }

  private static int utf8Length(int cp) {
    if (cp < 0x80) {
      return 1;
    }
    if (cp < 0x800) {
      return 2;
    }
    // A lone surrogate is counted as three bytes, more than the replacement it becomes, so a part never grows.
    return cp < 0x10000 ? 3 : 4;
  }

  /**
   * The last index {@code c <= limit} where a sentence ends ({@code .!?…}, optionally followed by a closing quote
   * or bracket, then white space) or a line breaks; the part is {@code s[0, c)}.
   */
  private static int lastSentenceBreak(String s, int limit) {
    for (int c = limit; c > 0; c--) {
      char at = s.charAt(c);
      if (at == '\n' || at == '\r') {
        return c;
      }
      if (Character.isWhitespace(at) && endsSentence(s, c)) {
        return c;
      }
    }
    return -1;
  }

  private static boolean endsSentence(String s, int c) {
    int i = c - 1;
    while (i > 0 && CLOSERS.indexOf(s.charAt(i)) >= 0) {
      i--;
    }
    return SENTENCE_ENDS.indexOf(s.charAt(i)) >= 0;
  }

  private static int lastWordBreak(String s, int limit) {
    for (int c = limit; c > 0; c--) {
      if (Character.isWhitespace(s.charAt(c))) {
        return c;
      }
    }
    return -1;
  }
}
