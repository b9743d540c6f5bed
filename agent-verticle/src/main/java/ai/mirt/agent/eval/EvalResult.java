package ai.mirt.agent.eval;

import java.util.List;

/**
 * How one scripted conversation went.
 *
 * @param file        the script's file name
 * @param name        the script's name
 * @param turnsPassed turns whose answer met every expectation and the catalog check
 * @param turns       the script's turns, run or not
 * @param differences what went otherwise, each naming its turn: {@code turn 3 ("беру"): state expected …, got …}
 */
public record EvalResult(String file, String name, int turnsPassed, int turns, List<String> differences) {

  public EvalResult {
    differences = List.copyOf(differences);
  }

  public boolean passed() {
    return differences.isEmpty() && turnsPassed == turns;
  }
}
