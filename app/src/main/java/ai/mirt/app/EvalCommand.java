package ai.mirt.app;

import ai.mirt.agent.Assistant;
import ai.mirt.agent.eval.EvalResult;
import ai.mirt.agent.eval.EvalRunner;
import ai.mirt.agent.eval.EvalTable;
import ai.mirt.agent.eval.Script;
import ai.mirt.agent.eval.ScriptException;
import ai.mirt.agent.eval.ScriptLoader;
import ai.mirt.common.MirtConfig;
import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code java -jar mirt.jar eval conf/conversations/}: plays the shop's scripted conversations through the assistant
 * the service would answer with (the same settings, read by {@link ConfigLoader}: the offline assistant, or the model
 * when {@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL} is set) and prints a pass/fail table. A shop runs it after
 * changing its catalog, texts, prompts or model, before customers see the change. Only the assistant runs: no HTTP
 * server, verticle, Redis or ManyChat call.
 *
 * <p>Exit status: {@value #PASSED} when every conversation passed, {@value #FAILED} when any failed,
 * {@value #USAGE} for a usage or configuration error (no such directory, an unreadable script, invalid settings),
 * whose message names the file or setting.
 */
public final class EvalCommand {

  public static final String NAME = "eval";
  public static final int PASSED = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  static final String HELP = "usage: java -jar mirt.jar eval <directory of conversations, or one .yaml/.json file>";

  private EvalCommand() {
  }

  /**
   * From {@link Main}: the process's settings, the table on standard output, colours only on a terminal. The
   * service's informational log would bury the table, so only warnings are logged unless {@code MIRT_LOG_LEVEL} asks
   * for more.
   */
  static int exec(List<String> args) {
    if (System.getenv("MIRT_LOG_LEVEL") == null) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.WARN);
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.vertx")).setLevel(Level.WARN);
    }
    boolean terminal = System.console() != null && System.getenv("NO_COLOR") == null
      && !"dumb".equals(System.getenv("TERM"));
    return run(args, System.getenv(), System.getProperties(), System.out, System.err, terminal);
  }

  /**
   * Runs the conversations of {@code args}' one path.
   *
   * @param env    the environment the settings are read from, as the service reads them
   * @param sys    the system properties likewise ({@code -Dmirt.<path>})
   * @param out    where the table goes
   * @param err    where usage and configuration errors go
   * @param colour whether {@code PASS} and {@code FAIL} are coloured (a terminal)
   * @return {@link #PASSED}, {@link #FAILED} or {@link #USAGE}
   */
  public static int run(List<String> args, Map<String, String> env, Properties sys, PrintStream out,
                        PrintStream err, boolean colour) {
    if (args.size() != 1 || args.get(0).isBlank()) {
      err.println(HELP);
      return USAGE;
    }
    List<Script> scripts;
    try {
      scripts = ScriptLoader.load(Path.of(args.get(0)));
    } catch (ScriptException | InvalidPathException e) {
      err.println("eval: " + e.getMessage());
      return USAGE;
    }
    Assistant assistant;
    try {
      MirtConfig config = ConfigLoader.load(env, sys);
      assistant = Assistant.create(config.agent());
    } catch (Exception e) {
      err.println("eval: configuration error: " + e.getMessage());
      return USAGE;
    }
    out.println(scripts.size() + (scripts.size() == 1 ? " conversation" : " conversations") + " from "
      + args.get(0) + ", answered by " + assistant.model());
    out.println();
    List<EvalResult> results = new EvalRunner(assistant).run(scripts);
    out.print(EvalTable.render(results, colour));
    out.flush();
    return results.stream().allMatch(EvalResult::passed) ? PASSED : FAILED;
  }
}
