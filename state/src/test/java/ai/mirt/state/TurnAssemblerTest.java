package ai.mirt.state;

import ai.mirt.common.Channel;
import ai.mirt.common.Contact;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.Turn;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TurnAssemblerTest {

  @Test
  void joinsTextsKeepsAllImagesAndTakesTheLatestChannelAndContact() {
    Contact early = new Contact("A", "A", null, Map.of());
    Contact late = new Contact("Оля", "Оля", "olya", Map.of("city", "Київ"));
    Turn t = TurnAssembler.assemble("t1", List.of(
      new InboundMessage("7", Channel.INSTAGRAM, "Привіт", List.of("https://a/1.jpg"), null, early, 100, "x"),
      new InboundMessage("7", Channel.INSTAGRAM, "", List.of("https://a/2.jpg", "https://a/3.jpg"), null, early, 200, "y"),
      new InboundMessage("7", Channel.FACEBOOK, "такий є?", List.of(), null, late, 300, "z")), 2, 1, 90);
    assertThat(t.text()).isEqualTo("Привіт\nтакий є?");
    assertThat(t.images()).containsExactly("https://a/1.jpg", "https://a/2.jpg", "https://a/3.jpg");
    assertThat(t.channel()).isEqualTo(Channel.FACEBOOK);
    assertThat(t.contact()).isEqualTo(late);
    assertThat(t.traceId()).isEqualTo("z");
    assertThat(t.firstAt()).as("the store's time of the first message").isEqualTo(90);
    assertThat(t.messageCount()).isEqualTo(3);
    assertThat(t.attempt()).isEqualTo(2);
    assertThat(t.reruns()).isEqualTo(1);
    assertThat(Turn.fromJson(t.toJson())).isEqualTo(t);
  }

  @Test
  void emptyBurstIsRefused() {
    assertThatThrownBy(() -> TurnAssembler.assemble("t", List.of(), 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
