package ai.mirt.agent;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShopTest {

  private static JsonObject minimal() {
    return new JsonObject()
      .put("name", "Тест")
      .put("payment", new JsonObject().put("prepayment", 150).put("details", "  IBAN UA00 {order}\n"))
      .put("size-chart", new JsonArray()
        .add(new JsonObject().put("size", 104).put("min-height", 99).put("max-height", 104))
        .add(new JsonObject().put("size", 110).put("min-height", 105).put("max-height", 110)))
      .put("quick-replies", new JsonObject().put("STATE_1_DISCOVERY", new JsonArray().add("Сукні").add("Костюми")))
      .put("texts", new JsonObject().put("hello", "Вітаю, {name}! Сума {sum} грн ").put("plain", "Так"));
  }

  @Test
  void theShopFileIsReadWithItsFacts() {
    Shop shop = Shop.fromJson(minimal());

    assertThat(shop.name()).isEqualTo("Тест");
    assertThat(shop.prepayment()).isEqualTo(150);
    assertThat(shop.paymentDetails()).isEqualTo("IBAN UA00 {order}");
    assertThat(shop.sizeChart()).containsExactly(new Shop.SizeRow(104, 99, 104), new Shop.SizeRow(110, 105, 110));
    assertThat(shop.quickReplies(Stage.STATE_1_DISCOVERY)).containsExactly("Сукні", "Костюми");
    assertThat(shop.quickReplies(Stage.STATE_4_OFFER)).isEmpty();
  }

  @Test
  void theSizeChartIncludesBothEndsOfEachRow() {
    Shop shop = Shop.fromJson(minimal());

    assertThat(shop.sizeFor(98)).isEqualTo(OptionalInt.empty());
    assertThat(shop.sizeFor(99)).isEqualTo(OptionalInt.of(104));
    assertThat(shop.sizeFor(104)).isEqualTo(OptionalInt.of(104));
    assertThat(shop.sizeFor(105)).isEqualTo(OptionalInt.of(110));
    assertThat(shop.sizeFor(110)).isEqualTo(OptionalInt.of(110));
    assertThat(shop.sizeFor(111)).isEqualTo(OptionalInt.empty());
  }

  @Test
  void textsFillTheirPlaceholdersAndAMissingTextNamesTheKey() {
    Shop shop = Shop.fromJson(minimal());

    assertThat(shop.text("hello", "name", "Олена", "sum", 1250)).isEqualTo("Вітаю, Олена! Сума 1250 грн");
    assertThat(shop.text("plain")).isEqualTo("Так");
    assertThat(shop.hasText("plain")).isTrue();
    assertThat(shop.hasText("nope")).isFalse();
    assertThatThrownBy(() -> shop.text("nope")).hasMessage("agent.shop: the shop file has no text 'nope'");
  }

  @Test
  void aWrongShopFileIsRefusedNamingWhatIsWrong() {
    JsonObject negative = minimal();
    negative.getJsonObject("payment").put("prepayment", -1);
    assertThatThrownBy(() -> Shop.fromJson(negative)).hasMessage("payment.prepayment must not be negative");
    JsonObject zero = minimal();
    zero.getJsonObject("payment").put("prepayment", 0);
    assertThat(Shop.fromJson(zero).prepayment()).isZero();

    JsonObject noDetails = minimal();
    noDetails.getJsonObject("payment").put("details", " ");
    assertThatThrownBy(() -> Shop.fromJson(noDetails)).hasMessage("payment.details is missing");

    JsonObject badRow = minimal();
    badRow.getJsonArray("size-chart").add(new JsonObject().put("size", 116).put("min-height", 117).put("max-height", 116));
    assertThatThrownBy(() -> Shop.fromJson(badRow)).hasMessageStartingWith("size-chart row 3 needs size");
    JsonObject oneHeight = minimal();
    oneHeight.getJsonArray("size-chart").add(new JsonObject().put("size", 116).put("min-height", 116).put("max-height", 116));
    assertThat(Shop.fromJson(oneHeight).sizeFor(116)).isEqualTo(OptionalInt.of(116));

    JsonObject badState = minimal();
    badState.getJsonObject("quick-replies").put("STATE_HUMAN", new JsonArray());
    assertThatThrownBy(() -> Shop.fromJson(badState)).hasMessageContaining("quick-replies.STATE_HUMAN: not a state");
  }

  @Test
  void loadingNamesTheSettingAndOnlyTheDefaultPathFallsBackToTheBuiltInShop(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> Shop.load(dir.resolve("missing.yaml").toString()))
      .hasMessageContaining("agent.shop").hasMessageContaining("missing.yaml");
    Path broken = dir.resolve("shop.yaml");
    Files.writeString(broken, "payment:\n  prepayment: -5\n  details: x\n");
    assertThatThrownBy(() -> Shop.load(broken.toString()))
      .hasMessageContaining("agent.shop: invalid shop file").hasMessageContaining("must not be negative");
    Path list = dir.resolve("list.yaml");
    Files.writeString(list, "- a\n- b\n");
    assertThatThrownBy(() -> Shop.load(list.toString())).hasMessageContaining("must hold a mapping at the top");

    Shop shipped = Shop.load("../conf/shop.yaml");
    assertThat(shipped.prepayment()).isEqualTo(200);
    assertThat(shipped.text("interim")).isEqualTo("Секунду, уточнюю по наявності та деталях.");
    assertThat(List.of(Stage.values())).allSatisfy(s -> assertThat(shipped.quickReplies(s)).isNotNull());
  }
}
