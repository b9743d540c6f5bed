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
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A small HTTP server standing in for an external service in tests. It records every request and answers
 * from a queue of scripted {@link Fault}s before falling back to the service's normal answer.
 */
public abstract class FakeServer {

  /** A scripted answer: status and body, optionally after a delay; {@code hangs} never answers at all. */
  public record Fault(int status, String body, long delayMs, boolean hangs) {
    public static Fault status(int status, String body) {
      return new Fault(status, body, 0, false);
    }

    public static Fault delay(long delayMs) {
      return new Fault(0, null, delayMs, false);
    }

    public static Fault hang() {
      return new Fault(0, null, 0, true);
    }
  }

  protected final Vertx vertx;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private HttpServer server;

  protected FakeServer(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Integer> start() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(0, "127.0.0.1").map(HttpServer::actualPort);
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int port() {
    return server.actualPort();
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
      Fault fault;
      synchronized (this) {
        fault = faults.poll();
      }
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
        wait.future().onComplete(v -> req.response().setStatusCode(fault.status())
          .putHeader("content-type", "application/json")
          .end(fault.body() == null ? "" : fault.body()));
      }
    });
  }

  /** The service's normal answer to a recorded request. */
  protected abstract void answer(HttpServerRequest req, RecordedRequest recorded);
}
