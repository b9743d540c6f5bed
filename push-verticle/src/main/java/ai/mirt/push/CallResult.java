package ai.mirt.push;

/**
 * The classified answer to one ManyChat call, or the reason it was not made.
 *
 * @param code         short, low-cardinality code for metrics and dead letters ({@code ok}, {@code 3011},
 *                     {@code http_400}, {@code timeout}, {@code breaker_open}, …)
 * @param reason       human-readable reason, with ManyChat's code and message when it sent them
 * @param retryAfterMs for {@link Outcome#RATE_LIMITED}: how long ManyChat asked to wait; -1 when it did not say
 */
public record CallResult(Outcome outcome, int httpStatus, String code, String reason, long retryAfterMs) {

  /** What happened to a call, and so what to do next. */
  public enum Outcome {
    /** ManyChat accepted the call. */
    OK,
    /** Connection error or 5xx: nothing was delivered; try again later. */
    FAILED,
    /** No answer in time: ManyChat may have delivered it. */
    TIMEOUT,
    /** 429: too many calls; no call before {@code retryAfterMs}. */
    RATE_LIMITED,
    /** The circuit breaker is open: the call was not made. */
    BREAKER_OPEN,
    /** The call could not be made for a reason of Mirt's own (the shared rate limiter did not answer). */
    NOT_SENT,
    /** The customer's 24-hour messaging window is closed (ManyChat's code 3011, or known before calling). */
    WINDOW_CLOSED,
    /** ManyChat does not know a custom field or tag the call names. */
    UNKNOWN_TARGET,
    /** Any other refusal: trying again would fail the same way. */
    PERMANENT;

    /** Failures that say something about ManyChat's health, and so count against the circuit breaker. */
    public boolean breakerFailure() {
      return this == FAILED || this == TIMEOUT;
    }

    /** Refusals: the call must not be sent again as it is. */
    public boolean refused() {
      return this == WINDOW_CLOSED || this == UNKNOWN_TARGET || this == PERMANENT;
    }
  }

  static CallResult ok(int status) {
    return new CallResult(Outcome.OK, status, "ok", "", -1);
  }

  static CallResult of(Outcome outcome, int status, String code, String reason) {
    return new CallResult(outcome, status, code, reason, -1);
  }

  static CallResult breakerOpen() {
    return of(Outcome.BREAKER_OPEN, 0, "breaker_open", "circuit breaker " + ManyChatClient.BREAKER_NAME + " is open");
  }
}
