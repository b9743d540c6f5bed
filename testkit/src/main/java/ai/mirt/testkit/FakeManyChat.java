package ai.mirt.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * ManyChat's Page API as a test server: every {@code /fb/...} POST is recorded and answered
 * {@code {"status":"success"}} unless a fault was injected. Requests without the expected bearer key get 401.
 */
public class FakeManyChat extends FakeServer {

  public static final String SEND_CONTENT = "/fb/sending/sendContent";

  public static final String WINDOW_CLOSED =
    "{\"status\":\"error\",\"message\":\"Subscriber's last interaction was over 24h ago\",\"code\":3011}";

  private final String apiKey;

  public FakeManyChat(Vertx vertx, String apiKey) {
    super(vertx);
    this.apiKey = apiKey;
  }

  @Override
  protected void answer(HttpServerRequest req, RecordedRequest recorded) {
    if (!("Bearer " + apiKey).equals(recorded.header("Authorization"))) {
      req.response().setStatusCode(401).putHeader("content-type", "application/json")
        .end("{\"status\":\"error\",\"message\":\"Unauthorized\",\"details\":{\"messages\":[{\"message\":\"bad key\"}]}}");
      return;
    }
    req.response().putHeader("content-type", "application/json").end("{\"status\":\"success\"}");
  }
}
