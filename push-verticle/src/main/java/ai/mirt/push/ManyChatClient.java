package ai.mirt.push;

import ai.mirt.common.MirtConfig;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * POSTs {@link ManyChatCall}s to ManyChat's Page API through the {@code manychat} circuit breaker and classifies
 * every answer. The returned future always succeeds; the {@link CallResult} says whether to go on, retry or give up.
 * Only retryable failures count against the breaker: a closed messaging window says nothing about ManyChat's health.
 */
public final class ManyChatClient {

  public static final String BREAKER_NAME = "manychat";

  private static final Logger LOG = LoggerFactory.getLogger(ManyChatClient.class);

  /** What the caller should do after a call. */
  public enum Outcome {
    /** ManyChat accepted the call. */
    OK,
    /** The call certainly failed, or may have (timeout): it may be tried again. */
    RETRYABLE,
    /** ManyChat refused the call; trying again would fail the same way. */
    PERMANENT
  }

  /**
   * The classified answer to one call.
   *
   * @param code           short, low-cardinality code for metrics and dead letters ({@code 3011}, {@code http_400},
   *                       {@code timeout}, {@code breaker_open}, …)
   * @param reason         human-readable reason, with ManyChat's code and message when it sent them
   * @param maybeDelivered the request timed out after it was sent: ManyChat may have delivered it anyway
   */
  public record CallResult(Outcome outcome, int httpStatus, String code, String reason, boolean maybeDelivered) {

    static CallResult ok(int status) {
      return new CallResult(Outcome.OK, status, "ok", "", false);
    }

    static CallResult retryable(int status, String code, String reason) {
      return new CallResult(Outcome.RETRYABLE, status, code, reason, false);
    }

    static CallResult permanent(int status, String code, String reason) {
      return new CallResult(Outcome.PERMANENT, status, code, reason, false);
    }
  }

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
    this.client = WebClient.create(vertx, new WebClientOptions()
      .setUserAgent("mirt")
      .setConnectTimeout(manychat.timeoutMs()));
    // The request timeout of the web client bounds every call; a second timer in the breaker would only race it.
    // No notification address: nothing consumes the breaker's periodic event-bus reports.
    this.breaker = CircuitBreaker.create(BREAKER_NAME, vertx, new CircuitBreakerOptions()
      .setMaxFailures(push.breakerMaxFailures())
      .setResetTimeout(push.breakerResetMs())
      .setTimeout(-1)
      .setNotificationAddress(null));
    breaker.openHandler(v -> onStateChange(CircuitBreakerState.OPEN))
      .halfOpenHandler(v -> onStateChange(CircuitBreakerState.HALF_OPEN))
      .closeHandler(v -> onStateChange(CircuitBreakerState.CLOSED));
  }

  /** Sends the call unless the breaker is open; the future never fails. */
  public Future<CallResult> post(ManyChatCall call) {
    if (!call.path().startsWith("/fb/sending/") && !call.path().startsWith("/fb/subscriber/")) {
      // The /fb/page/ tag endpoints delete tags from the whole account: never let one through, whatever built it.
      return Future.succeededFuture(CallResult.permanent(0, "refused_path", "refused to call " + call.path()));
    }
    return breaker.<CallResult>execute(() -> send(call))
      .recover(err -> Future.succeededFuture(toResult(err)));
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
        LOG.warn("circuit breaker {} OPEN: ManyChat calls are held back for {} ms", BREAKER_NAME, resetMs);
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
      .transform(this::classify);
  }

  /** Retryable outcomes fail the future, so that they, and only they, count as breaker failures. */
  private Future<CallResult> classify(AsyncResult<HttpResponse<Buffer>> ar) {
    if (ar.failed()) {
      Throwable err = ar.cause();
      if (err instanceof TimeoutException) {
        return Future.failedFuture(new Retryable(new CallResult(Outcome.RETRYABLE, 0, "timeout",
          "no answer within " + timeoutMs + " ms (may have been delivered)", true)));
      }
      return Future.failedFuture(new Retryable(CallResult.retryable(0, "connection",
        "connection failed: " + err.getClass().getSimpleName() + (err.getMessage() == null ? "" : ": " + err.getMessage()))));
    }
    HttpResponse<Buffer> response = ar.result();
    int status = response.statusCode();
    JsonObject body = jsonBody(response);
    if (status == 429 || status >= 500) {
      return Future.failedFuture(new Retryable(CallResult.retryable(status, "http_" + status,
        "ManyChat answered HTTP " + status + errorText(body))));
    }
    String apiStatus = body == null ? null : body.getString("status");
    if (status == 200 && "success".equals(apiStatus)) {
      return Future.succeededFuture(CallResult.ok(status));
    }
    return Future.succeededFuture(permanent(status, body));
  }

  private static CallResult permanent(int status, JsonObject body) {
    Object code = body == null ? null : body.getValue("code");
    if (code == null) {
      return CallResult.permanent(status, "http_" + status, "ManyChat refused the call (http_" + status + ")"
        + errorText(body));
    }
    String c = String.valueOf(code).toLowerCase(Locale.ROOT);
    return CallResult.permanent(status, c, describe(c) + " (" + c + ")" + errorText(body));
  }

  /** Labels of the sendContent codes ManyChat documents. */
  private static String describe(String code) {
    if (code.equals("3011")) {
      return "messaging window closed";
    }
    if (code.equals("3021")) {
      return "no one-time notification token";
    }
    if (code.equals("3031")) {
      return "messaging window closed, notification reason required";
    }
    if (code.startsWith("304")) {
      return "cannot send through this channel";
    }
    return "ManyChat error";
  }

  /** ": " and ManyChat's message (or detail messages), or nothing when the body carries none. */
  private static String errorText(JsonObject body) {
    if (body == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    String message = body.getValue("message") instanceof String s ? s : null;
    if (message != null && !message.isBlank()) {
      text.append(message.strip());
    }
    if (body.getValue("details") instanceof JsonObject details
      && details.getValue("messages") instanceof JsonArray messages) {
      for (Object m : messages) {
        if (m instanceof JsonObject mo && mo.getValue("message") instanceof String s && !s.isBlank()) {
          text.append(text.isEmpty() ? "" : "; ").append(s.strip());
        }
      }
    }
    return text.isEmpty() ? "" : ": " + text;
  }

  private static JsonObject jsonBody(HttpResponse<Buffer> response) {
    Buffer buf = response.body();
    if (buf == null || buf.length() == 0) {
      return null;
    }
    try {
      return buf.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static CallResult toResult(Throwable err) {
    if (err instanceof Retryable r) {
      return r.result;
    }
    if (err instanceof OpenCircuitException) {
      return CallResult.retryable(0, "breaker_open", "circuit breaker " + BREAKER_NAME + " is open");
    }
    return CallResult.retryable(0, "error", "call failed: " + err);
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Carries a retryable result through the breaker as a failure. */
  private static final class Retryable extends RuntimeException {
    private final transient CallResult result;

    Retryable(CallResult result) {
      super(result.reason(), null, false, false);
      this.result = result;
    }
  }
}
