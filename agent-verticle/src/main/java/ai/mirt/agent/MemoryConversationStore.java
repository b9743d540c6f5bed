package ai.mirt.agent;

import io.vertx.core.Future;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Conversations in this process's memory: the default when no Redis is configured; lost on restart. */
public final class MemoryConversationStore implements ConversationStore {

  // Turns of different subscribers run on different worker threads at once.
  private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();

  @Override
  public Future<Conversation> load(String subscriberId) {
    return Future.succeededFuture(conversations.getOrDefault(subscriberId, Conversation.empty()));
  }

  @Override
  public Future<Void> save(String subscriberId, Conversation conversation) {
    conversations.put(subscriberId, conversation);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> clear(String subscriberId) {
    conversations.remove(subscriberId);
    return Future.succeededFuture();
  }
}
