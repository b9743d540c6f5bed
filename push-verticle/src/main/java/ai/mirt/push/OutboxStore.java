package ai.mirt.push;

import ai.mirt.common.Reply;
import io.vertx.core.Future;

import java.util.List;

/**
 * Replies accepted for delivery and not yet finished (delivered or dead-lettered). A reply is stored before its
 * first ManyChat call, so a store shared between instances can hand it to another instance after a crash instead
 * of running the agent again.
 */
public interface OutboxStore {

  Future<Void> put(Reply reply);

  Future<Void> remove(String subscriberId, String turnId);

  /** Stored replies, oldest first. */
  Future<List<Reply>> pending();
}
