package ai.mirt.agent;

import org.bsc.langgraph4j.action.EdgeAction;

/** The conditional edge after moderation: abusive texts go straight to {@code respond}, the rest to {@code intent}. */
final class ModerationRoute implements EdgeAction<SalesState> {

  @Override
  public String apply(SalesState state) {
    return state.abusive() ? SalesGraph.RESPOND : SalesGraph.INTENT;
  }
}
