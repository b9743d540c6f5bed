package ai.mirt.state;

import io.vertx.core.Future;

/**
 * Conversations between turns, as the agent's JSON text. Written only by {@link TurnStore#handoff}, in the step that
 * decides the turn is current; forgotten after the conversation TTL.
 */
public interface ConversationStore {

  /** The subscriber's conversation, or an empty string when there is none. */
  Future<String> load(String subscriberId);
}
