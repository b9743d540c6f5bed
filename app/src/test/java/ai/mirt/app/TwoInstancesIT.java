package ai.mirt.app;

import ai.mirt.testkit.FakeManyChat;
import ai.mirt.testkit.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Mirt processes on one Redis and prefix behave as one Mirt: the messages of a burst that reach different
 * instances make one reply, every burst of a crowd spread over both is answered exactly once, one subscriber's turns
 * run one after the other, so its replies arrive in the order of its bursts, and neither instance takes over work the
 * other is still doing (a turn with the agent, a reply waiting for ManyChat): leases are renewed while work goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesIT {

  static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);
  static final int CROWD = 200;
  static final int CONCURRENCY = 16;
  static final int LEASE_SECONDS = 2;
  static final int MANYCHAT_TIMEOUT_MS = 5_000;

  private Testbed bed;
  private Downstreams downstreams;
  private MirtProcess a;
  private MirtProcess b;

  @BeforeAll
  void startTwoInstances() throws Exception {
    bed = new Testbed();
    downstreams = bed.downstreams;
    Map<String, String> env = bed.env();
    // A crowd posting over two instances on two cores can be slow to acknowledge: a burst's three messages must
    // still fall within one quiet window.
    env.put("MANYCHAT_DEBOUNCE_SECONDS", "2");
    env.put("MANYCHAT_DEBOUNCE_MAX_WAIT_SECONDS", "6");
    env.put("MIRT_DEBOUNCE_LEASE_SECONDS", String.valueOf(LEASE_SECONDS));
    env.put("MIRT_MANYCHAT_TIMEOUT_MS", String.valueOf(MANYCHAT_TIMEOUT_MS));
    CompletableFuture<MirtProcess> first = CompletableFuture.supplyAsync(() -> start("two-a", env));
    CompletableFuture<MirtProcess> second = CompletableFuture.supplyAsync(() -> start("two-b", env));
    a = first.get(90, TimeUnit.SECONDS);
    b = second.get(90, TimeUnit.SECONDS);
  }

  private MirtProcess start(String name, Map<String, String> env) {
    try {
      return bed.start(name, env);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A failed test must not leave a reply held at ManyChat for the next one; every call must be valid. */
  @AfterEach
  void answerHeldCallsAndCheckThem() {
    downstreams.releaseManyChat();
    downstreams.assertValidCalls();
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void burstWhoseMessagesAlternateBetweenInstancesGetsOneReply() throws Exception {
    long s = 2801;
    Bursts.accept(s, a, b);
    downstreams.awaitReplies(REPLY_TIMEOUT, a, s);
    a.awaitIdle(REPLY_TIMEOUT);

    downstreams.assertOneReply(s, Bursts.echo(s), a);
    assertThat(downstreams.modelCalls(Bursts.tag(s))).hasSize(1);
  }

  @Test
  void crowdSpreadOverBothInstancesGetsExactlyOneReplyPerBurst() throws Exception {
    long first = 3000;
    long[] crowd = LongStream.range(first, first + CROWD).toArray();
    ExecutorService posters = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      List<Future<?>> posted = new ArrayList<>();
      for (long s : crowd) {
        MirtProcess[] route = s % 2 == 0 ? new MirtProcess[] {a, b} : new MirtProcess[] {b, a};
        posted.add(posters.submit(() -> Bursts.accept(s, route)));
      }
      for (Future<?> f : posted) {
        try {
          f.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw new AssertionError("posting the crowd failed", e.getCause());
        }
      }
    } finally {
      posters.shutdownNow();
    }
    downstreams.awaitReplies(Duration.ofSeconds(120), a, crowd);
    a.awaitIdle(REPLY_TIMEOUT);

    List<RecordedRequest> replies = downstreams.sendContents().stream()
      .filter(r -> r.json().getLong("subscriber_id") >= first && r.json().getLong("subscriber_id") < first + CROWD)
      .toList();
    assertThat(replies).as("one reply per burst, " + CROWD + " bursts").hasSize(CROWD);
    for (long s : crowd) {
      downstreams.assertOneReply(s, Bursts.echo(s), a);
    }
    List<Long> askedMoreThanOnce = LongStream.of(crowd).filter(s -> downstreams.modelCalls(Bursts.tag(s)).size() != 1)
      .boxed().toList();
    assertThat(askedMoreThanOnce).as("bursts whose turn was run more than once although the instance running it was "
      + "alive (its lease must be renewed while it works)").isEmpty();
  }

  @Test
  void repliesOfOneSubscriberArriveInTheOrderOfItsBursts() throws Exception {
    long x = 2901;
    long later = 2902;
    // The first reply reaches ManyChat and gets no answer until the test says so: turn 1 stays in flight.
    downstreams.holdManyChat(r -> sendContentTo(r, x));
    Bursts.accept(x, "b1 ", a, b);
    downstreams.awaitReplies(REPLY_TIMEOUT, a, x);
    Bursts.accept(x, "b2 ", b, a);
    // Posted after x's second burst, with the same quiet window: once it is answered, x's second burst has long
    // been due.
    a.accept(later, Bursts.text(later, 1));
    downstreams.awaitReplies(REPLY_TIMEOUT, a, later);

    assertThat(downstreams.modelCalls(Bursts.text(x, "b2 ", 1)))
      .as("x's second turn must wait while its first reply is being delivered").isEmpty();
    long released = System.currentTimeMillis();
    downstreams.releaseManyChat();
    MirtProcess.await(() -> secondBurstReplies(x).isEmpty() ? null : Boolean.TRUE, REPLY_TIMEOUT,
      () -> "no reply to " + x + "'s second burst; ManyChat received:\n" + downstreams.manychatLog() + "\n"
        + a.tail(40) + "\n" + b.tail(40));
    a.awaitIdle(REPLY_TIMEOUT);

    List<RecordedRequest> replies = downstreams.sendContents(x);
    List<RecordedRequest> second = secondBurstReplies(x);
    assertThat(second).as("replies to the second burst").hasSize(1);
    assertThat(Downstreams.texts(second.get(0))).contains(Bursts.echo(x, "b2 ")).doesNotContain("b1 ");
    assertThat(replies).as("every reply to the first burst comes before the reply to the second")
      .endsWith(second.get(0))
      .allSatisfy(r -> assertThat(Downstreams.texts(r)).containsAnyOf(Bursts.echo(x, "b1 "), Bursts.echo(x, "b2 ")));
    assertThat(Downstreams.texts(replies.get(0))).contains(Bursts.echo(x, "b1 "));
    assertThat(second.get(0).receivedAt()).isGreaterThanOrEqualTo(released);
    assertThat(downstreams.modelCalls(Bursts.text(x, "b2 ", 1))).hasSize(1)
      .allSatisfy(r -> assertThat(r.receivedAt()).as("second turn starts after the first completed")
        .isGreaterThanOrEqualTo(released));
    downstreams.assertOneReply(later, "ECHO[" + Bursts.text(later, 1) + "]", a);
  }

  @Test
  void replyWhoseManyChatCallOutlastsTheLeaseIsNotTakenOverWhileItsSenderLives() throws Exception {
    long s = 2951;
    AtomicBoolean first = new AtomicBoolean(true);
    // ManyChat never answers the first call: only the sender's own timeout may send it again, not a takeover.
    downstreams.holdManyChat(r -> sendContentTo(r, s) && first.getAndSet(false));
    Bursts.accept(s, a, b);
    MirtProcess.await(() -> downstreams.sendContents(s).size() >= 2 ? Boolean.TRUE : null, REPLY_TIMEOUT,
      () -> "the unanswered call to " + s + " was never sent again; ManyChat received:\n"
        + downstreams.manychatLog());
    a.awaitIdle(REPLY_TIMEOUT);

    List<RecordedRequest> replies = downstreams.sendContents(s);
    assertThat(replies).as("the unanswered call and its one retry").hasSize(2)
      .allSatisfy(r -> assertThat(Downstreams.texts(r)).contains(Bursts.echo(s)));
    assertThat(replies.get(1).receivedAt() - replies.get(0).receivedAt())
      .as("sent again after the sender's ManyChat timeout (" + MANYCHAT_TIMEOUT_MS + " ms), not when the lease ("
        + LEASE_SECONDS + " s) of a sender still waiting for ManyChat ran out; ManyChat received:\n"
        + downstreams.manychatLog() + "\n" + a.tail(30) + "\n" + b.tail(30))
      .isGreaterThanOrEqualTo(MANYCHAT_TIMEOUT_MS - 100);
    assertThat(downstreams.modelCalls(Bursts.tag(s))).hasSize(1);
  }

  private static boolean sendContentTo(RecordedRequest r, long subscriber) {
    return r.path().equals(FakeManyChat.SEND_CONTENT) && r.json().getLong("subscriber_id") == subscriber;
  }

  private List<RecordedRequest> secondBurstReplies(long x) {
    return downstreams.sendContents(x).stream().filter(r -> Downstreams.texts(r).contains("b2 ")).toList();
  }
}
