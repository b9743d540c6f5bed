package ai.mirt.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mirt.jar eval}: its exit status and table, with the repository's shop and the offline assistant. */
class EvalCommandTest {

  /** Stable whatever the offline assistant answers: /restart is answered without it. */
  static final String RESTART = """
    name: Перезапуск
    turns:
      - say: /restart
        state: STATE_0_INIT
        says: "Сесія очищена"
    """;

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Map<String, String> env = new HashMap<>(Map.of(
    "MIRT_CATALOG", "../conf/catalog.json", "MIRT_SHOP", "../conf/shop.yaml", "MIRT_PROMPTS", "../conf/prompts.yaml"));

  @Test
  void everyConversationPassingExitsZero() throws IOException {
    write("01-restart.yaml", RESTART);

    int status = eval(dir.toString());

    assertThat(status).isZero();
    assertThat(out()).contains("1 conversation from " + dir + ", answered by offline")
      .contains("01-restart.yaml  Перезапуск    1/1    PASS")
      .endsWith("1 of 1 conversation passed\n");
    assertThat(err()).isEmpty();
  }

  @Test
  void aFailingConversationExitsOneAndShowsTheDifference() throws IOException {
    write("01-restart.yaml", RESTART);
    write("02-wrong.json", """
      {"name": "Неправильний стан", "turns": [{"say": "/restart", "state": "STATE_4_OFFER"}]}
      """);

    int status = eval(dir.toString());

    assertThat(status).isEqualTo(1);
    assertThat(out()).contains("02-wrong.json    Неправильний стан  0/1    FAIL\n"
        + "    turn 1 (\"/restart\"): state expected STATE_4_OFFER, got STATE_0_INIT\n")
      .endsWith("1 of 2 conversations passed\n")
      .doesNotContain("\u001B[");
  }

  @Test
  void theShippedConversationsPassThroughTheCommand() {
    int status = eval("../conf/conversations");

    assertThat(status).as(out() + err()).isZero();
    assertThat(out()).contains("01-greeting.yaml", "02-complaint.yaml", "03-restart.yaml");
  }

  @Test
  void aMissingDirectoryIsAUsageError() {
    Path missing = dir.resolve("conversations");

    int status = eval(missing.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err()).isEqualTo("eval: " + missing + ": no such directory\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void anUnreadableScriptIsAUsageErrorNamingTheFile() throws IOException {
    write("01-restart.yaml", RESTART);
    Path bad = write("02-broken.yaml", "turns:\n  - say: \"unclosed\n");

    int status = eval(dir.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err()).startsWith("eval: " + bad + ": not valid YAML (line ");
    assertThat(out()).isEmpty();
  }

  @Test
  void invalidSettingsAreAUsageErrorNamingTheSetting() throws IOException {
    write("01-restart.yaml", RESTART);
    env.put("MIRT_CATALOG", dir.resolve("no-catalog.json").toString());

    int status = eval(dir.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err()).startsWith("eval: configuration error: agent.catalog: ").contains("no-catalog.json");
  }

  @Test
  void withoutExactlyOnePathItPrintsTheUsage() {
    assertThat(EvalCommand.run(List.of(), env, new Properties(), print(out), print(err), false)).isEqualTo(2);
    assertThat(err()).isEqualTo(EvalCommand.HELP + "\n");
  }

  private int eval(String path) {
    return EvalCommand.run(List.of(path), env, new Properties(), print(out), print(err), false);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
