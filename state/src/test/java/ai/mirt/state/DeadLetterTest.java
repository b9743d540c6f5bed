package ai.mirt.state;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterTest {

  private static final DeadLetter STORED = new DeadLetter("12", "push", "7", "t1", "3011", "closed", 1_000L,
    new JsonObject().put("calls", 1));

  @Test
  void aStoredLetterCarriesItsIdInItsJson() {
    assertThat(STORED.toJson().getString("id")).isEqualTo("12");
    assertThat(DeadLetter.fromJson(STORED.toJson())).isEqualTo(STORED);
  }

  @Test
  void aLetterNotYetStoredHasNoIdInItsJson() {
    DeadLetter fresh = STORED.withId(null);
    assertThat(fresh).isEqualTo(new DeadLetter("push", "7", "t1", "3011", "closed", 1_000L,
      new JsonObject().put("calls", 1)));
    assertThat(fresh.toJson().containsKey("id")).isFalse();
    assertThat(DeadLetter.fromJson(fresh.toJson())).isEqualTo(fresh);
  }
}
