package ai.mirt.state;

import ai.mirt.state.FollowUpStore.FollowUp;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How every {@link FollowUpStore} schedules one follow-up per subscriber and hands each out once, under a lease. */
abstract class FollowUpStoreContract extends StoreContract {

  FollowUpStore followUps() {
    return stores.followUps();
  }

  Optional<Long> scheduled(String sub) throws InterruptedException {
    return await(followUps().scheduled(sub));
  }

  List<FollowUp> claimFollowUps(int limit) throws InterruptedException {
    return await(followUps().claimDue(limit, LEASE));
  }

  @Test
  void aScheduleReplacesTheOneThereWasAndACancelForgetsIt() throws Exception {
    assertThat(scheduled("7")).isEmpty();
    await(followUps().schedule("7", T0 + 1_000));
    assertThat(scheduled("7")).contains(T0 + 1_000);
    await(followUps().schedule("7", T0 + 500));
    assertThat(scheduled("7")).contains(T0 + 500);
    await(followUps().schedule("8", T0 + 2_000));
    await(followUps().cancel("7"));
    assertThat(scheduled("7")).isEmpty();
    assertThat(scheduled("8")).contains(T0 + 2_000);
    await(followUps().cancel("7"));
    clock.advance(2_000);
    assertThat(claimFollowUps(10)).extracting(FollowUp::subscriberId).containsExactly("8");
  }

  @Test
  void dueFollowUpsAreClaimedEarliestFirstUpToTheLimit() throws Exception {
    // Subscriber ids in the opposite order of their due times, so only the due time can explain the order.
    await(followUps().schedule("1", T0 + 300));
    await(followUps().schedule("2", T0 + 200));
    await(followUps().schedule("3", T0 + 100));
    await(followUps().schedule("4", T0 + 301));
    clock.advance(299);
    assertThat(claimFollowUps(0)).isEmpty();
    long token = T0 + 299 + LEASE;
    assertThat(claimFollowUps(10)).containsExactly(new FollowUp("3", T0 + 100, token),
      new FollowUp("2", T0 + 200, token));
    clock.advance(1);
    await(followUps().schedule("0", T0 + 300));
    assertThat(claimFollowUps(1)).as("the equally due by subscriber id")
      .containsExactly(new FollowUp("0", T0 + 300, T0 + 300 + LEASE));
    assertThat(claimFollowUps(10)).containsExactly(new FollowUp("1", T0 + 300, T0 + 300 + LEASE));
    assertThat(claimFollowUps(10)).as("4 is not due yet").isEmpty();
    assertThat(scheduled("4")).contains(T0 + 301);
  }

  @Test
  void aClaimedFollowUpIsDueAgainWhenItsLeaseEnds() throws Exception {
    await(followUps().schedule("7", T0));
    FollowUp first = claimFollowUps(10).get(0);
    assertThat(first).isEqualTo(new FollowUp("7", T0, T0 + LEASE));
    assertThat(scheduled("7")).as("due again when the lease ends").contains(T0 + LEASE);
    assertThat(claimFollowUps(10)).isEmpty();
    clock.advance(LEASE - 1);
    assertThat(claimFollowUps(10)).isEmpty();
    clock.advance(1);
    FollowUp second = claimFollowUps(10).get(0);
    assertThat(second).isEqualTo(new FollowUp("7", T0 + LEASE, T0 + 2 * LEASE));

    assertThat(await(followUps().reschedule(first, T0 + 5 * LEASE))).as("the first claim was replaced").isFalse();
    assertThat(await(followUps().drop(first))).isFalse();
    assertThat(scheduled("7")).contains(T0 + 2 * LEASE);
    assertThat(await(followUps().drop(second))).isTrue();
    assertThat(scheduled("7")).isEmpty();
    assertThat(await(followUps().drop(second))).isFalse();
    assertThat(await(followUps().reschedule(second, T0))).as("a dropped follow-up is not brought back").isFalse();
    assertThat(scheduled("7")).isEmpty();
  }

  @Test
  void aRescheduledFollowUpIsDueAtItsNewTime() throws Exception {
    await(followUps().schedule("7", T0));
    FollowUp claimed = claimFollowUps(10).get(0);
    assertThat(await(followUps().reschedule(claimed, T0 + 5_000))).isTrue();
    assertThat(scheduled("7")).contains(T0 + 5_000);
    assertThat(await(followUps().reschedule(claimed, T0 + 9_000))).as("its claim is settled").isFalse();
    assertThat(await(followUps().drop(claimed))).isFalse();
    assertThat(scheduled("7")).contains(T0 + 5_000);
    clock.advance(4_999);
    assertThat(claimFollowUps(10)).isEmpty();
    clock.advance(1);
    assertThat(claimFollowUps(10)).containsExactly(new FollowUp("7", T0 + 5_000, T0 + 5_000 + LEASE));
  }

  @Test
  void aScheduleOrCancelReplacesAClaim() throws Exception {
    await(followUps().schedule("7", T0));
    await(followUps().schedule("8", T0));
    List<FollowUp> claimed = claimFollowUps(10);
    assertThat(claimed).extracting(FollowUp::subscriberId).containsExactly("7", "8");
    await(followUps().schedule("7", T0 + 100));
    await(followUps().cancel("8"));
    assertThat(await(followUps().reschedule(claimed.get(0), T0 + 9_000))).isFalse();
    assertThat(await(followUps().drop(claimed.get(0)))).isFalse();
    assertThat(await(followUps().reschedule(claimed.get(1), T0 + 9_000))).isFalse();
    assertThat(scheduled("7")).contains(T0 + 100);
    assertThat(scheduled("8")).as("a settle of a lost claim does not bring it back").isEmpty();
  }

  @Test
  void eachSubscribersFollowUpIsItsOwn() throws Exception {
    await(followUps().schedule("7", T0));
    await(followUps().schedule("8", T0));
    List<FollowUp> claimed = claimFollowUps(10);
    FollowUp of7 = claimed.get(0);
    FollowUp of8AsIf7 = new FollowUp("8", of7.dueAt(), of7.token());
    assertThat(await(followUps().drop(of7))).isTrue();
    assertThat(scheduled("8")).contains(T0 + LEASE);
    assertThat(await(followUps().reschedule(of8AsIf7, T0 + 1))).as("same token, its own subscriber").isTrue();
    assertThat(scheduled("8")).contains(T0 + 1);
  }
}
