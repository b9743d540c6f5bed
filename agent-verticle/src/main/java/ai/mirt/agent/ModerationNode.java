package ai.mirt.agent;

import org.bsc.langgraph4j.action.NodeAction;

import java.util.Map;

/** First node: flags abusive texts so they are answered politely without the intent detector or the model. */
final class ModerationNode implements NodeAction<SalesState> {

  private final Moderator moderator;

  ModerationNode(Moderator moderator) {
    this.moderator = moderator;
  }

  @Override
  public Map<String, Object> apply(SalesState state) {
    if (moderator.isAbusive(state.text())) {
      return Map.of(SalesState.ABUSIVE, true, SalesState.INTENT, Intent.ABUSE.wire());
    }
    return Map.of(SalesState.ABUSIVE, false);
  }
}
