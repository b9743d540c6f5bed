package ai.mirt.webhook;

import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Shared-secret checks for the webhook and the admin endpoints. */
final class Tokens {

  private Tokens() {
  }

  /** The token from {@code X-ManyChat-Token}, else from {@code Authorization: Bearer}, else {@code null}. */
  static String presented(HttpServerRequest req, boolean allowManyChatHeader) {
    if (allowManyChatHeader) {
      String header = req.getHeader("X-ManyChat-Token");
      if (header != null && !header.isBlank()) {
        return header.trim();
      }
    }
    String auth = req.getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    return null;
  }

  /** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
  static boolean matches(String presented, String expected) {
    if (presented == null || expected == null || expected.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
