package ai.mirt.state;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * The one place where work that was given up is recorded with its reason: turns the agent could not answer and
 * replies ManyChat would not take. Bounded by count and by age; the oldest go first.
 */
public interface DeadLetterStore {

  /** Stores the letter under a new id; an id it already has is not kept. */
  Future<Void> add(DeadLetter deadLetter);

  /** Up to {@code limit} dead letters, newest first, each with its id. */
  Future<List<DeadLetter>> recent(int limit);

  /** The dead letter of that id, if it is still kept. */
  Future<Optional<DeadLetter>> get(String id);

  /** @return {@code false} when no dead letter of that id is kept */
  Future<Boolean> remove(String id);
}
