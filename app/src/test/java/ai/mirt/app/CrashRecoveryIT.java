package ai.mirt.app;

import ai.mirt.testkit.FakeManyChat;
import ai.mirt.testkit.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Mirt process killed with SIGKILL loses nothing that it acknowledged: whichever moment the kill hits (a burst in
 * its quiet window, a turn with the model, a reply being pushed), an instance started afterwards on the same Redis
 * and prefix answers every accepted burst exactly once, except that a reply ManyChat received just before the kill
 * may arrive twice. A reply is stored before it is pushed, so a kill during the push never costs a second model call.
 */
class CrashRecoveryIT {

  static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

  private Testbed bed;
  private Downstreams downstreams;

  @BeforeEach
  void setUp() throws Exception {
    bed = new Testbed();
    downstreams = bed.downstreams;
  }

  @AfterEach
  void tearDown() throws Exception {
    bed.close();
  }

  @Test
  void burstsInTheirQuietWindowAtSigkillAreAnsweredOnceAfterRestart() throws Exception {
    Map<String, String> env = bed.env();
    // Long enough that the kill surely lands before any burst is due.
    env.put("MANYCHAT_DEBOUNCE_SECONDS", "4");
    env.put("MANYCHAT_DEBOUNCE_MAX_WAIT_SECONDS", "8");
    MirtProcess mirt = start("crash-quiet", env);
    long[] subscribers = {1101, 1102, 1103};
    for (int i = 1; i <= 3; i++) {
      for (long s : subscribers) {
        mirt.accept(s, Bursts.text(s, i));
      }
    }
    mirt.kill();
    assertThat(downstreams.modelCalls()).as("the kill came inside the quiet window").isEmpty();

    mirt.restart();
    downstreams.awaitReplies(REPLY_TIMEOUT, mirt, subscribers);
    mirt.awaitIdle(REPLY_TIMEOUT);

    for (long s : subscribers) {
      downstreams.assertOneReply(s, Bursts.echo(s), mirt);
      assertThat(downstreams.modelCalls(Bursts.tag(s))).as("model calls for " + s).hasSize(1);
    }
    downstreams.assertValidCalls();
  }

  @Test
  void turnsWithTheModelAtSigkillAreAskedAgainOnlyIfTheModelHadNotAnswered() throws Exception {
    MirtProcess mirt = start("crash-model", bed.env());
    long answered = 1201;
    Bursts.accept(answered, mirt);
    downstreams.awaitReplies(REPLY_TIMEOUT, mirt, answered);
    mirt.awaitIdle(REPLY_TIMEOUT);

    long[] held = {1202, 1203};
    downstreams.holdModel(r -> held(Downstreams.turnText(r)));
    for (long s : held) {
      Bursts.accept(s, mirt);
    }
    MirtProcess.await(() -> downstreams.modelCalls().stream().anyMatch(r -> held(Downstreams.turnText(r)))
        ? Boolean.TRUE : null, REPLY_TIMEOUT, () -> "the model was never asked about a held turn\n" + mirt.tail(60));
    mirt.kill();
    int callsBeforeKill = downstreams.modelCalls().size();
    assertThat(downstreams.sendContents()).as("only the first turn was answered before the kill").hasSize(1);
    downstreams.dropHolds();

    mirt.restart();
    downstreams.awaitReplies(REPLY_TIMEOUT, mirt, answered, held[0], held[1]);
    mirt.awaitIdle(REPLY_TIMEOUT);

    List<RecordedRequest> all = downstreams.modelCalls();
    List<RecordedRequest> afterKill = all.subList(callsBeforeKill, all.size());
    downstreams.assertOneReply(answered, Bursts.echo(answered), mirt);
    assertThat(downstreams.modelCalls(Bursts.tag(answered))).as("the answered turn is not asked again").hasSize(1);
    for (long s : held) {
      downstreams.assertOneReply(s, Bursts.echo(s), mirt);
      assertThat(afterKill.stream().filter(r -> Downstreams.turnText(r).contains(Bursts.tag(s))))
        .as("model calls after the restart for " + s).hasSize(1);
    }
    downstreams.assertValidCalls();
  }

  @Test
  void repliesBeingPushedAtSigkillAreDeliveredByAnotherInstanceWithoutAskingTheModelAgain() throws Exception {
    Map<String, String> env = bed.env();
    MirtProcess first = start("crash-push-1", env);
    long delivered = 1301;
    Bursts.accept(delivered, first);
    downstreams.awaitReplies(REPLY_TIMEOUT, first, delivered);
    first.awaitIdle(REPLY_TIMEOUT);

    // ManyChat receives every further sendContent and never answers it: Mirt cannot know it was accepted.
    downstreams.holdManyChat(r -> r.path().equals(FakeManyChat.SEND_CONTENT));
    long pushing = 1302;
    Bursts.accept(pushing, first);
    downstreams.awaitReplies(REPLY_TIMEOUT, first, pushing);
    // Its burst is somewhere in the pipeline at the kill: buffered, with the model or being pushed.
    long late = 1303;
    Bursts.accept(late, first);
    first.kill();
    int modelCallsBeforeKill = downstreams.modelCalls().size();
    Set<Long> pushedBeforeKill = downstreams.sendContents().stream()
      .map(r -> r.json().getLong("subscriber_id")).collect(Collectors.toSet());
    downstreams.dropHolds();

    MirtProcess second = start("crash-push-2", env);
    downstreams.awaitReplies(REPLY_TIMEOUT, second, delivered, pushing, late);
    second.awaitIdle(REPLY_TIMEOUT);

    List<RecordedRequest> all = downstreams.modelCalls();
    List<RecordedRequest> afterKill = all.subList(modelCallsBeforeKill, all.size());
    downstreams.assertOneReply(delivered, Bursts.echo(delivered), second);
    assertThat(downstreams.sendContents(pushing)).as("the reply being pushed at the kill")
      .isNotEmpty().allSatisfy(r -> assertThat(Downstreams.texts(r)).contains(Bursts.echo(pushing)));
    assertThat(downstreams.modelCalls(Bursts.tag(pushing))).as("the stored reply is pushed again, not recomputed")
      .hasSize(1);
    if (pushedBeforeKill.contains(late)) {
      assertThat(downstreams.sendContents(late))
        .allSatisfy(r -> assertThat(Downstreams.texts(r)).contains(Bursts.echo(late)));
      assertThat(afterKill.stream().filter(r -> Downstreams.turnText(r).contains(Bursts.tag(late)))).isEmpty();
    } else {
      downstreams.assertOneReply(late, Bursts.echo(late), second);
    }
    downstreams.assertValidCalls();
  }

  private MirtProcess start(String name, Map<String, String> env) throws Exception {
    return bed.start(name, env);
  }

  private static boolean held(String turnText) {
    return turnText.contains(Bursts.tag(1202)) || turnText.contains(Bursts.tag(1203));
  }
}
