package ai.mirt.agent;

import java.util.List;

/**
 * Colours in general, beyond the ones the shop sells: a reply must not promise a green dress the catalog does not
 * have, and "а є фіолетова?" is a question about colour even when no product comes in violet. The catalog's own colours
 * and their keywords live in the catalog; this list only catches the rest.
 */
final class ColourWords {

  /** Ukrainian colour names with their Ukrainian, Russian and English words ({@link Vocabulary} keyword syntax). */
  static final Vocabulary GENERAL = new Vocabulary(List.of(
    Vocabulary.term("білий", List.of("білий", "белый", "white")),
    Vocabulary.term("чорний", List.of("чорний", "черный", "black")),
    Vocabulary.term("сірий", List.of("сірий", "серый", "grey", "gray")),
    Vocabulary.term("червоний", List.of("червоний", "красный", "red")),
    Vocabulary.term("рожевий", List.of("рожевий", "розовый", "pink")),
    Vocabulary.term("помаранчевий", List.of("помаранчевий", "оранжевий", "оранжевый", "orange")),
    Vocabulary.term("жовтий", List.of("жовтий", "желтый", "yellow")),
    Vocabulary.term("зелений", List.of("зелений", "зеленый", "green")),
    Vocabulary.term("блакитний", List.of("блакитний", "голубой", "light blue", "sky blue")),
    Vocabulary.term("синій", List.of("синій", "темно-синій", "blue", "navy")),
    Vocabulary.term("фіолетовий", List.of("фіолетовий", "фиолетовый", "purple", "violet")),
    Vocabulary.term("бузковий", List.of("бузковий", "ліловий", "сиреневый", "лиловый", "lilac", "lavender")),
    Vocabulary.term("коричневий", List.of("коричневий", "коричневый", "brown")),
    Vocabulary.term("бежевий", List.of("бежевий", "бежевый", "beige")),
    Vocabulary.term("оливковий", List.of("оливковий", "оливковый", "olive")),
    Vocabulary.term("бордовий", List.of("бордовий", "бордовый", "бордо", "burgundy", "maroon")),
    Vocabulary.term("бірюзовий", List.of("бірюзовий", "бирюзовый", "turquoise")),
    Vocabulary.term("м'ятний", List.of("м'ятний", "мятный", "mint")),
    Vocabulary.term("хакі", List.of("хакі", "хаки", "khaki")),
    Vocabulary.term("золотий", List.of("золотий", "золотой", "gold", "golden")),
    Vocabulary.term("срібний", List.of("срібний", "серебряный", "silver")),
    Vocabulary.term("кремовий", List.of("кремовий", "кремовый", "cream")),
    Vocabulary.term("персиковий", List.of("персиковий", "персиковый", "peach")),
    Vocabulary.term("кораловий", List.of("кораловий", "коралловый", "coral")),
    Vocabulary.term("гірчичний", List.of("гірчичний", "горчичный", "mustard")),
    Vocabulary.term("смарагдовий", List.of("смарагдовий", "изумрудный", "emerald"))));

  private ColourWords() {
  }
}
