package ai.mirt.state;

import ai.mirt.common.Turn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Conversations are written by handoffs only, cleared by an empty one, and forgotten after their TTL. */
abstract class ConversationStoreContract extends StoreContract {

  private void handoff(String sub, String conversation) throws InterruptedException {
    Turn t = turnOf(sub, "текст");
    assertThat(await(turns().handoff(t, reply(t, "r"), conversation)).deliver()).isTrue();
    deliver(t);
  }

  @Test
  void anUnknownSubscriberHasNoConversation() throws Exception {
    assertThat(await(stores.conversations().load("nobody"))).isEmpty();
  }

  @Test
  void eachHandoffReplacesTheConversation() throws Exception {
    handoff("7", "{\"history\":[1]}");
    handoff("7", "{\"history\":[1,2],\"name\":\"Оля\"}");
    assertThat(await(stores.conversations().load("7"))).isEqualTo("{\"history\":[1,2],\"name\":\"Оля\"}");
    assertThat(await(stores.conversations().load("8"))).isEmpty();
  }

  @Test
  void anEmptyConversationClearsIt() throws Exception {
    handoff("7", "{\"history\":[1]}");
    handoff("7", "");
    assertThat(await(stores.conversations().load("7"))).isEmpty();
  }

  @Test
  void aConversationIsForgottenAfterItsTtl() throws Exception {
    handoff("7", "{\"history\":[1]}");
    clock.advance(86_400_000L - QUIET - 1);
    assertThat(await(stores.conversations().load("7"))).isNotEmpty();
    clock.advance(QUIET + 1);
    assertThat(await(stores.conversations().load("7"))).isEmpty();
  }
}
