package ai.mirt.push;

import ai.mirt.push.CallResult.Outcome;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Reads ManyChat's answer to a call: success is HTTP 200 with {@code "status":"success"}; 429, 5xx and network
 * errors are passing trouble; anything else is a refusal, told apart by ManyChat's code and message.
 */
final class ManyChatAnswers {

  /** ManyChat's code for a contact whose last message is more than 24 hours old. */
  static final String WINDOW_CLOSED_CODE = "3011";

  /** A message naming a custom field or tag that the account does not have. */
  private static final Pattern FIELD_OR_TAG = Pattern.compile("\\b(custom )?(field|tag)s?\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern MISSING = Pattern.compile(
    "not found|not exist|doesn't exist|does not exist|unknown|no such|invalid (field|tag)", Pattern.CASE_INSENSITIVE);

  private ManyChatAnswers() {
  }

  /**
   * @param clock the wall clock, for a {@code Retry-After} given as a date
   */
  static CallResult classify(AsyncResult<HttpResponse<Buffer>> ar, int timeoutMs, LongSupplier clock) {
    if (ar.failed()) {
      Throwable err = ar.cause();
      if (err instanceof TimeoutException) {
        return CallResult.of(Outcome.TIMEOUT, 0, "timeout", "no answer within " + timeoutMs
          + " ms (may have been delivered)");
      }
      return CallResult.of(Outcome.FAILED, 0, "connection", "connection failed: " + err.getClass().getSimpleName()
        + (err.getMessage() == null ? "" : ": " + err.getMessage()));
    }
    HttpResponse<Buffer> response = ar.result();
    int status = response.statusCode();
    JsonObject body = jsonBody(response);
    if (status == 429) {
      long wait = retryAfterMs(response.getHeader("Retry-After"), clock.getAsLong());
      return new CallResult(Outcome.RATE_LIMITED, status, "http_429", "ManyChat answered HTTP 429 (too many calls)"
        + (wait >= 0 ? ", retry after " + wait + " ms" : "") + errorText(body), wait);
    }
    if (status >= 500) {
      return CallResult.of(Outcome.FAILED, status, "http_" + status, "ManyChat answered HTTP " + status
        + errorText(body));
    }
    if (status == 200 && body != null && "success".equals(body.getValue("status"))) {
      return CallResult.ok(status);
    }
    return refusal(status, body);
  }

  private static CallResult refusal(int status, JsonObject body) {
    Object code = body == null ? null : body.getValue("code");
    String text = errorText(body);
    if (code == null) {
      Outcome outcome = namesMissingFieldOrTag(text) ? Outcome.UNKNOWN_TARGET : Outcome.PERMANENT;
      String c = outcome == Outcome.UNKNOWN_TARGET ? "unknown_field" : "http_" + status;
      return CallResult.of(outcome, status, c, "ManyChat refused the call (http_" + status + ")" + text);
    }
    String c = String.valueOf(code).toLowerCase(Locale.ROOT);
    if (c.equals(WINDOW_CLOSED_CODE)) {
      return CallResult.of(Outcome.WINDOW_CLOSED, status, "window_closed", describe(c) + " (" + c + ")" + text);
    }
    if (namesMissingFieldOrTag(text)) {
      return CallResult.of(Outcome.UNKNOWN_TARGET, status, "unknown_field", "ManyChat error (" + c + ")" + text);
    }
    return CallResult.of(Outcome.PERMANENT, status, c, describe(c) + " (" + c + ")" + text);
  }

  /** An error about a custom field or tag the account does not have: the messages can go without their actions. */
  static boolean namesMissingFieldOrTag(String text) {
    return FIELD_OR_TAG.matcher(text).find() && MISSING.matcher(text).find();
  }

  /** Labels of the sendContent codes ManyChat documents. */
  private static String describe(String code) {
    if (code.equals(WINDOW_CLOSED_CODE)) {
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

  /**
   * {@code Retry-After} in ms: delay-seconds or an HTTP date; -1 when absent or unreadable. Never more than an hour,
   * so that a wrong header cannot stop delivery for a day.
   */
  static long retryAfterMs(String header, long now) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String h = header.strip();
    long ms;
    try {
      ms = Math.round(Double.parseDouble(h) * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        ms = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli() - now;
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
    return Math.max(0, Math.min(ms, Duration.ofHours(1).toMillis()));
  }

  /** ": " and ManyChat's message (or detail messages), or nothing when the body carries none. */
  static String errorText(JsonObject body) {
    if (body == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    if (body.getValue("message") instanceof String s && !s.isBlank()) {
      text.append(s.strip());
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
}
