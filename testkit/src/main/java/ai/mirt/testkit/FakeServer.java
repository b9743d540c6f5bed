package ai.mirt.testkit;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A small HTTP server standing in for an external service in tests. It records every request and answers
 * from its standing rules ({@link #when}), then from a queue of scripted {@link Fault}s, before falling back to the
 * service's normal answer. It can be stopped (connections are refused) and started again on the same port.
 */
public abstract class FakeServer {

  /**
   * A scripted answer: status, body and extra response headers, optionally after a delay; {@code hangs} never
   * answers at all.
   */
  public record Fault(int status, String body, long delayMs, boolean hangs, Map<String, String> headers) {
    public Fault {
      headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public Fault(int status, String body, long delayMs, boolean hangs) {
      this(status, body, delayMs, hangs, Map.of());
    }

    public static Fault status(int status, String body) {
      return new Fault(status, body, 0, false);
    }

    /** The same answer with one more response header (e.g. {@code Retry-After}). */
    public Fault withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Fault(status, body, delayMs, hangs, more);
    }

    public static Fault delay(long delayMs) {
      return new Fault(0, null, delayMs, false);
    }

    public static Fault hang() {
      return new Fault(0, null, 0, true);
    }
  }

  /** How a recorded request was answered: the status and when the answer's headers went out. */
  public record Answer(int status, long at) {
  }

  private record Rule(Predicate<RecordedRequest> match, Fault fault) {
  }

  protected final Vertx vertx;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Map<RecordedRequest, Answer> answers = Collections.synchronizedMap(new IdentityHashMap<>());
  private HttpServer server;
  private int port;

  protected FakeServer(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Integer> start() {
    return start(0);
  }

  /** Listens on the given port (0: any free one); after {@link #stop()} the same port can be taken again. */
  public Future<Integer> start(int port) {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(port, "127.0.0.1").map(s -> {
      this.port = s.actualPort();
      return this.port;
    });
  }

  /** Closes the server: until it is started again, connections to its port are refused. */
  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port it listens on, or listened on before it was stopped. */
  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** Answers the next {@code times} requests with the fault instead of the normal answer. */
  public synchronized FakeServer inject(Fault fault, int times) {
    for (int i = 0; i < times; i++) {
      faults.add(fault);
    }
    return this;
  }

  public synchronized FakeServer inject(Fault fault) {
    return inject(fault, 1);
  }

  /**
   * Answers every request that matches with the fault, until {@link #clearRules()}; standing rules come before the
   * queue of {@link #inject}ed faults, which they leave untouched.
   */
  public FakeServer when(Predicate<RecordedRequest> match, Fault fault) {
    rules.add(new Rule(match, fault));
    return this;
  }

  public FakeServer clearRules() {
    rules.clear();
    return this;
  }

  /** How the request was answered; empty while it has not been (or never is, for a hanging fault). */
  public Optional<Answer> answer(RecordedRequest request) {
    return Optional.ofNullable(answers.get(request));
  }

  public List<RecordedRequest> requests() {
    return new ArrayList<>(requests);
  }

  public List<RecordedRequest> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Completes when at least {@code count} requests matched, fails after the timeout. */
  public Future<List<RecordedRequest>> awaitRequests(Predicate<RecordedRequest> match, int count, Duration timeout) {
    return Poll.until(vertx, () -> {
      List<RecordedRequest> found = requests.stream().filter(match).toList();
      return found.size() >= count ? found : null;
    }, timeout, "expected " + count + " matching requests, got " + requests.stream().filter(match).count()
      + " of " + requests.size());
  }

  public Future<List<RecordedRequest>> awaitRequests(String path, int count, Duration timeout) {
    return awaitRequests(r -> r.path().equals(path), count, timeout);
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
      RecordedRequest recorded = new RecordedRequest(req.method().name(), req.path(), req.query(), headers,
        buf.toString(), System.currentTimeMillis());
      requests.add(recorded);
      // Taken just before the headers go out, so no client can have read the answer earlier than this time.
      req.response().headersEndHandler(v -> answers.put(recorded,
        new Answer(req.response().getStatusCode(), System.currentTimeMillis())));
      Fault fault = faultFor(recorded);
      if (fault == null) {
        answer(req, recorded);
      } else if (fault.hangs()) {
        // Never answer: the client's timeout must fire.
      } else if (fault.status() == 0) {
        vertx.setTimer(Math.max(1, fault.delayMs()), id -> answer(req, recorded));
      } else {
        Promise<Void> wait = Promise.promise();
        if (fault.delayMs() > 0) {
          vertx.setTimer(fault.delayMs(), id -> wait.complete());
        } else {
          wait.complete();
        }
        wait.future().onComplete(v -> {
          req.response().setStatusCode(fault.status()).putHeader("content-type", "application/json");
          fault.headers().forEach(req.response()::putHeader);
          req.response().end(fault.body() == null ? "" : fault.body());
        });
      }
    });
  }

  /** The first standing rule that matches, else the next queued fault, else none. */
  private Fault faultFor(RecordedRequest recorded) {
    for (Rule r : rules) {
      if (r.match().test(recorded)) {
        return r.fault();
      }
    }
    synchronized (this) {
      return faults.poll();
    }
  }

  /** The service's normal answer to a recorded request. */
  protected abstract void answer(HttpServerRequest req, RecordedRequest recorded);
}
