package ai.mirt.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

  /**
   * Answers the first request with the first content, the second with the second, and so on; the last one answers
   * every request after it. A test scripts a model that corrects itself on the second try this way.
   */
  public FakeOpenAi answerInOrder(String... contents) {
    if (contents.length == 0) {
      throw new IllegalArgumentException("at least one content");
    }
    AtomicInteger next = new AtomicInteger();
    return answerWith(req -> contents[Math.min(next.getAndIncrement(), contents.length - 1)]);
  }

  /** The messages of a chat completions request body. */
  public static List<JsonObject> messages(JsonObject body) {
    List<JsonObject> out = new ArrayList<>();
    body.getJsonArray("messages", new JsonArray()).forEach(m -> out.add((JsonObject) m));
    return out;
  }

  /** The text of the request's first system message; empty when it has none. */
  public static String systemText(JsonObject body) {
    return messages(body).stream().filter(m -> "system".equals(m.getString("role"))).findFirst()
      .map(FakeOpenAi::text).orElse("");
  }

  /** The request's last user message. */
  public static JsonObject lastUserMessage(JsonObject body) {
    List<JsonObject> users = messages(body).stream().filter(m -> "user".equals(m.getString("role"))).toList();
    if (users.isEmpty()) {
      throw new AssertionError("the request has no user message: " + body.encode());
    }
    return users.get(users.size() - 1);
  }

  /** A message's text: its string content, or its {@code text} parts joined by new lines. */
  public static String text(JsonObject message) {
    Object content = message.getValue("content");
    if (content instanceof String s) {
      return s;
    }
    List<String> texts = new ArrayList<>();
    if (content instanceof JsonArray parts) {
      parts.forEach(p -> {
        JsonObject part = (JsonObject) p;
        if ("text".equals(part.getString("type"))) {
          texts.add(part.getString("text", ""));
        }
      });
    }
    return String.join("\n", texts);
  }

  /** The URLs of a message's {@code image_url} content parts, in order. */
  public static List<String> imageUrls(JsonObject message) {
    List<String> urls = new ArrayList<>();
    if (message.getValue("content") instanceof JsonArray parts) {
      parts.forEach(p -> {
        JsonObject part = (JsonObject) p;
        if ("image_url".equals(part.getString("type"))) {
          urls.add(part.getJsonObject("image_url", new JsonObject()).getString("url"));
        }
      });
    }
    return urls;
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
