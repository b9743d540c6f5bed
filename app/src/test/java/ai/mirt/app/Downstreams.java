package ai.mirt.app;

import ai.mirt.testkit.FakeManyChat;
import ai.mirt.testkit.FakeOpenAi;
import ai.mirt.testkit.ManyChatValidator;
import ai.mirt.testkit.RecordedRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ManyChat and the model as the Mirt processes of a test see them: a fake ManyChat and an echoing fake model in this
 * JVM on 127.0.0.1, each of which can hold chosen requests unanswered (received and recorded, no answer) to freeze a
 * Mirt process in the middle of a call. The echo model makes every reply show which customer texts its turn held.
 */
final class Downstreams implements AutoCloseable {

  static final String MANYCHAT_KEY = "12345:it-page-key";
  private static final ManyChatValidator VALIDATOR = ManyChatValidator.load();

  private final Vertx vertx = Vertx.vertx();
  private final Hold manychatHold = new Hold();
  private final Hold modelHold = new Hold();
  private final FakeManyChat manychat;
  private final FakeOpenAi model;

  Downstreams() throws Exception {
    manychat = new FakeManyChat(vertx, MANYCHAT_KEY) {
      @Override
      protected void answer(HttpServerRequest req, RecordedRequest recorded) {
        if (!manychatHold.park(recorded, () -> super.answer(req, recorded))) {
          super.answer(req, recorded);
        }
      }
    };
    model = new FakeOpenAi(vertx) {
      @Override
      protected void answer(HttpServerRequest req, RecordedRequest recorded) {
        if (!modelHold.park(recorded, () -> super.answer(req, recorded))) {
          super.answer(req, recorded);
        }
      }
    }.answerWith(PipelineTest::echo);
    Future.all(manychat.start(), model.start()).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  String manychatUrl() {
    return manychat.baseUrl();
  }

  String modelV1Url() {
    return model.v1Url();
  }

  /** From now on, ManyChat calls matching {@code which} are recorded and left unanswered. */
  void holdManyChat(Predicate<RecordedRequest> which) {
    manychatHold.hold(which);
  }

  /** From now on, model calls matching {@code which} are recorded and left unanswered. */
  void holdModel(Predicate<RecordedRequest> which) {
    modelHold.hold(which);
  }

  /** Answers the held ManyChat calls now and holds no more. */
  void releaseManyChat() {
    manychatHold.release(true);
  }

  /** Holds no more and forgets the held calls (their caller is gone). */
  void dropHolds() {
    manychatHold.release(false);
    modelHold.release(false);
  }

  /** Every {@code sendContent} call ManyChat received, in arrival order. */
  List<RecordedRequest> sendContents() {
    return manychat.requests(FakeManyChat.SEND_CONTENT);
  }

  /** The {@code sendContent} calls addressed to one subscriber, in arrival order. */
  List<RecordedRequest> sendContents(long subscriber) {
    return sendContents().stream().filter(r -> r.json().getLong("subscriber_id") == subscriber).toList();
  }

  /** Every model call, in arrival order. */
  List<RecordedRequest> modelCalls() {
    return model.requests(FakeOpenAi.COMPLETIONS);
  }

  /** The model calls whose turn (the last user message) contains {@code text}. */
  List<RecordedRequest> modelCalls(String text) {
    return modelCalls().stream().filter(r -> turnText(r).contains(text)).toList();
  }

  /** The turn text a model call asked about: the last user message. */
  static String turnText(RecordedRequest modelCall) {
    return lastUserMessage(modelCall.json());
  }

  /** The last user message of a chat completion request: the turn the model is asked about. */
  static String lastUserMessage(JsonObject chatRequest) {
    return FakeOpenAi.text(FakeOpenAi.lastUserMessage(chatRequest));
  }

  /** The customer-visible text of a {@code sendContent} call: its text messages, one per line. */
  static String texts(RecordedRequest sendContent) {
    return PipelineTest.texts(sendContent);
  }

  /** Waits until every subscriber got at least one {@code sendContent}. */
  void awaitReplies(Duration timeout, MirtProcess forLog, long... subscribers) throws InterruptedException {
    MirtProcess.await(() -> {
      for (long s : subscribers) {
        if (sendContents(s).isEmpty()) {
          return null;
        }
      }
      return Boolean.TRUE;
    }, timeout, () -> "not every subscriber got a reply; ManyChat received:\n" + manychatLog() + "\n"
      + forLog.tail(80));
  }

  /** The subscriber got exactly one {@code sendContent}, and it shows {@code expected}. */
  void assertOneReply(long subscriber, String expected, MirtProcess forLog) {
    List<RecordedRequest> replies = sendContents(subscriber);
    assertThat(replies).as("replies to " + subscriber + "; ManyChat received:\n" + manychatLog() + "\n"
      + forLog.tail(60)).hasSize(1);
    assertThat(texts(replies.get(0))).as("reply to " + subscriber).contains(expected);
  }

  /** What ManyChat received, one line per call, for failure messages. */
  String manychatLog() {
    return manychat.requests().stream()
      .map(r -> r.receivedAt() + " " + r.path() + " " + (r.path().equals(FakeManyChat.SEND_CONTENT)
        ? r.json().getValue("subscriber_id") + " " + texts(r).replace('\n', '|') : r.body()))
      .collect(Collectors.joining("\n"));
  }

  /** Every call Mirt made to ManyChat must be valid against ManyChat's published spec. */
  void assertValidCalls() {
    for (RecordedRequest r : manychat.requests()) {
      VALIDATOR.assertValid(r.path(), r.json());
    }
  }

  @Override
  public void close() throws Exception {
    dropHolds();
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Requests a fake server keeps unanswered while a test wants them to be. */
  private static final class Hold {

    private record Parked(Context context, Runnable answer) {
    }

    private volatile Predicate<RecordedRequest> which = r -> false;
    private final List<Parked> parked = new CopyOnWriteArrayList<>();

    void hold(Predicate<RecordedRequest> which) {
      this.which = which;
    }

    /** Called on the fake server's event loop: keeps the answer for later if the request is to be held. */
    boolean park(RecordedRequest request, Runnable answer) {
      if (!which.test(request)) {
        return false;
      }
      parked.add(new Parked(Vertx.currentContext(), answer));
      return true;
    }

    void release(boolean answer) {
      which = r -> false;
      List<Parked> now = new ArrayList<>(parked);
      parked.clear();
      if (answer) {
        now.forEach(p -> p.context().runOnContext(v -> p.answer().run()));
      }
    }
  }
}
