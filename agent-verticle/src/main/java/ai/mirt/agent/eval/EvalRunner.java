package ai.mirt.agent.eval;

import ai.mirt.agent.AgentFailure;
import ai.mirt.agent.Answer;
import ai.mirt.agent.Assistant;
import ai.mirt.agent.Conversation;
import ai.mirt.common.Channel;
import ai.mirt.common.Turn;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Plays scripted conversations through an {@link Assistant}, the object the agent verticle answers customers with,
 * and compares each answer with the script. Each conversation starts empty and carries the answer's conversation from
 * turn to turn through its stored JSON form, as the verticle does through its store; nothing else of the service
 * (Vert.x, HTTP, Redis, ManyChat, the time budget, the message limits) takes part. Blocks while the model answers.
 */
public final class EvalRunner {

  private final Assistant assistant;
  private final CatalogCheck catalogCheck = new CatalogCheck();

  public EvalRunner(Assistant assistant) {
    this.assistant = assistant;
  }

  /** Every script in order; the n-th (from 1) talks as subscriber {@code eval-n}. */
  public List<EvalResult> run(List<Script> scripts) {
    List<EvalResult> out = new ArrayList<>();
    for (int i = 0; i < scripts.size(); i++) {
      out.add(run(scripts.get(i), i + 1));
    }
    return out;
  }

  /**
   * One conversation. A turn the assistant cannot answer at all (it throws, as when not even the escalation text
   * could be written) fails, and the turns after it are not run: they would answer a conversation the script did
   * not mean.
   */
  public EvalResult run(Script script, int number) {
    Conversation conversation = Conversation.empty();
    List<String> differences = new ArrayList<>();
    List<ScriptTurn> turns = script.turns();
    int passed = 0;
    for (int i = 0; i < turns.size(); i++) {
      ScriptTurn st = turns.get(i);
      String where = "turn " + (i + 1) + " (" + st.label() + "): ";
      Answer answer;
      try {
        answer = assistant.answer(turn(script, number, i + 1), conversation);
      } catch (RuntimeException e) {
        differences.add(where + "the assistant failed: " + AgentFailure.describe(e));
        if (i + 1 < turns.size()) {
          differences.add(notRun(i + 2, turns.size()));
        }
        break;
      }
      List<String> found = check(st, answer);
      if (found.isEmpty()) {
        passed++;
      }
      found.forEach(f -> differences.add(where + f));
      conversation = Conversation.fromJson(new JsonObject(answer.conversation().toJson().encode()));
    }
    return new EvalResult(script.file(), script.name(), passed, turns.size(), differences);
  }

  /** The turn as debounce would hand it to the agent: one message, from the script's customer, on Instagram. */
  static Turn turn(Script script, int number, int index) {
    ScriptTurn st = script.turns().get(index - 1);
    String subscriber = "eval-" + number;
    String id = subscriber + "-" + index;
    return new Turn(subscriber, id, Channel.INSTAGRAM, st.say(), st.images(), script.customer(), 1,
      System.currentTimeMillis(), 1, 0, id);
  }

  private List<String> check(ScriptTurn st, Answer answer) {
    List<String> found = new ArrayList<>();
    if (answer.messages().isEmpty()) {
      found.add("no reply: the answer has no messages");
    }
    found.addAll(st.expect().differences(answer));
    found.addAll(catalogCheck.violations(answer, assistant.catalog().current(), assistant.shop().prepayment()));
    if (!found.isEmpty() && answer.failure() != null) {
      // Why the model did not answer (a wrong key, a server that is down) explains the differences above.
      found.add("the model failed: " + answer.failure());
    }
    return found;
  }

  private static String notRun(int from, int to) {
    return from == to ? "turn " + from + " not run" : "turns " + from + "–" + to + " not run";
  }
}
