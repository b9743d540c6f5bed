package ai.mirt.agent;

import org.bsc.langgraph4j.action.NodeAction;

import java.util.Map;
import java.util.function.Supplier;

/** Detects what the turn is about, from the words, the photos and the stage the conversation is in. */
final class IntentNode implements NodeAction<SalesState> {

  private final IntentDetector detector;
  private final Supplier<Catalog> catalog;

  IntentNode(IntentDetector detector, Supplier<Catalog> catalog) {
    this.detector = detector;
    this.catalog = catalog;
  }

  @Override
  public Map<String, Object> apply(SalesState state) {
    Intent intent = detector.detect(state.text(), !state.images().isEmpty(), state.conversation().stage(),
      catalog.get());
    return Map.of(SalesState.INTENT, intent.name());
  }
}
