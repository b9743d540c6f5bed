package ai.mirt.state;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An {@link OrderStore} keeps each order's versions, leases the due ones to one poster at a time, records what became
 * of each version, and keeps a bounded number of orders for a bounded time.
 */
abstract class OrderStoreContract extends StoreContract {

  private static final long DAY_MS = 86_400_000L;

  private OrderStore orders() {
    return stores.orders();
  }

  /** A store of these bounds on the same backend, prefix and clock as {@link #stores}. */
  private OrderStore bounded(int maxOrders, long maxAgeMs) {
    return backend() == Backend.MEMORY ? new MemoryOrderStore(clock, maxOrders, maxAgeMs)
      : new RedisOrderStore((RedisStore) stores.turns(), maxOrders, maxAgeMs);
  }

  static JsonObject order(String id, int total) {
    return new JsonObject().put("id", id).put("subscriberId", "7").put("total", total)
      .put("items", new JsonArray().add(new JsonObject().put("sku", "dress-1").put("size", "S")));
  }

  private StoredOrder save(JsonObject order) throws InterruptedException {
    return await(orders().save(order));
  }

  private StoredOrder get(String id) throws InterruptedException {
    return await(orders().get(id)).orElseThrow(() -> new AssertionError("no order " + id));
  }

  private List<StoredOrder> claim(String owner) throws InterruptedException {
    return await(orders().claimDue(16, owner, LEASE));
  }

  private static List<String> keys(List<StoredOrder> orders) {
    return orders.stream().map(StoredOrder::idempotencyKey).toList();
  }

  @Test
  void aNewOrderIsStoredAsVersionOneDueNow() throws Exception {
    StoredOrder saved = save(order("o-1", 1200));
    assertThat(saved).isEqualTo(new StoredOrder("o-1", order("o-1", 1200), 1, 0, 0, T0, T0, T0, null));
    assertThat(saved.status()).isEqualTo("pending");
    assertThat(saved.subscriberId()).isEqualTo("7");
    assertThat(get("o-1")).isEqualTo(saved);
    assertThat(StoredOrder.fromJson(saved.toJson())).as("its JSON reads back").isEqualTo(saved);
    assertThat(saved.toJson().getString("status")).isEqualTo("pending");
    assertThat(await(orders().get("no-such-order"))).isEmpty();
  }

  @Test
  void anOrderNeedsAnIdAndASubscriber() throws Exception {
    JsonObject noId = order("x", 1).copy();
    noId.remove("id");
    JsonObject noSubscriber = order("x", 1).copy();
    noSubscriber.remove("subscriberId");
    assertThatThrownBy(() -> save(noId)).hasMessageContaining("missing field 'id'");
    assertThatThrownBy(() -> save(noSubscriber)).hasMessageContaining("missing field 'subscriberId'");
    assertThatThrownBy(() -> save(null)).hasMessageContaining("must be a JSON object");
    assertThat(await(orders().recent(10))).as("nothing was stored").isEmpty();
  }

  @Test
  void theSameOrderSavedAgainChangesNothing() throws Exception {
    StoredOrder first = save(order("o-1", 1200));
    clock.advance(5_000);
    JsonObject reordered = new JsonObject().put("items", order("o-1", 1200).getJsonArray("items")).put("total", 1200)
      .put("subscriberId", "7").put("id", "o-1");
    assertThat(save(reordered)).as("the same fields in another order").isEqualTo(first);
    assertThat(keys(claim("node-a"))).containsExactly("o-1:1");
    await(orders().posted("o-1", 1));
    StoredOrder posted = get("o-1");
    clock.advance(5_000);
    assertThat(save(order("o-1", 1200))).isEqualTo(posted);
    clock.advance(LEASE);
    assertThat(claim("node-a")).as("a posted order saved again is not posted again").isEmpty();
  }

  @Test
  void aChangedOrderIsTheNextVersionDueNow() throws Exception {
    save(order("o-1", 1200));
    claim("node-a");
    await(orders().posted("o-1", 1));
    clock.advance(60_000);
    StoredOrder changed = save(order("o-1", 1500));
    assertThat(changed).isEqualTo(new StoredOrder("o-1", order("o-1", 1500), 2, 1, 0, T0, T0 + 60_000, T0 + 60_000,
      null));
    assertThat(keys(claim("node-a"))).containsExactly("o-1:2");
  }

  @Test
  void aClaimLeasesTheDueOrdersOldestFirst() throws Exception {
    save(order("o-b", 1));
    clock.advance(1);
    save(order("o-a", 2));
    clock.advance(1);
    save(order("o-c", 3));
    List<StoredOrder> claimed = await(orders().claimDue(2, "node-a", LEASE));
    assertThat(keys(claimed)).as("by when they became due, not by id").containsExactly("o-b:1", "o-a:1");
    assertThat(claimed).extracting(StoredOrder::nextAttemptAt).containsOnly(T0 + 2 + LEASE);
    clock.advance(1);
    assertThat(keys(claim("node-b"))).as("only what the first claim left").containsExactly("o-c:1");
    clock.advance(LEASE - 2);
    assertThat(claim("node-b")).as("every lease still runs").isEmpty();
    clock.advance(1);
    assertThat(keys(claim("node-b"))).as("the leases of o-b and o-a ended without an outcome")
      .containsExactlyInAnyOrder("o-b:1", "o-a:1");
    assertThat(await(orders().claimDue(0, "node-b", LEASE))).isEmpty();
  }

  @Test
  void aPostedVersionIsNoLongerDue() throws Exception {
    save(order("o-1", 1200));
    claim("node-a");
    clock.advance(700);
    await(orders().posted("o-1", 1));
    StoredOrder posted = get("o-1");
    assertThat(posted).isEqualTo(new StoredOrder("o-1", order("o-1", 1200), 1, 1, 0, T0, T0, 0, null));
    assertThat(posted.status()).isEqualTo("posted");
    clock.advance(LEASE);
    assertThat(claim("node-a")).isEmpty();
  }

  @Test
  void aFailedPostIsRetriedAfterItsDelay() throws Exception {
    save(order("o-1", 1200));
    claim("node-a");
    clock.advance(100);
    await(orders().retryLater("o-1", 1, 1, 5_000, "HTTP 500: down"));
    assertThat(get("o-1")).isEqualTo(new StoredOrder("o-1", order("o-1", 1200), 1, 0, 1, T0, T0, T0 + 5_100,
      "HTTP 500: down"));
    clock.advance(4_999);
    assertThat(claim("node-a")).isEmpty();
    clock.advance(1);
    List<StoredOrder> again = claim("node-b");
    assertThat(keys(again)).containsExactly("o-1:1");
    assertThat(again.get(0).attempts()).isEqualTo(1);
    await(orders().posted("o-1", 1));
    assertThat(get("o-1").lastError()).as("the version went through in the end").isNull();
    assertThat(get("o-1").attempts()).isEqualTo(1);
  }

  @Test
  void anAbandonedVersionIsNoLongerDueUntilTheOrderChanges() throws Exception {
    save(order("o-1", 1200));
    claim("node-a");
    await(orders().abandon("o-1", 1, "HTTP 400: unknown sku"));
    StoredOrder abandoned = get("o-1");
    assertThat(abandoned).isEqualTo(new StoredOrder("o-1", order("o-1", 1200), 1, 0, 0, T0, T0, 0,
      "HTTP 400: unknown sku"));
    assertThat(abandoned.status()).isEqualTo("abandoned");
    clock.advance(LEASE);
    assertThat(claim("node-a")).isEmpty();
    await(orders().retryLater("o-1", 1, 2, 10, "late report"));
    assertThat(get("o-1")).as("a late retry does not revive it").isEqualTo(abandoned);
    save(order("o-1", 1300));
    assertThat(keys(claim("node-a"))).containsExactly("o-1:2");
    assertThat(get("o-1").lastError()).isNull();
  }

  @Test
  void aVersionSavedDuringAPostWaitsForItsOutcomeAndStaysDue() throws Exception {
    save(order("o-1", 1200));
    claim("node-a");
    clock.advance(1_000);
    StoredOrder v2 = save(order("o-1", 1500));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.nextAttemptAt()).as("after the lease of version 1").isEqualTo(T0 + LEASE);
    assertThat(claim("node-b")).as("never two versions at once").isEmpty();
    clock.advance(1_000);
    await(orders().posted("o-1", 1));
    assertThat(get("o-1")).isEqualTo(new StoredOrder("o-1", order("o-1", 1500), 2, 1, 0, T0, T0 + 1_000, T0 + 2_000,
      null));
    List<StoredOrder> claimed = claim("node-b");
    assertThat(keys(claimed)).containsExactly("o-1:2");
    await(orders().retryLater("o-1", 1, 5, 60_000, "stale"));
    await(orders().abandon("o-1", 1, "stale"));
    assertThat(get("o-1")).as("reports about version 1 leave version 2 alone").isEqualTo(claimed.get(0));
  }

  @Test
  void aVersionSavedDuringAPostIsDueWhenTheLeaseEnds() throws Exception {
    save(order("o-1", 1200));
    claim("node-a");
    save(order("o-1", 1500));
    clock.advance(LEASE);
    assertThat(keys(claim("node-b"))).containsExactly("o-1:2");
  }

  @Test
  void aFailedVersionReplacedSinceLeavesTheNewOneDue() throws Exception {
    save(order("o-1", 1200));
    claim("node-a");
    save(order("o-1", 1500));
    await(orders().retryLater("o-1", 1, 1, 60_000, "HTTP 503"));
    assertThat(keys(claim("node-a"))).as("the new version does not wait for the old one's retry")
      .containsExactly("o-1:2");
    assertThat(get("o-1").attempts()).isZero();
  }

  @Test
  void outcomesOfUnknownOrdersChangeNothing() throws Exception {
    await(orders().posted("ghost", 1));
    await(orders().retryLater("ghost", 1, 1, 10, "x"));
    await(orders().abandon("ghost", 1, "x"));
    assertThat(await(orders().get("ghost"))).isEmpty();
    assertThat(await(orders().recent(10))).isEmpty();
  }

  @Test
  void recentListsTheNewestOrdersFirst() throws Exception {
    save(order("o-1", 1));
    clock.advance(1);
    save(order("o-2", 2));
    clock.advance(1);
    save(order("o-3", 3));
    clock.advance(1);
    save(order("o-1", 10));
    List<StoredOrder> recent = await(orders().recent(10));
    assertThat(recent).extracting(StoredOrder::id).as("by when they were created").containsExactly("o-3", "o-2", "o-1");
    assertThat(recent.get(2)).isEqualTo(get("o-1"));
    assertThat(await(orders().recent(2))).extracting(StoredOrder::id).containsExactly("o-3", "o-2");
    assertThat(await(orders().recent(0))).isEmpty();
  }

  @Test
  void onlyTheNewestOrdersAreKept() throws Exception {
    OrderStore small = bounded(3, DAY_MS);
    for (int i = 1; i <= 5; i++) {
      await(small.save(order("o-" + i, i)));
      clock.advance(1);
    }
    assertThat(await(small.recent(10))).extracting(StoredOrder::id).containsExactly("o-5", "o-4", "o-3");
    assertThat(await(small.get("o-2"))).isEmpty();
    assertThat(keys(await(small.claimDue(10, "node-a", LEASE)))).as("trimmed orders are not posted either")
      .containsExactly("o-3:1", "o-4:1", "o-5:1");
  }

  @Test
  void ordersAreKeptForTheirMaximumAge() throws Exception {
    OrderStore small = bounded(100, DAY_MS);
    await(small.save(order("old", 1)));
    clock.advance(DAY_MS);
    await(small.save(order("new", 2)));
    assertThat(await(small.recent(10))).extracting(StoredOrder::id).containsExactly("new", "old");
    clock.advance(1);
    await(small.save(order("newer", 3)));
    assertThat(await(small.recent(10))).extracting(StoredOrder::id).containsExactly("newer", "new");
    assertThat(await(small.get("old"))).isEmpty();
    StoredOrder again = await(small.save(order("new", 2)));
    assertThat(again.version()).as("the same JSON, still kept").isEqualTo(1);
    clock.advance(DAY_MS);
    StoredOrder afresh = await(small.save(order("new", 2)));
    assertThat(afresh).as("an order past its age is stored anew")
      .isEqualTo(new StoredOrder("new", order("new", 2), 1, 0, 0, clock.getAsLong(), clock.getAsLong(),
        clock.getAsLong(), null));
  }
}
