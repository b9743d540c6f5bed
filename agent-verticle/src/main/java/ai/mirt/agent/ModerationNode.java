package ai.mirt.agent;

import org.bsc.langgraph4j.action.NodeAction;

import java.util.Map;

/** First node: insults and prompt injection are caught here, before intent detection and long before any model. */
final class ModerationNode implements NodeAction<SalesState> {

  /** The escalation reason of a prompt-injection attempt. */
  static final String INJECTION = "prompt_injection";

  private final Moderator moderator;

  ModerationNode(Moderator moderator) {
    this.moderator = moderator;
  }

  @Override
  public Map<String, Object> apply(SalesState state) {
    Moderation m = moderator.check(state.text());
    if (m == Moderation.INJECTION) {
      return Map.of(SalesState.MODERATION, m.name(), SalesState.ESCALATION, INJECTION);
    }
    return Map.of(SalesState.MODERATION, m.name());
  }
}
