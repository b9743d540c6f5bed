package ai.mirt.agent;

import org.bsc.langgraph4j.action.NodeAction;

import java.util.Map;

/** Detects what the turn is about. */
final class IntentNode implements NodeAction<SalesState> {

  private final IntentDetector detector;

  IntentNode(IntentDetector detector) {
    this.detector = detector;
  }

  @Override
  public Map<String, Object> apply(SalesState state) {
    return Map.of(SalesState.INTENT, detector.detect(state.text()).wire());
  }
}
