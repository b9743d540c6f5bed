package ai.mirt.agent;

import ai.mirt.common.MirtConfig;
import ai.mirt.common.WorkHours;
import ai.mirt.state.FollowUpStore;
import ai.mirt.state.Stores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A follow-up store that does not answer costs reminders, never a reply, and shows in the metrics. */
class FollowUpsFailureTest {

  /** A store whose every step fails, as a Redis that is down. */
  private static final class DownStore implements FollowUpStore {
    private static <T> Future<T> down() {
      return Future.failedFuture("connection refused");
    }

    @Override
    public Future<Void> schedule(String subscriberId, long dueAt) {
      return down();
    }

    @Override
    public Future<Void> cancel(String subscriberId) {
      return down();
    }

    @Override
    public Future<Optional<Long>> scheduled(String subscriberId) {
      return down();
    }

    @Override
    public Future<List<FollowUp>> claimDue(int limit, long leaseMs) {
      return down();
    }

    @Override
    public Future<Boolean> reschedule(FollowUp claimed, long dueAt) {
      return down();
    }

    @Override
    public Future<Boolean> drop(FollowUp claimed) {
      return down();
    }
  }

  private Vertx vertx;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private FollowUps followUps;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    MirtConfig cfg = MirtConfig.fromJson(new JsonObject().put("agent.catalog", "../conf/catalog.json")
      .put("agent.shop", "../conf/shop.yaml").put("agent.prompts", "../conf/prompts.yaml"));
    Stores stores = Stores.memory(cfg);
    followUps = new FollowUps(vertx, stores.turns(), stores.conversations(), stores.controls(), new DownStore(),
      new Attendance(stores.controls(), WorkHours.always(), System::currentTimeMillis), Assistant.create(cfg.agent()),
      cfg, registry, System::currentTimeMillis);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private double count(String outcome) {
    var c = registry.find("mirt.agent.followups").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void schedulingThatFailsLetsTheReplyGoAndIsCounted() throws Exception {
    Conversation browsing = Conversation.empty().toBuilder().stage(Stage.STATE_1_DISCOVERY).build();
    Future<Void> scheduled = followUps.beforeHandoff("1", browsing, true);
    Future<Void> cancelled = followUps.beforeHandoff("1", null, false);
    scheduled.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    cancelled.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(scheduled.succeeded()).isTrue();
    assertThat(cancelled.succeeded()).isTrue();
    assertThat(count("store_failed")).isEqualTo(2);
  }

  @Test
  void aSweepThatFailsIsCountedAndTheNextOneRunsAgain() throws Exception {
    followUps.sweep();
    ai.mirt.testkit.Poll.await(() -> count("sweep_failed") >= 1 ? true : null, Duration.ofSeconds(10), "a sweep");
    followUps.sweep();
    ai.mirt.testkit.Poll.await(() -> count("sweep_failed") >= 2 ? true : null, Duration.ofSeconds(10),
      "a second sweep, not held back by the first");
    assertThat(count("sweep_failed")).isEqualTo(2);
  }
}
