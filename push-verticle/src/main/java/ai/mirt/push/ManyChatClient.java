package ai.mirt.push;

import ai.mirt.common.MirtConfig;
import ai.mirt.push.CallResult.Outcome;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.http.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * POSTs {@link ManyChatCall}s to ManyChat's Page API through the {@code manychat} circuit breaker. The returned
 * future always succeeds with the {@link CallResult}. The breaker's failure policy counts only the failures that say
 * ManyChat is unwell (network errors, timeouts, 5xx): a refusal or a 429 is an answer, and closes a half-open breaker.
 */
public final class ManyChatClient {

  public static final String BREAKER_NAME = "manychat";
  /** Connections to ManyChat open at once. */
  static final int MAX_CONNECTIONS = 32;

  private static final Logger LOG = LoggerFactory.getLogger(ManyChatClient.class);

  private final WebClient client;
  private final CircuitBreaker breaker;
  private final String apiUrl;
  private final String apiKey;
  private final int timeoutMs;
  private final long resetMs;
  private volatile long openedAt;

  public ManyChatClient(Vertx vertx, MirtConfig.ManyChat manychat, MirtConfig.Push push) {
    this.apiUrl = stripTrailingSlash(manychat.apiUrl());
    this.apiKey = manychat.apiKey();
    this.timeoutMs = manychat.timeoutMs();
    this.resetMs = push.breakerResetMs();
    // ManyChat answers in a few hundred milliseconds, so its rate limit needs several calls open at once; the web
    // client's default of 5 connections would hold calls back below it.
    this.client = WebClient.create(vertx, new WebClientOptions()
      .setUserAgent("mirt")
      .setConnectTimeout(manychat.timeoutMs()), new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));
    // The request timeout of the web client bounds every call; a second timer in the breaker would only race it.
    // No notification address: nothing consumes the breaker's periodic event-bus reports. Retries are not the
    // breaker's: a failed reply waits in the outbox, where a restart cannot lose it.
    this.breaker = CircuitBreaker.create(BREAKER_NAME, vertx, new CircuitBreakerOptions()
      .setMaxFailures(push.breakerMaxFailures())
      .setResetTimeout(push.breakerResetMs())
      .setTimeout(-1)
      .setNotificationAddress(null));
    breaker.<CallResult>failurePolicy(f -> f.failed() || f.result().outcome().breakerFailure());
    breaker.openHandler(v -> onStateChange(CircuitBreakerState.OPEN))
      .halfOpenHandler(v -> onStateChange(CircuitBreakerState.HALF_OPEN))
      .closeHandler(v -> onStateChange(CircuitBreakerState.CLOSED));
  }

  /** Sends the call unless the breaker is open; the future never fails. */
  public Future<CallResult> post(ManyChatCall call) {
    if (!call.path().startsWith("/fb/sending/") && !call.path().startsWith("/fb/subscriber/")) {
      // The /fb/page/ tag endpoints delete tags from the whole account: never let one through, whatever built it.
      return Future.succeededFuture(CallResult.of(Outcome.PERMANENT, 0, "refused_path",
        "refused to call " + call.path()));
    }
    // A failure the policy counts reaches the caller as a failed future without the result: keep it aside.
    AtomicReference<CallResult> answer = new AtomicReference<>();
    return breaker.<CallResult>execute(() -> send(call).onSuccess(answer::set))
      .transform(ar -> Future.succeededFuture(answer.get() != null ? answer.get()
        : ar.cause() instanceof OpenCircuitException ? CallResult.breakerOpen()
        : CallResult.of(Outcome.FAILED, 0, "error", "call failed: " + ar.cause())));
  }

  public CircuitBreakerState breakerState() {
    return breaker.state();
  }

  /** How long until the open breaker lets a trial call through; 0 when it is not open. */
  public long msUntilHalfOpen() {
    if (breaker.state() != CircuitBreakerState.OPEN) {
      return 0;
    }
    return Math.max(0, openedAt + resetMs - System.currentTimeMillis());
  }

  public void close() {
    breaker.close();
    client.close();
  }

  private void onStateChange(CircuitBreakerState state) {
    switch (state) {
      case OPEN -> {
        openedAt = System.currentTimeMillis();
        LOG.warn("circuit breaker {} OPEN: ManyChat calls are held back for {} ms; replies wait in the outbox",
          BREAKER_NAME, resetMs);
      }
      case HALF_OPEN -> LOG.info("circuit breaker {} HALF_OPEN: letting one ManyChat call through", BREAKER_NAME);
      case CLOSED -> LOG.info("circuit breaker {} CLOSED: ManyChat calls flow again", BREAKER_NAME);
    }
  }

  private Future<CallResult> send(ManyChatCall call) {
    return client.postAbs(apiUrl + call.path())
      .putHeader("Authorization", "Bearer " + apiKey)
      .putHeader("Accept", "application/json")
      .timeout(timeoutMs)
      .sendJsonObject(call.body())
      .transform(ar -> Future.succeededFuture(ManyChatAnswers.classify(ar, timeoutMs, System::currentTimeMillis)));
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
