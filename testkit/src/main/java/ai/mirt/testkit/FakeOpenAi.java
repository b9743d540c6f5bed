package ai.mirt.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/**
 * An OpenAI-compatible chat completions endpoint ({@code POST /v1/chat/completions}) as a test server. The
 * assistant's content is computed from the request by a function the test sets, so a test can answer from what
 * the model was actually sent.
 */
public class FakeOpenAi extends FakeServer {

  public static final String COMPLETIONS = "/v1/chat/completions";

  private volatile Function<JsonObject, String> content = req -> "Добрий день!";

  public FakeOpenAi(Vertx vertx) {
    super(vertx);
  }

  /** Sets the assistant message content returned for each request body. */
  public FakeOpenAi answerWith(Function<JsonObject, String> content) {
    this.content = content;
    return this;
  }

  /** The OpenAI base URL to configure, including {@code /v1}. */
  public String v1Url() {
    return baseUrl() + "/v1";
  }

  @Override
  protected void answer(HttpServerRequest req, RecordedRequest recorded) {
    if (!recorded.path().equals(COMPLETIONS)) {
      req.response().setStatusCode(404).putHeader("content-type", "application/json")
        .end("{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\"}}");
      return;
    }
    JsonObject body = recorded.json();
    JsonObject message = new JsonObject().put("role", "assistant").put("content", content.apply(body));
    JsonObject completion = new JsonObject()
      .put("id", "chatcmpl-" + recorded.receivedAt())
      .put("object", "chat.completion")
      .put("created", recorded.receivedAt() / 1000)
      .put("model", body.getString("model", "gpt-4o-mini"))
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
        .put("finish_reason", "stop")))
      .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 10).put("total_tokens", 20));
    req.response().putHeader("content-type", "application/json").end(completion.encode());
  }
}
