package ai.mirt.agent;

import io.vertx.core.Future;

/**
 * Where conversations live between turns. Asynchronous because the shared implementation is remote (Redis); a
 * turn loads before the graph runs and saves only once debounce allowed its reply to go out.
 */
public interface ConversationStore {

  /** The subscriber's conversation, or {@link Conversation#empty()} when there is none. */
  Future<Conversation> load(String subscriberId);

  Future<Void> save(String subscriberId, Conversation conversation);

  Future<Void> clear(String subscriberId);
}
