package ai.mirt.agent.eval;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every scripted conversation the repository ships ({@code conf/conversations/}) through the offline assistant,
 * as {@code java -jar mirt.jar eval conf/conversations/} does: this test is how the build keeps them passing.
 */
class ShippedConversationsTest {

  static final Path SHIPPED = Path.of(Assistants.CONF, "conversations");

  @Test
  void everyShippedConversationPasses() throws Exception {
    List<Script> scripts = ScriptLoader.load(SHIPPED);

    List<EvalResult> results = new EvalRunner(Assistants.offline()).run(scripts);

    assertThat(scripts).extracting(Script::file).contains("01-greeting.yaml", "02-complaint.yaml", "03-restart.yaml");
    assertThat(results).as("the scripted conversations of %s:%n%s", SHIPPED, EvalTable.render(results, false))
      .allMatch(EvalResult::passed);
  }
}
