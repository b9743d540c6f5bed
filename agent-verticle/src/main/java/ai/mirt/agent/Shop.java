package ai.mirt.agent;

import ai.mirt.common.Setting;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The shop's own words and facts, from {@code conf/shop.yaml}: every text the assistant sends, the quick replies per
 * stage, the size chart, the prepayment and the payment details, and the follow-up reminder per stage. Nothing a
 * shop would change lives in code.
 */
public final class Shop {

  static final String SETTING = "agent.shop";
  private static final String DEFAULT_PATH = Setting.byPath(SETTING).orElseThrow().defaultValue();

  /** One row of the size chart: children from {@code minHeight} to {@code maxHeight} cm wear {@code size}. */
  public record SizeRow(int size, int minHeight, int maxHeight) {
  }

  private final String name;
  private final int prepayment;
  private final String paymentDetails;
  private final List<SizeRow> sizeChart;
  private final Map<Stage, List<String>> quickReplies;
  private final Map<String, String> texts;
  private final Map<Stage, String> followUps;

  /** The stages a customer may go quiet in and get one reminder. */
  public static final java.util.Set<Stage> FOLLOW_UP_STAGES = java.util.EnumSet.of(Stage.STATE_1_DISCOVERY,
    Stage.STATE_2_VISION, Stage.STATE_3_SIZE_COLOR, Stage.STATE_4_OFFER, Stage.STATE_5_PAYMENT_DELIVERY);

  public Shop(String name, int prepayment, String paymentDetails, List<SizeRow> sizeChart,
              Map<Stage, List<String>> quickReplies, Map<String, String> texts) {
    this(name, prepayment, paymentDetails, sizeChart, quickReplies, texts, Map.of());
  }

  public Shop(String name, int prepayment, String paymentDetails, List<SizeRow> sizeChart,
              Map<Stage, List<String>> quickReplies, Map<String, String> texts, Map<Stage, String> followUps) {
    this.name = name;
    this.prepayment = prepayment;
    this.paymentDetails = paymentDetails;
    this.sizeChart = List.copyOf(sizeChart);
    Map<Stage, List<String>> qr = new EnumMap<>(Stage.class);
    quickReplies.forEach((k, v) -> qr.put(k, List.copyOf(v)));
    this.quickReplies = Collections.unmodifiableMap(qr);
    this.texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
    Map<Stage, String> fu = new EnumMap<>(Stage.class);
    fu.putAll(followUps);
    this.followUps = Collections.unmodifiableMap(fu);
  }

  /** The shop at {@code path} (the {@code agent.shop} setting); the exception names the setting and the problem. */
  public static Shop load(String path) {
    String text = ShopFiles.read(SETTING, path, DEFAULT_PATH);
    try {
      return fromJson(ShopFiles.yaml(SETTING, path, text));
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalStateException(SETTING + ": invalid shop file '" + path + "': " + e.getMessage(), e);
    }
  }

  public static Shop fromJson(JsonObject json) {
    JsonObject payment = json.getJsonObject("payment", new JsonObject());
    int prepayment = payment.getInteger("prepayment", 0);
    if (prepayment < 0) {
      throw new IllegalArgumentException("payment.prepayment must not be negative");
    }
    String details = payment.getString("details", "");
    if (details.isBlank()) {
      throw new IllegalArgumentException("payment.details is missing");
    }
    List<SizeRow> chart = new ArrayList<>();
    JsonArray rows = json.getJsonArray("size-chart", new JsonArray());
    for (int i = 0; i < rows.size(); i++) {
      JsonObject r = rows.getJsonObject(i);
      Integer size = r.getInteger("size");
      Integer min = r.getInteger("min-height");
      Integer max = r.getInteger("max-height");
      if (size == null || min == null || max == null || min > max) {
        throw new IllegalArgumentException("size-chart row " + (i + 1) + " needs size, min-height and max-height "
          + "with min-height ≤ max-height: " + r.encode());
      }
      chart.add(new SizeRow(size, min, max));
    }
    Map<Stage, List<String>> qr = new EnumMap<>(Stage.class);
    JsonObject quick = json.getJsonObject("quick-replies", new JsonObject());
    for (String key : quick.fieldNames()) {
      Stage stage = Stage.fromWire(key).orElseThrow(() -> new IllegalArgumentException(
        "quick-replies." + key + ": not a state (STATE_0_INIT … STATE_9_OOD)"));
      List<String> captions = new ArrayList<>();
      quick.getJsonArray(key, new JsonArray()).forEach(c -> captions.add(String.valueOf(c)));
      qr.put(stage, captions);
    }
    Map<String, String> texts = new LinkedHashMap<>();
    json.getJsonObject("texts", new JsonObject()).forEach(e -> texts.put(e.getKey(), String.valueOf(e.getValue())));
    Map<Stage, String> followUps = new EnumMap<>(Stage.class);
    JsonObject fu = json.getJsonObject("followups", new JsonObject());
    for (String key : fu.fieldNames()) {
      Stage stage = Stage.fromWire(key).filter(FOLLOW_UP_STAGES::contains).orElseThrow(() ->
        new IllegalArgumentException("followups." + key + ": reminders are sent in STATE_1_DISCOVERY … "
          + "STATE_5_PAYMENT_DELIVERY only"));
      String text = fu.getValue(key) == null ? "" : String.valueOf(fu.getValue(key)).strip();
      if (!text.isEmpty()) {
        followUps.put(stage, text);
      }
    }
    return new Shop(json.getString("name", "shop"), prepayment, details.strip(), chart, qr, texts, followUps);
  }

  public String name() {
    return name;
  }

  /** The prepayment in UAH a customer may pay instead of the full sum; 0 = full payment only. */
  public int prepayment() {
    return prepayment;
  }

  /** Where to pay: receiver, IBAN or card, purpose. */
  public String paymentDetails() {
    return paymentDetails;
  }

  public List<SizeRow> sizeChart() {
    return sizeChart;
  }

  /** The size for a child of {@code heightCm} by the size chart; empty when the chart has no row for it. */
  public OptionalInt sizeFor(int heightCm) {
    return sizeChart.stream().filter(r -> heightCm >= r.minHeight() && heightCm <= r.maxHeight())
      .mapToInt(SizeRow::size).findFirst();
  }

  /** The quick replies the shop offers in {@code stage}; empty when it offers none. */
  public List<String> quickReplies(Stage stage) {
    return quickReplies.getOrDefault(stage, List.of());
  }

  /**
   * The reminder for a customer who went quiet in {@code stage}, with {@code {product}} (the product being discussed,
   * or {@code fallbackProduct}) and {@code {categories}} filled; empty when the shop sends none in that stage.
   */
  public java.util.Optional<String> followUp(Stage stage, String product, String categories) {
    String t = followUps.get(stage);
    if (t == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(t.replace("{product}", product).replace("{categories}", categories).strip());
  }

  public boolean hasText(String key) {
    return texts.containsKey(key);
  }

  /**
   * The shop's text {@code key} with {@code {placeholders}} filled from {@code values} (pairs: name, value).
   *
   * @throws IllegalStateException naming the key when the shop file lacks it
   */
  public String text(String key, Object... values) {
    String t = texts.get(key);
    if (t == null) {
      throw new IllegalStateException(SETTING + ": the shop file has no text '" + key + "'");
    }
    for (int i = 0; i + 1 < values.length; i += 2) {
      t = t.replace("{" + values[i] + "}", String.valueOf(values[i + 1]));
    }
    return t.strip();
  }
}
