package ai.mirt.push;

import ai.mirt.common.Reply;
import io.vertx.core.Future;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The single-instance {@link OutboxStore}: what it holds is lost with the process. */
public final class MemoryOutboxStore implements OutboxStore {

  // Synchronized rather than confined: tests and the health probe read it from outside the verticle's event loop.
  private final Map<String, Reply> replies = new LinkedHashMap<>();

  @Override
  public synchronized Future<Void> put(Reply reply) {
    replies.put(key(reply.subscriberId(), reply.turnId()), reply);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> remove(String subscriberId, String turnId) {
    replies.remove(key(subscriberId, turnId));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<Reply>> pending() {
    return Future.succeededFuture(List.copyOf(replies.values()));
  }

  private static String key(String subscriberId, String turnId) {
    return subscriberId + '\n' + turnId;
  }
}
