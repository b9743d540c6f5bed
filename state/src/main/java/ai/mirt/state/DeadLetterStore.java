package ai.mirt.state;

import io.vertx.core.Future;

import java.util.List;

/**
 * The one place where work that was given up is recorded with its reason: turns the agent could not answer and
 * replies ManyChat would not take. Bounded by count and by age; the oldest go first.
 */
public interface DeadLetterStore {

  Future<Void> add(DeadLetter deadLetter);

  /** Up to {@code limit} dead letters, newest first. */
  Future<List<DeadLetter>> recent(int limit);
}
