package ai.mirt.agent;

import java.util.Optional;
import java.util.Set;

/**
 * Ukrainian phone numbers in the one form the shop's CRM and ManyChat get ({@code +380XXXXXXXXX}), whoever read them:
 * the intent detector, the offline assistant or the model.
 */
final class Phones {

  /** Ukrainian mobile operator and landline area codes (the two digits after {@code +380}). */
  private static final Set<String> CODES = Set.of("31", "32", "33", "34", "35", "36", "37", "38", "39", "41", "42",
    "43", "44", "45", "46", "47", "48", "50", "51", "52", "53", "54", "55", "56", "57", "61", "62", "63", "64", "65",
    "66", "67", "68", "69", "73", "75", "77", "89", "91", "92", "93", "94", "95", "96", "97", "98", "99");

  private Phones() {
  }

  /**
   * The number as {@code +380XXXXXXXXX} when the digits of {@code typed} are one Ukrainian number: {@code 0XXXXXXXXX},
   * {@code 80XXXXXXXXX} or {@code 380XXXXXXXXX}, with any spaces, dashes, brackets or {@code +}; empty otherwise.
   */
  static Optional<String> normalize(String typed) {
    if (typed == null) {
      return Optional.empty();
    }
    String digits = typed.replaceAll("\\D", "");
    String national;
    if (digits.length() == 12 && digits.startsWith("380")) {
      national = digits.substring(3);
    } else if (digits.length() == 11 && digits.startsWith("80")) {
      national = digits.substring(2);
    } else if (digits.length() == 10 && digits.startsWith("0")) {
      national = digits.substring(1);
    } else {
      return Optional.empty();
    }
    return CODES.contains(national.substring(0, 2)) ? Optional.of("+380" + national) : Optional.empty();
  }
}
