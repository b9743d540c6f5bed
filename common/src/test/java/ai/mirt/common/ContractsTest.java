package ai.mirt.common;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bus records survive their JSON form, and fromJson names what is wrong with a bad message. */
class ContractsTest {

  private static final Contact CONTACT = new Contact("Олена П.", "Олена", "olena", Map.of("city", "Київ"));

  @Test
  void recordsRoundTripThroughJson() {
    InboundMessage in = new InboundMessage("42", Channel.WHATSAPP, "Привіт", List.of("https://a/1.jpg"), "m1", CONTACT,
      123L, "tr");
    assertThat(InboundMessage.fromJson(in.toJson())).isEqualTo(in);
    Turn turn = new Turn("42", "t1", Channel.TELEGRAM, "a\nb", List.of("https://a/1.jpg"), CONTACT, 2, 100L, 2, 1, "tr");
    assertThat(Turn.fromJson(turn.toJson())).isEqualTo(turn);
    Reply reply = new Reply("42", "t1", Channel.INSTAGRAM, List.of(OutMessage.text("Вітаю"), OutMessage.image("https://a/2.jpg")),
      List.of("Сукні"), "STATE_1_DISCOVERY", "greeting", Map.of("ai_size", "122"), List.of("needs_human"),
      List.of("old"), "tr");
    assertThat(Reply.fromJson(reply.toJson())).isEqualTo(reply);
    assertThat(ReplyReady.fromJson(new ReplyReady("42", "t1", "tr").toJson())).isEqualTo(new ReplyReady("42", "t1", "tr"));
    assertThat(HandoffDecision.fromJson(new HandoffDecision(false, "superseded").toJson()))
      .isEqualTo(new HandoffDecision(false, "superseded"));
    assertThat(InboundAck.fromJson(new InboundAck(true).toJson()).duplicate()).isTrue();
    ComponentHealth h = new ComponentHealth(false, new JsonObject().put("breaker", "OPEN"));
    assertThat(ComponentHealth.fromJson(h.toJson())).isEqualTo(h);
  }

  @Test
  void badMessagesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> InboundMessage.fromJson(new JsonObject().put("channel", "instagram")))
      .hasMessage("missing field 'subscriberId'");
    assertThatThrownBy(() -> Turn.fromJson(new JsonObject().put("subscriberId", "1").put("turnId", "t").put("channel", "sms")))
      .hasMessage("unknown channel 'sms'");
    assertThatThrownBy(() -> ReplyReady.fromJson(new JsonObject().put("subscriberId", "1")))
      .hasMessage("missing field 'turnId'");
    assertThatThrownBy(() -> OutMessage.fromJson(new JsonObject().put("type", "video")))
      .hasMessage("unknown message type 'video'");
    assertThatThrownBy(() -> HandoffDecision.fromJson(new JsonObject())).hasMessage("missing field 'deliver'");
  }

  @Test
  void everySettingHasAUniqueEnvironmentNameAndAValidDefault() {
    assertThat(Setting.ALL).extracting(Setting::env).doesNotHaveDuplicates();
    assertThat(Setting.ALL).extracting(Setting::path).doesNotHaveDuplicates();
    MirtConfig defaults = MirtConfig.fromJson(new JsonObject());
    assertThat(MirtConfig.fromJson(defaults.toJson())).isEqualTo(defaults);
    assertThat(defaults.toJson().fieldNames()).containsExactlyInAnyOrderElementsOf(
      Setting.ALL.stream().map(Setting::path).toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/restart", "/RESTART please", ".;/restart", " /Restart\nщось"})
  void restartCommandIsRecognised(String text) {
    assertThat(Commands.isRestart(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"restart", "please /restart", "/restarting", ""})
  void otherTextsAreNotRestart(String text) {
    assertThat(Commands.isRestart(text)).isFalse();
  }

  @Test
  void textAfterRestartIsKept() {
    assertThat(Commands.afterRestart(".;/restart\nЯкі є сукні?")).isEqualTo("Які є сукні?");
    assertThat(Commands.afterRestart("/restart")).isEmpty();
    assertThat(Commands.afterRestart("привіт /restart")).isEmpty();
  }
}
