package ai.mirt.agent;

import java.util.regex.Pattern;

import static ai.mirt.agent.Vocabulary.words;

/**
 * The words of conversation itself, in Ukrainian, Russian and English: greetings, questions about delivery and
 * payment, complaints, agreement, topics far from the shop. What the shop sells (categories, colours, products) is
 * not here: it comes from the catalog. Every list matches whole words only ({@link Vocabulary#words}): "ок" never
 * fires inside "око", "відправила фото" is no question about delivery, "я ще повернусь" is no complaint.
 */
final class IntentWords {

  static final Pattern GREETING = words("привіт*", "вітаю", "вітання", "добр* день", "добр* дня", "добр* ранку",
    "добр* ранок", "добр* вечір", "добр* вечора", "доброго вечора", "здрастуйте", "привет*", "здравству*", "здрасте",
    "добр* утро", "добр* вечер", "hello", "hi", "hey", "hiya", "greetings", "good morning", "good afternoon",
    "good evening");

  static final Pattern CATALOG = words("що у вас є", "що у вас", "що є", "що маєте", "що продаєте", "асортимент*",
    "каталог*", "які товари", "які моделі", "покажіть все", "покажіть усе", "що порадите", "що порекомендуєте",
    "наявн*", "новинк*", "знижк*", "акці*", "розпродаж*", "шукаю", "потрібна", "потрібен", "свят*", "подарун*",
    "что у вас есть", "что есть", "что продаете", "ищу", "нужна", "нужен", "праздни*", "подар*",
    "ассортимент*", "какие товары", "наличии", "наличие", "скидк*", "распродаж*", "what do you have",
    "what do you sell", "what have you got", "catalog*", "products", "show me everything", "in stock", "available",
    "availability", "discount*", "sale", "looking for", "gift");

  static final Pattern PRICE = words("цін*", "скільки кошт*", "скільки буде", "вартість", "вартост*", "почому",
    "по чому", "цена", "цену", "цены", "цене", "сколько сто*", "стоимост*", "почем", "price*", "cost", "costs",
    "how much");

  static final Pattern SIZE = words("зріст", "зросту", "зростом", "розмір*", "размер*", "рост", "роста", "росту",
    "ростом", "маломір*", "великомір*", "маломер*", "большемер*", "size*", "height", "tall");

  /** A child's age ("на 5 років", "3 годика"): a question about size even without the word. */
  static final Pattern AGE = Pattern.compile("(?<![\\p{L}\\d])\\d{1,2}\\s*(?:рок\\p{L}*|рік|років|рочк\\p{L}*|"
    + "лет|года|годик\\p{L}*|міс\\p{L}*|месяц\\p{L}*|years?|y\\.?o\\.?|months?)(?![\\p{L}\\d])",
    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  static final Pattern COLOR_WORD = words("колір", "кольор*", "відтін*", "цвет", "цвета", "цвете", "цветом",
    "цветов", "цветах", "оттен*", "color*", "colour*", "shade*");

  static final Pattern OTHER = words("інш*", "другий", "другу", "друга", "другой", "другую", "другая", "other",
    "another", "different");

  // "відправила фото" is not about delivery: verbs of sending count only without a photo in the text (SEND).
  static final Pattern DELIVERY = words("достав*", "нов* пошт*", "нов* почт*", "укрпошт*", "укрпочт*", "meest",
    "пересил*", "посилк*", "посылк*", "ттн", "трек*", "кур'єр*", "курьер*", "самовивіз*", "самовывоз*",
    "відділенн*", "отделени*", "поштомат*", "почтомат*", "коли прийде", "коли отримаю", "когда придет",
    "когда получу", "де моє замовлення", "де замовлення", "статус замовлення", "где мой заказ", "где заказ",
    "статус заказа", "delivery", "deliver*", "shipping", "ship", "shipped", "nova poshta", "courier", "tracking",
    "pickup", "when will it arrive", "where is my order", "order status");

  static final Pattern SEND = words("відправ*", "отправ*", "надішл*", "надсила*", "вишл*", "вышл*", "send*", "sent");

  static final Pattern PHOTO = words("фото*", "фотк*", "фотограф*", "світлин*", "картинк*", "скрін*", "скрин*",
    "photo*", "pic", "pics", "picture*", "screenshot*", "image*");

  static final Pattern PAYMENT = words("оплат*", "оплач*", "сплат*", "заплат*", "платіж*", "платеж*", "карт",
    "карта", "карти", "карту", "картою", "картой", "картк*", "накладен*", "наложен*", "передоплат*", "предоплат*",
    "реквізит*", "реквизит*", "готівк*", "наличн*", "iban", "payment*", "pay", "paying", "paid", "card", "cash",
    "prepay*", "prepaid");

  /** Wanting to buy, at any stage. */
  static final Pattern ORDER = words("хочу замовити", "хочу замовить", "хочу заказать", "хочу оформити",
    "хочу оформить", "хочу купити", "хочу купить", "оформити замовлення", "оформить заказ", "оформлюємо",
    "оформляємо", "оформлюю", "оформіть", "оформите", "оформляйте", "замовлю", "замовляю", "замовляємо", "закажу",
    "заказываю", "беру", "беремо", "візьму", "візьмемо", "возьму", "возьмем", "берем", "купую", "як замовити",
    "как заказать", "i'll take", "i will take", "i'll buy", "i want to order", "i'd like to order",
    "place an order", "how to order", "how do i order");

  /** In the offer stage, wanting the offered product is agreeing to it. */
  static final Pattern WANT = words("хочу", "хочемо", "хотіла б", "хотів би", "хотела бы", "хотел бы", "want",
    "i'd like");

  static final Pattern AFFIRM = words("так", "да", "ага", "угу", "yes", "yep", "yeah", "sure", "ok", "okay", "ок",
    "окей", "оке", "добре", "гаразд", "згодна", "згоден", "згодні", "согласна", "согласен", "все вірно",
    "усе вірно", "вірно", "правильно", "верно", "підтверджую", "подтверждаю", "confirm*", "correct", "оформлюємо",
    "оформляємо", "давайте", "давай", "звісно", "звичайно", "конечно", "of course", "беру", "хорошо", "підходить",
    "подходит", "go ahead", "let's do it");

  /** "Добре, я ще подумаю" agrees to nothing. */
  static final Pattern HESITATE = words("подума*", "пізніше", "потім", "позже", "потом", "later", "think",
    "не зараз", "не сейчас", "not now", "може", "можливо", "может", "maybe", "перегодом");

  static final Pattern NEGATION = words("не", "not", "don't", "dont");

  static final Pattern DECLINE = words("ні", "нет", "no", "nope", "не треба", "не потрібно", "не надо", "не нужно",
    "не хочу", "не буду", "не беру", "не візьму", "не возьму", "відмовляюсь", "отказываюсь", "обійдусь",
    "обойдусь", "no thanks", "no thank you", "not needed", "don't need", "do not need");

  /** Taking the upsell. */
  static final Pattern ADD = words("додайте", "додати", "додай", "додаємо", "добавьте", "добавить", "добавь",
    "add", "add it");

  // "я ще повернусь" (I'll come back) is no complaint: only the forms about returning goods or money count.
  static final Pattern COMPLAINT = words("скарг*", "брак", "браком", "бракован*", "повернен*", "повернути",
    "поверніть", "повернете", "жалоб*", "претензі*", "возврат*", "вернуть", "верните", "refund*", "broken",
    "damaged", "complain*", "return", "returns", "зламан*", "зламал*", "порван*", "порвал*", "розірван*",
    "розійшл*", "дірк*", "дырк*", "неякісн*", "некачествен*", "погана якість", "плохое качество", "не прийшл*",
    "не пришл*", "не пришел", "не отрима*", "не получил*", "прислали не*", "надіслали не*", "прийшов не той",
    "прийшла не та", "обман*", "шахра*", "мошен*", "жахлив*", "ужасн*", "terrible", "scam", "faulty", "defective",
    "wrong size", "wrong item", "disappointed");

  static final Pattern THANKS = words("дякую", "дякуємо", "дяка", "спасибі", "спасибо", "благодарю", "вдячн*",
    "thanks", "thank you", "thx", "ty");

  static final Pattern SMALLTALK = words("ок", "окей", "ok", "okay", "добре", "зрозуміло", "зрозуміла", "зрозумів",
    "ясно", "понятно", "поняла", "понял", "хорошо", "got it", "cool", "nice", "great", "супер", "клас", "класно",
    "чудово", "гарного дня", "гарного вечора", "хорошего дня", "have a nice day", "bye", "goodbye", "see you",
    "до побачення", "до зустрічі", "бувай*", "па-па", "пока", "до свидания", "всього доброго", "всего доброго",
    "як справи", "як ти", "як ви", "как дела", "как ты", "как вы", "how are you", "how's it going", "ти бот",
    "ты бот", "are you a bot", "хто ти", "кто ты", "who are you", "як тебе звати", "как тебя зовут");

  /** A question the other lists do not place; asked of the shop, since far topics are caught before. */
  static final Pattern QUESTION = words("чи", "скільки", "сколько", "коли", "когда", "де", "где", "який", "яка",
    "які", "якого", "какой", "какая", "какие", "підкажіть", "подскажите", "порадьте", "посоветуйте", "цікавить",
    "интересует", "розкажіть", "расскажите", "можна", "можно", "what", "which", "where", "when", "do you",
    "is there", "are there", "can i", "could you");

  /** Words that tie a text to the shop, so a far-away word in it does not make it off-topic. */
  static final Pattern SHOP = words("одяг*", "одежд*", "clothes", "clothing", "магазин*", "shop", "store",
    "замовлен*", "заказ*", "товар*", "модел*", "дівчинк*", "хлопчик*", "девочк*", "мальчик*", "girl*", "boy*",
    "дитин*", "дитяч*", "діт*", "детск*", "дет*", "ребен*", "kid*", "child*", "baby", "малюк*", "донечк*",
    "доньк*", "дочк*", "дочер*", "синочк*", "son", "daughter", "my order");

  /** Topics that have nothing to do with the shop. */
  static final Pattern OUT_OF_DOMAIN = words(
    "погод*", "синоптик*", "weather", "forecast",
    "політик*", "политик*", "politic*", "вибори", "виборах", "виборів", "выборы", "выборах", "election*",
    "президент*", "president*", "парламент*", "parliament", "депутат*", "уряд", "уряду", "правительств*",
    "government", "війн*", "войн*", "war",
    "футбол*", "football", "soccer", "матч", "матчу", "матчі", "матче", "ліга", "лига", "лігу", "лигу",
    "чемпіонат*", "чемпионат*", "хокей*", "хоккей*", "hockey", "баскетбол*", "basketball", "теніс*", "tennis",
    "рецепт*", "recipe*", "приготувати", "приготовить", "спекти", "испечь", "борщ*", "cook", "cooking", "bake",
    "домашн* завданн*", "домашн* задани*", "домашк*", "homework", "математик*", "math", "maths",
    "рівнянн*", "уравнени*", "equation*", "реферат*", "твір", "сочинение", "essay",
    "вірш*", "стих", "стихи", "стишок", "poem*", "poetry", "пісн*", "песн*", "song*", "lyrics",
    "анекдот*", "жарт*", "пожартуй", "шутк*", "пошути", "joke*",
    "курс долар*", "курс доллар*", "курс євро", "курс евро", "курс валют*", "долар", "долара", "доллар",
    "доллара", "dollar rate", "exchange rate*",
    "крипт*", "crypto*", "біткоїн*", "биткоин*", "bitcoin*", "btc", "ethereum",
    "напиши код", "напиши програм*", "напиши скрипт*", "написати код", "написать код", "програмуванн*",
    "программировани*", "write code", "write a code", "write a program", "write a script", "python",
    "javascript", "programming",
    "гороскоп*", "horoscope*", "новини", "новин", "новости", "news", "фільм*", "фильм*", "movie*",
    "серіал*", "сериал*", "переклади", "переведи", "translate", "столиц*", "capital of", "сенс життя",
    "смысл жизни", "meaning of life");

  /** A city, so a bare "Київ" in the payment stage is a delivery detail. */
  static final Pattern CITY = words("київ*", "києв*", "киев*", "kyiv", "kiev", "харків*", "харков*", "харьков*",
    "kharkiv", "одес*", "odesa", "odessa", "дніпр*", "днепр*", "dnipro", "львів*", "львов*", "lviv", "запоріж*",
    "запорож*", "вінниц*", "винниц*", "полтав*", "чернігів*", "чернігов*", "чернигов*", "черкас*", "житомир*",
    "рівне", "рівному", "ровно", "луцьк*", "луцк*", "тернопіл*", "тернопол*", "івано-франківськ*",
    "ивано-франковск*", "франківськ*", "ужгород*", "хмельницьк*", "хмельницк*", "чернівц*", "черновц*",
    "кропивницьк*", "миколаїв*", "миколаєв*", "николаев*", "херсон*", "біл* церкв*", "бел* церкв*", "кременчу*",
    "бровар*", "ірпін*", "ирпен*", "буча", "бучі", "крив* ріг", "крив* рог*", "крив* роз*", "кам'янець*",
    "мукачев*", "краматорськ*", "бориспіл*", "борисполь", "обухів*", "фастів*", "умань", "умані", "бердичів*",
    "коломи*", "дрогобич*", "ковел*", "нікопол*", "павлоград*", "кам'янськ*", "мелітопол*",
    "місто", "місті", "м.", "город", "городе", "city", "село", "селі", "смт", "область", "області", "обл.");

  private IntentWords() {
  }
}
