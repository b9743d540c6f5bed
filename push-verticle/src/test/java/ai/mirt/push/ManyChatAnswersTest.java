package ai.mirt.push;

import ai.mirt.push.CallResult.Outcome;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.impl.HttpResponseImpl;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** How ManyChat's answers (and the lack of one) are read, by the classifier alone. */
class ManyChatAnswersTest {

  private static final long NOW = 1_750_000_000_000L;

  private static AsyncResult<HttpResponse<Buffer>> answer(int status, String body, String... headers) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return Future.succeededFuture(new HttpResponseImpl<>(HttpVersion.HTTP_1_1, status, "", h,
      MultiMap.caseInsensitiveMultiMap(), List.of(), body == null ? null : Buffer.buffer(body), List.of()));
  }

  private static CallResult classify(AsyncResult<HttpResponse<Buffer>> ar) {
    return ManyChatAnswers.classify(ar, 2_000, () -> NOW);
  }

  private static String error(Object code, String message) {
    JsonObject body = new JsonObject().put("status", "error").put("message", message);
    return (code == null ? body : body.put("code", code)).encode();
  }

  @Test
  void successIsAnOkWithStatusSuccess() {
    CallResult r = classify(answer(200, "{\"status\":\"success\"}"));
    assertThat(r).isEqualTo(new CallResult(Outcome.OK, 200, "ok", "", -1));
  }

  @Test
  void anOkWithoutSuccessIsARefusal() {
    assertThat(classify(answer(200, "{\"status\":\"error\",\"message\":\"Channel not connected\",\"code\":3041}")))
      .extracting(CallResult::outcome, CallResult::code).containsExactly(Outcome.PERMANENT, "3041");
    assertThat(classify(answer(200, ""))).extracting(CallResult::outcome, CallResult::code)
      .containsExactly(Outcome.PERMANENT, "http_200");
    assertThat(classify(answer(200, null))).extracting(CallResult::outcome, CallResult::code)
      .containsExactly(Outcome.PERMANENT, "http_200");
    assertThat(classify(answer(200, "<html>ok</html>"))).extracting(CallResult::outcome, CallResult::code)
      .containsExactly(Outcome.PERMANENT, "http_200");
    assertThat(classify(answer(200, "[\"success\"]"))).extracting(CallResult::outcome)
      .isEqualTo(Outcome.PERMANENT);
    assertThat(classify(answer(201, "{\"status\":\"success\"}"))).extracting(CallResult::outcome)
      .isEqualTo(Outcome.PERMANENT);
  }

  @Test
  void aTimeoutMayHaveBeenDelivered() {
    CallResult r = classify(Future.failedFuture(new TimeoutException("late")));
    assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(r.code()).isEqualTo("timeout");
    assertThat(r.reason()).isEqualTo("no answer within 2000 ms (may have been delivered)");
    assertThat(r.outcome().breakerFailure()).isTrue();
  }

  @Test
  void aConnectionErrorIsAFailureNamingTheError() {
    CallResult r = classify(Future.failedFuture(new ConnectException("Connection refused")));
    assertThat(r).isEqualTo(CallResult.of(Outcome.FAILED, 0, "connection",
      "connection failed: ConnectException: Connection refused"));
    assertThat(classify(Future.failedFuture(new IllegalStateException())).reason())
      .isEqualTo("connection failed: IllegalStateException");
  }

  @Test
  void serverErrorsAreFailuresAndCountAgainstTheBreaker() {
    for (int status : new int[] {500, 502, 503, 599}) {
      CallResult r = classify(answer(status, error(null, "Internal error")));
      assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(r.code()).isEqualTo("http_" + status);
      assertThat(r.reason()).isEqualTo("ManyChat answered HTTP " + status + ": Internal error");
      assertThat(r.outcome().breakerFailure()).isTrue();
      assertThat(r.outcome().refused()).isFalse();
    }
    assertThat(classify(answer(499, "")).outcome()).isEqualTo(Outcome.PERMANENT);
  }

  @Test
  void tooManyRequestsCarriesRetryAfter() {
    CallResult r = classify(answer(429, error(null, "Too many requests"), "Retry-After", "3"));
    assertThat(r.outcome()).isEqualTo(Outcome.RATE_LIMITED);
    assertThat(r.httpStatus()).isEqualTo(429);
    assertThat(r.code()).isEqualTo("http_429");
    assertThat(r.retryAfterMs()).isEqualTo(3_000);
    assertThat(r.reason()).isEqualTo("ManyChat answered HTTP 429 (too many calls), retry after 3000 ms: "
      + "Too many requests");
    assertThat(r.outcome().breakerFailure()).isFalse();
    CallResult unsaid = classify(answer(429, ""));
    assertThat(unsaid.retryAfterMs()).isEqualTo(-1);
    assertThat(unsaid.reason()).isEqualTo("ManyChat answered HTTP 429 (too many calls)");
    assertThat(classify(answer(429, "", "Retry-After", "0")).reason()).contains("retry after 0 ms");
  }

  @Test
  void code3011IsAClosedWindowWhateverItsType() {
    for (Object code : List.of(3011, "3011")) {
      CallResult r = classify(answer(400, error(code, "Subscriber's last interaction was over 24h ago")));
      assertThat(r.outcome()).isEqualTo(Outcome.WINDOW_CLOSED);
      assertThat(r.code()).isEqualTo("window_closed");
      assertThat(r.reason()).isEqualTo("messaging window closed (3011): Subscriber's last interaction was over 24h "
        + "ago");
      assertThat(r.outcome().refused()).isTrue();
      assertThat(r.outcome().breakerFailure()).isFalse();
    }
  }

  @Test
  void documentedCodesAreNamed() {
    assertThat(classify(answer(400, error(3021, "x"))).reason())
      .isEqualTo("no one-time notification token (3021): x");
    assertThat(classify(answer(400, error(3031, "x"))).reason())
      .isEqualTo("messaging window closed, notification reason required (3031): x");
    assertThat(classify(answer(400, error(3041, "x"))).reason())
      .isEqualTo("cannot send through this channel (3041): x");
    assertThat(classify(answer(400, error(3049, ""))).reason()).isEqualTo("cannot send through this channel (3049)");
    CallResult other = classify(answer(400, error("E_WEIRD", "x")));
    assertThat(other).isEqualTo(CallResult.of(Outcome.PERMANENT, 400, "e_weird", "ManyChat error (e_weird): x"));
  }

  @Test
  void aMissingFieldOrTagIsAnUnknownTarget() {
    String details = "{\"status\":\"error\",\"message\":\"Validation error\",\"details\":{\"messages\":"
      + "[{\"message\":\"Custom field 'ai_foo' not found\"}]}}";
    CallResult r = classify(answer(400, details));
    assertThat(r.outcome()).isEqualTo(Outcome.UNKNOWN_TARGET);
    assertThat(r.code()).isEqualTo("unknown_field");
    assertThat(r.reason()).isEqualTo("ManyChat refused the call (http_400): Validation error; Custom field 'ai_foo' "
      + "not found");
    assertThat(r.outcome().refused()).isTrue();
    CallResult coded = classify(answer(400, error(2011, "Tag does not exist")));
    assertThat(coded).isEqualTo(CallResult.of(Outcome.UNKNOWN_TARGET, 400, "unknown_field",
      "ManyChat error (2011): Tag does not exist"));
  }

  @Test
  void otherRefusalsArePermanent() {
    CallResult r = classify(answer(400, error(null, "Subscriber not found")));
    assertThat(r).isEqualTo(CallResult.of(Outcome.PERMANENT, 400, "http_400",
      "ManyChat refused the call (http_400): Subscriber not found"));
    assertThat(classify(answer(401, "")).reason()).isEqualTo("ManyChat refused the call (http_401)");
    assertThat(r.outcome().refused()).isTrue();
    assertThat(r.outcome().breakerFailure()).isFalse();
  }

  @Test
  void onlyTextsNamingAFieldOrTagThatIsMissingCount() {
    assertThat(ManyChatAnswers.namesMissingFieldOrTag("Custom field 'x' not found")).isTrue();
    assertThat(ManyChatAnswers.namesMissingFieldOrTag("Tag does not exist")).isTrue();
    assertThat(ManyChatAnswers.namesMissingFieldOrTag("unknown tags: a, b")).isTrue();
    assertThat(ManyChatAnswers.namesMissingFieldOrTag("Invalid field name")).isTrue();
    assertThat(ManyChatAnswers.namesMissingFieldOrTag("no such field")).isTrue();
    assertThat(ManyChatAnswers.namesMissingFieldOrTag("FIELD doesn't exist")).isTrue();
    assertThat(ManyChatAnswers.namesMissingFieldOrTag("Subscriber not found")).isFalse();
    assertThat(ManyChatAnswers.namesMissingFieldOrTag("Field value is too long")).isFalse();
    assertThat(ManyChatAnswers.namesMissingFieldOrTag("fieldset not found")).isFalse();
    assertThat(ManyChatAnswers.namesMissingFieldOrTag("")).isFalse();
  }

  @Test
  void retryAfterIsReadAsSecondsOrAsADateAndKeptWithinAnHour() {
    assertThat(ManyChatAnswers.retryAfterMs(null, NOW)).isEqualTo(-1);
    assertThat(ManyChatAnswers.retryAfterMs("", NOW)).isEqualTo(-1);
    assertThat(ManyChatAnswers.retryAfterMs("  ", NOW)).isEqualTo(-1);
    assertThat(ManyChatAnswers.retryAfterMs("soon", NOW)).isEqualTo(-1);
    assertThat(ManyChatAnswers.retryAfterMs(" 5 ", NOW)).isEqualTo(5_000);
    assertThat(ManyChatAnswers.retryAfterMs("1.5", NOW)).isEqualTo(1_500);
    assertThat(ManyChatAnswers.retryAfterMs("-3", NOW)).isZero();
    assertThat(ManyChatAnswers.retryAfterMs("3600", NOW)).isEqualTo(3_600_000);
    assertThat(ManyChatAnswers.retryAfterMs("3601", NOW)).isEqualTo(3_600_000);
    String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(
      ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(NOW + 90_000), ZoneOffset.UTC));
    assertThat(ManyChatAnswers.retryAfterMs(in90s, NOW)).isEqualTo(90_000);
    String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(
      ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(NOW - 90_000), ZoneOffset.UTC));
    assertThat(ManyChatAnswers.retryAfterMs(past, NOW)).isZero();
    CallResult dated = ManyChatAnswers.classify(answer(429, "", "Retry-After", in90s), 2_000, () -> NOW);
    assertThat(dated.retryAfterMs()).isEqualTo(90_000);
  }

  @Test
  void errorTextJoinsTheMessageAndTheDetailMessages() {
    assertThat(ManyChatAnswers.errorText(null)).isEmpty();
    assertThat(ManyChatAnswers.errorText(new JsonObject())).isEmpty();
    assertThat(ManyChatAnswers.errorText(new JsonObject().put("message", "  "))).isEmpty();
    assertThat(ManyChatAnswers.errorText(new JsonObject().put("message", 42))).isEmpty();
    assertThat(ManyChatAnswers.errorText(new JsonObject().put("message", " Bad "))).isEqualTo(": Bad");
    JsonObject details = new JsonObject().put("messages", new JsonArray()
      .add(new JsonObject().put("message", " one ")).add("not an object").add(new JsonObject().put("message", ""))
      .add(new JsonObject().put("message", 7)).add(new JsonObject().put("message", "two")));
    assertThat(ManyChatAnswers.errorText(new JsonObject().put("details", details))).isEqualTo(": one; two");
    assertThat(ManyChatAnswers.errorText(new JsonObject().put("message", "Bad").put("details", details)))
      .isEqualTo(": Bad; one; two");
    assertThat(ManyChatAnswers.errorText(new JsonObject().put("message", "Bad").put("details", "text")))
      .isEqualTo(": Bad");
    assertThat(ManyChatAnswers.errorText(new JsonObject().put("details", new JsonObject().put("messages", "x"))))
      .isEmpty();
  }
}
