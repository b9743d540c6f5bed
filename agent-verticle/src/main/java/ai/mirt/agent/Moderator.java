package ai.mirt.agent;

import java.util.regex.Pattern;

/** Recognises abusive texts (a short Ukrainian, Russian and English word list) so they never reach the model. */
public final class Moderator {

  /** The polite answer to an abusive text; fixed, so abuse never costs a model call. */
  public static final String POLITE_ANSWER = "Давайте спілкуватися ввічливо 🙏 Я з радістю допоможу підібрати одяг "
    + "для вашої дитини. Що вас цікавить: сукні, костюми чи тренчі?";

  // Whole words or stems only: "сука" is abuse, "сукня" (dress) is the shop's best seller.
  private static final Pattern ABUSE = IntentDetector.words("хуй*", "хуе*", "хує*", "хуї*", "пизд*", "пізд*",
    "бля", "блять", "блядь*", "блядс*", "сука", "суки", "сучка", "єбан*", "ебан*", "їбан*", "йоб*", "ёб*", "заїб*",
    "заеб*", "наху*", "мудак*", "мудил*", "підор*", "пидор*", "підар*", "пидар*", "гівно", "гівна", "говно",
    "дебіл*", "дебил*", "ідіот*", "идиот*", "дурепа", "придур*", "fuck*", "shit*", "bitch*", "asshole*",
    "motherfuck*", "dickhead", "idiot*", "moron*");

  public boolean isAbusive(String text) {
    return text != null && ABUSE.matcher(IntentDetector.normalize(text)).find();
  }
}
