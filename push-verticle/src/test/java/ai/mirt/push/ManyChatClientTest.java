package ai.mirt.push;

import ai.mirt.common.MirtConfig;
import ai.mirt.push.CallResult.Outcome;
import ai.mirt.testkit.FakeManyChat;
import ai.mirt.testkit.FakeServer.Fault;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class ManyChatClientTest {

  private static final String KEY = "1234567:test-secret";

  private FakeManyChat manychat;

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) {
    manychat = new FakeManyChat(vertx, KEY);
    manychat.start().onComplete(ctx.succeedingThenComplete());
  }

  private ManyChatClient client(Vertx vertx, String url, String key, int timeoutMs) {
    MirtConfig config = MirtConfig.fromJson(new JsonObject()
      .put("manychat.api-url", url)
      .put("manychat.api-key", key)
      .put("manychat.timeout-ms", timeoutMs));
    return new ManyChatClient(vertx, config.manychat(), config.push());
  }

  private static ManyChatCall tag(String path) {
    return new ManyChatCall(path, new JsonObject().put("subscriber_id", 42).put("tag_name", "lead"));
  }

  @Test
  void pageEndpointsAreRefusedWithoutARequest(Vertx vertx, VertxTestContext ctx) {
    client(vertx, manychat.baseUrl(), KEY, 2000).post(tag("/fb/page/removeTagByName"))
      .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
        assertThat(res.outcome()).isEqualTo(Outcome.PERMANENT);
        assertThat(res.code()).isEqualTo("refused_path");
        assertThat(manychat.requests()).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void subscriberTagCallSucceedsWithTheBearerKey(Vertx vertx, VertxTestContext ctx) {
    client(vertx, manychat.baseUrl() + "/", KEY, 2000).post(tag(DynamicBlockBuilder.ADD_TAG))
      .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
        assertThat(res.outcome()).isEqualTo(Outcome.OK);
        assertThat(manychat.requests()).singleElement().satisfies(r -> {
          assertThat(r.path()).isEqualTo(DynamicBlockBuilder.ADD_TAG);
          assertThat(r.header("Authorization")).isEqualTo("Bearer " + KEY);
        });
        ctx.completeNow();
      })));
  }

  @Test
  void wrongKeyIsPermanentWithManyChatsMessage(Vertx vertx, VertxTestContext ctx) {
    client(vertx, manychat.baseUrl(), "wrong", 2000).post(tag(DynamicBlockBuilder.ADD_TAG))
      .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
        assertThat(res.outcome()).isEqualTo(Outcome.PERMANENT);
        assertThat(res.code()).isEqualTo("http_401");
        assertThat(res.reason()).contains("Unauthorized").contains("bad key").doesNotContain("wrong");
        ctx.completeNow();
      })));
  }

  @Test
  void timeoutIsRetryableAndMayHaveBeenDelivered(Vertx vertx, VertxTestContext ctx) {
    manychat.inject(Fault.hang());
    client(vertx, manychat.baseUrl(), KEY, 200).post(tag(DynamicBlockBuilder.ADD_TAG))
      .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
        assertThat(res).extracting(CallResult::outcome, CallResult::code).containsExactly(Outcome.TIMEOUT, "timeout");
        assertThat(res.reason()).contains("may have been delivered");
        ctx.completeNow();
      })));
  }

  @Test
  void refusedConnectionIsRetryable(Vertx vertx, VertxTestContext ctx) {
    String url = manychat.baseUrl();
    manychat.stop()
      .compose(v -> client(vertx, url, KEY, 2000).post(tag(DynamicBlockBuilder.ADD_TAG)))
      .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
        assertThat(res.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(res.code()).isEqualTo("connection");
        ctx.completeNow();
      })));
  }
}
