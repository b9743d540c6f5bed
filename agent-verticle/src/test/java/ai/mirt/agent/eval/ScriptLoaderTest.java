package ai.mirt.agent.eval;

import ai.mirt.agent.Intent;
import ai.mirt.agent.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScriptLoaderTest {

  static final String EVERY_KEY = """
    name: Оформлення
    description: every key a turn knows
    customer: {first_name: Олена, name: Олена Петренко}
    turns:
      - say: "Хочу Ромашку, зріст 116"
        images: ["https://shop.example.com/img/a.jpg"]
        state: STATE_4_OFFER
        intent: SIZE_HELP
        fields: {last_product: "Сукня «Ромашка»", order_sum: 1250, client_phone: ~}
        tags: [order_started]
        removed_tags: needs_human
        no_tags: [needs_human]
        says: ["1250 грн", "116"]
        not_says: "1390 грн"
        photos: 2
        escalation: false
        order_status: confirmed
      - say: ""
        escalation: complaint
      - say: 116
        escalation: true
        order: false
    """;

  @TempDir
  Path dir;

  @Test
  void readsEveryKeyOfATurn() {
    Script s = ScriptLoader.parse("04-order.yaml", EVERY_KEY);

    assertThat(s.file()).isEqualTo("04-order.yaml");
    assertThat(s.name()).isEqualTo("Оформлення");
    assertThat(s.customer().firstName()).isEqualTo("Олена");
    assertThat(s.customer().name()).isEqualTo("Олена Петренко");
    assertThat(s.turns()).hasSize(3);
    ScriptTurn first = s.turns().get(0);
    assertThat(first.say()).isEqualTo("Хочу Ромашку, зріст 116");
    assertThat(first.images()).containsExactly("https://shop.example.com/img/a.jpg");
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("last_product", "Сукня «Ромашка»");
    fields.put("order_sum", "1250");
    fields.put("client_phone", null);
    assertThat(first.expect()).isEqualTo(new Expect(Stage.STATE_4_OFFER, Intent.SIZE_HELP, fields,
      List.of("order_started"), List.of("needs_human"), List.of("needs_human"), List.of("1250 грн", "116"),
      List.of("1390 грн"), 2, false, null, true, "confirmed"));
    assertThat(s.turns().get(1).say()).isEmpty();
    assertThat(s.turns().get(1).expect().escalated()).isTrue();
    assertThat(s.turns().get(1).expect().escalation()).isEqualTo("complaint");
    assertThat(s.turns().get(2).say()).isEqualTo("116");
    assertThat(s.turns().get(2).expect()).isEqualTo(new Expect(null, null, null, null, null, null, null, null, null,
      true, null, false, null));
  }

  @Test
  void jsonScriptsReadLikeYaml() {
    String json = """
      {"name": "Оформлення", "description": "every key a turn knows",
       "customer": {"first_name": "Олена", "name": "Олена Петренко"},
       "turns": [
         {"say": "Хочу Ромашку, зріст 116", "images": ["https://shop.example.com/img/a.jpg"],
          "state": "STATE_4_OFFER", "intent": "SIZE_HELP",
          "fields": {"last_product": "Сукня «Ромашка»", "order_sum": 1250, "client_phone": null},
          "tags": ["order_started"], "removed_tags": "needs_human", "no_tags": ["needs_human"],
          "says": ["1250 грн", "116"], "not_says": "1390 грн", "photos": 2, "escalation": false,
          "order_status": "confirmed"},
         {"say": "", "escalation": "complaint"},
         {"say": 116, "escalation": true, "order": false}
       ]}
      """;

    Script fromJson = ScriptLoader.parse("04-order.json", json);

    assertThat(fromJson).isEqualTo(new Script("04-order.json", "Оформлення",
      ScriptLoader.parse("x.yaml", EVERY_KEY).customer(), ScriptLoader.parse("x.yaml", EVERY_KEY).turns()));
  }

  @Test
  void aDirectoryGivesItsScriptsInFileNameOrder() throws IOException {
    write("02-b.yml", "turns: [{say: b}]");
    write("10-c.json", "{\"name\": \"c\", \"turns\": [{\"say\": \"c\"}]}");
    write("01-a.yaml", "name: a\nturns: [{say: a}]");
    write("README.md", "# not a script");
    write(".01-a.yaml.swp", "not a script");
    write("notes.txt", "not a script");

    List<Script> scripts = ScriptLoader.load(dir);

    assertThat(scripts).extracting(Script::file).containsExactly("01-a.yaml", "02-b.yml", "10-c.json");
    assertThat(scripts).extracting(Script::name).containsExactly("a", "02-b", "c");
  }

  @Test
  void oneFileCanBeGivenInsteadOfADirectory() throws IOException {
    Path file = write("03-restart.yaml", "turns: [{say: /restart, state: STATE_0_INIT}]");

    assertThat(ScriptLoader.load(file)).singleElement().satisfies(s -> {
      assertThat(s.file()).isEqualTo("03-restart.yaml");
      assertThat(s.turns().get(0).expect().state()).isEqualTo(Stage.STATE_0_INIT);
    });
  }

  @Test
  void aMissingDirectoryIsNamed() {
    Path missing = dir.resolve("conversations");

    assertThatThrownBy(() -> ScriptLoader.load(missing)).isInstanceOf(ScriptException.class)
      .hasMessage(missing + ": no such directory");
  }

  @Test
  void aDirectoryWithoutScriptsIsAnError() throws IOException {
    write("README.md", "# nothing to run");

    assertThatThrownBy(() -> ScriptLoader.load(dir)).isInstanceOf(ScriptException.class)
      .hasMessage(dir + ": no conversations in it (.yaml, .yml, .json files)");
  }

  @Test
  void malformedYamlNamesTheFileAndTheLine() throws IOException {
    write("01-ok.yaml", "turns: [{say: a}]");
    Path bad = write("02-bad.yaml", "name: broken\nturns:\n  - say: \"unclosed\n    state: STATE_0_INIT\n");

    assertThatThrownBy(() -> ScriptLoader.load(dir)).isInstanceOf(ScriptException.class)
      .hasMessageStartingWith(bad + ": not valid YAML (line ");
  }

  @Test
  void malformedJsonNamesTheFileAndTheLine() throws IOException {
    Path bad = write("bad.json", "{\"turns\": [{\"say\": \"a\"},]}");

    assertThatThrownBy(() -> ScriptLoader.load(bad)).isInstanceOf(ScriptException.class)
      .hasMessageStartingWith(bad + ": not valid JSON (line 1, column ");
  }

  @Test
  void anUnknownKeyNamesTheFileAndTheTurn() {
    String yaml = "turns:\n  - say: a\n  - say: b\n    sasy: [b]\n";

    assertThatThrownBy(() -> ScriptLoader.parse("02-complaint.yaml", yaml)).isInstanceOf(ScriptException.class)
      .hasMessageStartingWith("02-complaint.yaml, turn 2: unknown key 'sasy' (known: say, images, state,");
  }

  @Test
  void anUnknownStateOrIntentNamesTheFileAndTheTurn() {
    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", "turns: [{say: a, state: STATE_4}]"))
      .hasMessageStartingWith("a.yaml, turn 1: state 'STATE_4' is not one of STATE_0_INIT, STATE_1_DISCOVERY,");
    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", "turns: [{say: a}, {say: b, intent: HELLO}]"))
      .hasMessageStartingWith("a.yaml, turn 2: intent 'HELLO' is not one of GREETING_ONLY,");
  }

  @Test
  void valuesOfTheWrongKindAreRefused() {
    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", "turns: [{say: a, photos: two}]"))
      .hasMessage("a.yaml, turn 1: photos must be a whole number, 0 or more, got \"two\"");
    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", "turns: [{say: a, images: [http://x.example/a.jpg]}]"))
      .hasMessage("a.yaml, turn 1: images must be https URLs, got 'http://x.example/a.jpg'");
    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", "turns: [{say: a, says: [\"\"]}]"))
      .hasMessageStartingWith("a.yaml, turn 1: says must be a value or a list of values, none empty");
    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", "turns: [{say: a, order: false, order_status: paid}]"))
      .hasMessage("a.yaml, turn 1: order_status expects an order, but order is false");
    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", "turns: [{say: a, escalation: [x]}]"))
      .hasMessageStartingWith("a.yaml, turn 1: escalation must be true, false or a reason");
    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", "turns: [{say: a, fields: [order_sum]}]"))
      .hasMessageStartingWith("a.yaml, turn 1: fields must be a mapping");
  }

  @Test
  void textsYamlWouldReadAsTrueOrFalseMustBeQuoted() {
    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", "turns: [{say: a}, {say: no}]"))
      .hasMessageStartingWith("a.yaml, turn 2: say reads as false: ").hasMessageEndingWith("put the text in quotes");
    assertThat(ScriptLoader.parse("a.yaml", "turns: [{say: \"no\"}]").turns().get(0).say()).isEqualTo("no");
  }

  @Test
  void aScriptNeedsTurns() {
    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", "name: nothing to say"))
      .hasMessage("a.yaml: turns must list at least one turn");
    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", "- say: a"))
      .hasMessage("a.yaml: must hold a mapping with name, customer and turns at the top");
    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", "# only a comment\n"))
      .hasMessage("a.yaml: the file is empty");
    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", "naem: x\nturns: [{say: a}]"))
      .hasMessageStartingWith("a.yaml: unknown key 'naem'");
  }

  @Test
  void aKeyWrittenTwiceIsRefused() {
    String yaml = "turns:\n  - say: a\n    says: [x]\n    says: [y]\n";

    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", yaml)).isInstanceOf(ScriptException.class)
      .hasMessageStartingWith("a.yaml: not valid YAML (line 4").hasMessageContaining("says");
  }

  @Test
  void oneConversationPerFile() {
    String yaml = "turns: [{say: a}]\n---\nturns: [{say: b}]\n";

    assertThatThrownBy(() -> ScriptLoader.parse("a.yaml", yaml))
      .hasMessage("a.yaml: holds 2 YAML documents; write one conversation per file");
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
