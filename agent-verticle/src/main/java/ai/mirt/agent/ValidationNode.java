package ai.mirt.agent;

import org.bsc.langgraph4j.action.NodeAction;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checks every product, price, size, colour and photo of the draft against the catalog. A refused draft goes back to
 * the node that wrote it with the reasons, at most {@link #MAX_REWRITES} times; then the turn escalates.
 */
final class ValidationNode implements NodeAction<SalesState> {

  static final int MAX_REWRITES = 2;
  /** The escalation reason when no draft passed validation. */
  static final String INVALID = "validation_failed";

  private final ReplyValidator validator;
  private final Supplier<Catalog> catalog;

  ValidationNode(ReplyValidator validator, Supplier<Catalog> catalog) {
    this.validator = validator;
    this.catalog = catalog;
  }

  @Override
  public Map<String, Object> apply(SalesState state) {
    Draft draft = state.draft().orElseThrow(() -> new IllegalStateException("validation without a draft"));
    if (state.step().orElse(null) == Step.ESCALATION) {
      return Map.of(SalesState.VIOLATIONS, List.of());
    }
    List<String> violations = validator.violations(draft, catalog.get());
    if (violations.isEmpty()) {
      return Map.of(SalesState.VIOLATIONS, List.of());
    }
    int rejections = state.rejections() + 1;
    if (rejections > MAX_REWRITES) {
      return Map.of(SalesState.VIOLATIONS, violations, SalesState.REJECTIONS, rejections,
        SalesState.ESCALATION, INVALID);
    }
    return Map.of(SalesState.VIOLATIONS, violations, SalesState.REJECTIONS, rejections);
  }
}
