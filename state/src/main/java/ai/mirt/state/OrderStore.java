package ai.mirt.state;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;

/**
 * Confirmed orders that the shop's CRM must receive. Each order is kept under its own id with a version that grows
 * whenever its JSON changes; a version is posted once (the CRM tells versions apart by {@code id:version}), retried
 * after a failure, or abandoned once it has been dead-lettered. Claims are leases, so that of several instances only
 * one posts a version at a time. Outcomes name the version they are about: the report of a post that took longer than
 * its lease, or of a version replaced since, cannot undo what happened to a newer one. Times come from the store's
 * clock. Bounded: at most {@link #MAX_ORDERS}, none kept longer than {@link #MAX_AGE_MS} after it was created.
 */
public interface OrderStore {

  int MAX_ORDERS = 10_000;
  long MAX_AGE_MS = 90 * 86_400_000L;

  /**
   * Stores or replaces the order with this id (JSON object with at least "id" and "subscriberId"). When the JSON
   * differs from what is stored, the order becomes due for posting now (version+1), or, while an earlier version is
   * being posted, as soon as that post is reported or its lease ends, so that the CRM never gets two versions at
   * once; an identical save changes nothing. Key order does not make JSON differ.
   *
   * @return the order as stored; a failed future when the id or the subscriber is missing
   */
  Future<StoredOrder> save(JsonObject order);

  /**
   * Orders due for posting (not posted at their current version, next attempt time reached), oldest first, each
   * leased to owner for leaseMs so only one instance posts it.
   */
  Future<List<StoredOrder>> claimDue(int limit, String owner, long leaseMs);

  /** Posting this version succeeded. A version saved since stays due. */
  Future<Void> posted(String id, int version);

  /** Posting failed: try again after delayMs; records attempts and the error text. */
  Future<Void> retryLater(String id, int version, int attempts, long delayMs, String error);

  /** Gives up on this version (after the caller dead-lettered it): no longer due. */
  Future<Void> abandon(String id, int version, String error);

  /** The newest orders first, at most limit. */
  Future<List<StoredOrder>> recent(int limit);

  Future<Optional<StoredOrder>> get(String id);
}
