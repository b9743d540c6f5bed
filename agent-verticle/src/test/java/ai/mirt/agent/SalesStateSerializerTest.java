package ai.mirt.agent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SalesStateSerializerTest {

  private final SalesStateSerializer serializer = new SalesStateSerializer();

  @Test
  void aCopyHoldsEveryValueAsItWas() throws Exception {
    Map<String, Object> data = new HashMap<>();
    data.put(SalesState.TEXT, "Привіт! Є сукні на 116? 👗");
    data.put(SalesState.IMAGES, new ArrayList<>(List.of("https://cdn.example/a.jpg", "")));
    data.put(SalesState.REJECTIONS, 2);
    data.put(SalesState.VIOLATIONS, List.of());
    data.put(SalesState.ESCALATION, null);
    data.put(SalesState.CONVERSATION, "{\"messages\":[]}".repeat(10_000));

    SalesState copy = serializer.cloneObject(data);

    assertThat(copy.data()).isEqualTo(data);
    assertThat(copy.images()).isNotSameAs(data.get(SalesState.IMAGES));
    assertThat(copy.rejections()).isEqualTo(2);
  }

  @Test
  void aValueOfAnotherKindIsRefusedByName() {
    Map<String, Object> data = new HashMap<>(Map.of(SalesState.STEP, 3L));
    assertThatThrownBy(() -> serializer.cloneObject(data)).isInstanceOf(IOException.class)
      .hasMessageContaining("'step' is a Long");
    Map<String, Object> list = new HashMap<>(Map.of(SalesState.IMAGES, List.of(1)));
    assertThatThrownBy(() -> serializer.cloneObject(list)).isInstanceOf(IOException.class)
      .hasMessageContaining("'images' holds a Integer");
  }
}
