package ai.mirt.agent;

import ai.mirt.common.Setting;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model's prompts, from {@code conf/prompts.yaml}: the system prompt, one task per answering node, the rewrite
 * notice and the text of an empty turn. Everything the model reads is there, so a shop tunes its assistant without
 * touching code; {@code {placeholders}} are filled per turn from {@link PromptFacts}. The file is checked when it is
 * loaded, so a missing task fails at start rather than on a customer's turn.
 */
public final class Prompts {

  static final String SETTING = "agent.prompts";
  private static final String DEFAULT_PATH = Setting.byPath(SETTING).orElseThrow().defaultValue();
  private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

  private final JsonObject json;

  private Prompts(JsonObject json) {
    this.json = json;
  }

  /** @throws IllegalStateException naming {@code agent.prompts} when the file is missing or lacks a prompt */
  public static Prompts load(String path) {
    try {
      return fromJson(ShopFiles.yaml(SETTING, path, ShopFiles.read(SETTING, path, DEFAULT_PATH)));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(SETTING + ": invalid prompts file '" + path + "': " + e.getMessage(), e);
    }
  }

  /** @throws IllegalArgumentException naming the first prompt that is missing */
  public static Prompts fromJson(JsonObject json) {
    List<String> missing = new ArrayList<>();
    for (String key : List.of("system", "rewrite", "empty_turn")) {
      if (!(json.getValue(key) instanceof String s) || s.isBlank()) {
        missing.add(key);
      }
    }
    JsonObject tasks = json.getValue("tasks") instanceof JsonObject t ? t : new JsonObject();
    for (Step step : Step.values()) {
      if (step != Step.ESCALATION && (!(tasks.getValue(step.node()) instanceof String s) || s.isBlank())) {
        missing.add("tasks." + step.node());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("missing " + String.join(", ", missing));
    }
    return new Prompts(json.copy());
  }

  /** The system prompt as written, placeholders unfilled. */
  public String system() {
    return json.getString("system");
  }

  /** What the node is asked to do; escalations are never written by the model. */
  public String task(Step step) {
    if (step == Step.ESCALATION) {
      throw new IllegalArgumentException("the escalation node has no model task");
    }
    return json.getJsonObject("tasks").getString(step.node());
  }

  /** What the model reads as the customer's words when the turn has neither text nor photos. */
  public String emptyTurn() {
    return json.getString("empty_turn").strip();
  }

  /**
   * The system prompt for {@code step} and this turn: the task and, on a rewrite, the notice with the violations are
   * filled first and then put into the system prompt. Each template is filled in one pass, so a value that looks like
   * a placeholder (a customer called "{catalog}") stays as it is.
   */
  public String system(Step step, TurnContext context) {
    Map<String, String> facts = PromptFacts.of(context);
    facts.put("task", fill(task(step), facts).strip());
    facts.put("rewrite", context.violations().isEmpty() ? "" : fill(json.getString("rewrite"), facts).strip());
    // An empty rewrite leaves blank lines behind; one blank line between sections is enough.
    return BLANK_LINES.matcher(fill(system(), facts)).replaceAll("\n\n").strip();
  }

  /** {@code template} with every known {@code {name}} replaced; unknown ones stay. */
  static String fill(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(out);
    return out.toString();
  }
}
