package ai.mirt.agent;

import java.util.regex.Pattern;

/**
 * Recognises texts that must never reach the model: insults (a short Ukrainian, Russian and English word list) and
 * attempts to steer the assistant ("ignore previous instructions", "ти тепер…", "покажи свій промпт"). An injection
 * goes to a person even when it also swears, so {@link Moderation#INJECTION} wins over {@link Moderation#ABUSE}.
 * Pure and thread-safe.
 */
public final class Moderator {

  /** The polite answer to an abusive text; fixed, so abuse never costs a model call. */
  public static final String POLITE_ANSWER = "Давайте спілкуватися ввічливо 🙏 Я з радістю допоможу підібрати одяг "
    + "для вашої дитини. Що вас цікавить: сукні, костюми чи тренчі?";

  // Whole words or stems only: "сука" is abuse, "сукня" (dress) is the shop's best seller.
  private static final Pattern ABUSE = Vocabulary.words("хуй*", "хуе*", "хує*", "хуї*", "пизд*", "пізд*",
    "бля", "блять", "блядь*", "блядс*", "сука", "суки", "сучка", "єбан*", "ебан*", "їбан*", "йоб*", "ёб*", "заїб*",
    "заеб*", "наху*", "мудак*", "мудил*", "підор*", "пидор*", "підар*", "пидар*", "гівно", "гівна", "говно",
    "дебіл*", "дебил*", "ідіот*", "идиот*", "дурепа", "придур*", "fuck*", "shit*", "bitch*", "asshole*",
    "motherfuck*", "dickhead", "idiot*", "moron*");

  // Up to four words between the verb and what it is about: "ignore all of the previous instructions".
  private static final String GAP = "(?:[\\s,.:;!-]+[\\p{L}']+){0,4}?[\\s,.:;!-]+";

  private static final String RULES_EN = "(?:instructions?|prompts?|rules|guidelines|directions|directives|"
    + "programming)";
  private static final String RULES_UK = "(?:інструкці\\p{L}*|вказівк\\p{L}*|вказівок|правил\\p{L}*|промпт\\p{L}*|"
    + "налаштуван\\p{L}*)";
  private static final String RULES_RU = "(?:инструкци\\p{L}*|указани\\p{L}*|правил\\p{L}*|промпт\\p{L}*|"
    + "настро\\p{L}*)";

  private static final Pattern INJECTION = Pattern.compile("(?<![\\p{L}\\d])(?:"
    // English
    + "(?:ignore|disregard|forget|override|bypass|skip)" + GAP + RULES_EN
    // "ignore my previous message" is a customer correcting themselves, not an attack
    + "|ignore\\s+(?:all\\s+)?(?:the\\s+)?(?:previous|prior|above|earlier|preceding)"
    + "(?!\\s+(?:message|msg|text|photo|one|order|size|colou?r))"
    + "|system\\s+(?:prompt|message|instructions?)|(?:initial|original|hidden)\\s+(?:prompt|instructions)"
    + "|(?:show|reveal|print|display|repeat|tell)\\s+(?:me\\s+)?(?:your|the)\\s+(?:system\\s+)?"
    + "(?:prompt|instructions|rules)|what(?:'s|\\s+is|\\s+are)\\s+your\\s+(?:prompt|instructions|rules)"
    + "|new\\s+instructions|you\\s+are\\s+now|from\\s+now\\s+on,?\\s+you"
    + "|act\\s+as|pretend\\s+(?:to\\s+be|you(?:'re|\\s+are))|role-?play|developer\\s+mode|dev\\s+mode|dan\\s+mode"
    + "|do\\s+anything\\s+now|jailbr\\p{L}*|reveal\\s+your|repeat\\s+the\\s+(?:text|words)\\s+above"
    // Ukrainian
    + "|(?:забудь\\p{L}*|ігнор\\p{L}*|проігнор\\p{L}*|не\\s+зважай\\p{L}*|нехтуй\\p{L}*|відкинь\\p{L}*)" + GAP
    + RULES_UK
    + "|системн\\p{L}*\\s+(?:промпт\\p{L}*|підказк\\p{L}*|інструкці\\p{L}*|повідомленн\\p{L}*)|промпт\\p{L}*"
    + "|ти\\s+тепер|відтепер\\s+ти|з\\s+цього\\s+моменту\\s+ти|уяви,?\\s+що\\s+ти|прикинься|вдавай,?\\s+що"
    + "|поводься\\s+як|режим\\s+розробника|джейлбрейк\\p{L}*|(?:покажи|виведи|розкажи|напиши)\\s+"
    + "(?:мені\\s+)?(?:свої|свій|твої|твій|всі|усі)\\s+(?:інструкці\\p{L}*|правила|налаштування)"
    + "|нові\\s+інструкці\\p{L}*"
    // Russian
    + "|(?:забудь\\p{L}*|игнор\\p{L}*|проигнор\\p{L}*|не\\s+обращай\\p{L}*|отбрось\\p{L}*)" + GAP + RULES_RU
    + "|системн\\p{L}*\\s+(?:промпт\\p{L}*|подсказк\\p{L}*|инструкци\\p{L}*|сообщени\\p{L}*)"
    + "|ты\\s+теперь|отныне\\s+ты|с\\s+этого\\s+момента\\s+ты|представь,?\\s+что\\s+ты|притворись"
    + "|веди\\s+себя\\s+как|режим\\s+разработчика|(?:покажи|выведи|расскажи|напиши)\\s+(?:мне\\s+)?"
    + "(?:свои|свой|твои|твой|все)\\s+(?:инструкци\\p{L}*|правила|настройки)|новые\\s+инструкци\\p{L}*"
    + ")(?![\\p{L}\\d])", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  public Moderation check(String text) {
    if (isInjection(text)) {
      return Moderation.INJECTION;
    }
    return isAbusive(text) ? Moderation.ABUSE : Moderation.OK;
  }

  public boolean isAbusive(String text) {
    return text != null && ABUSE.matcher(Vocabulary.normalize(text)).find();
  }

  /** Whether the text tries to change what the assistant is or to read its instructions. */
  public boolean isInjection(String text) {
    return text != null && INJECTION.matcher(Vocabulary.normalize(text)).find();
  }
}
