package ai.mirt.agent;

import ai.mirt.common.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the assistant remembers about one subscriber between turns: plain values only, so any store keeps it as JSON.
 *
 * @param history         the latest messages, oldest first, at most the configured number
 * @param stage           where the sale stands ({@link Stage})
 * @param shownProductIds the products the latest answer that showed any was about
 * @param focusProductId  the product being discussed, or {@code null}
 * @param size            the size (cm) chosen for the focused product, or {@code null}
 * @param color           the colour chosen for the focused product, or {@code null}
 * @param customerName    the customer's first name from ManyChat, or {@code null}
 * @param client          the delivery details collected so far
 * @param cart            the order's lines: the accepted offer, and an upsell the customer took
 * @param orderId         the id of the order once the customer confirmed it, or {@code null}
 * @param orderStatus     {@code null} (no order yet), {@code confirmed} or {@code paid}
 * @param flags           small facts that change what comes next ({@link #NEEDS_HUMAN}, {@link #UPSELL_OFFERED}, …)
 */
public record Conversation(List<Entry> history, Stage stage, List<String> shownProductIds, String focusProductId,
                           Integer size, String color, String customerName, Client client, List<Line> cart,
                           String orderId, String orderStatus, Set<String> flags) {

  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";

  /** The contact carries the needs_human tag: a normal answer removes it. */
  public static final String NEEDS_HUMAN = "needs_human";
  /** The order_started tag was added. */
  public static final String ORDER_STARTED = "order_started";
  /** The one upsell suggestion of this order was made. */
  public static final String UPSELL_OFFERED = "upsell_offered";
  /** The assistant showed the delivery details and asked the customer to confirm them. */
  public static final String AWAITING_CONFIRMATION = "awaiting_confirmation";

  public static final String CONFIRMED = "confirmed";
  public static final String PAID = "paid";

  /** One message of the history; {@code role} is {@link #USER} or {@link #ASSISTANT}. */
  public record Entry(String role, String text) {
    public JsonObject toJson() {
      return new JsonObject().put("role", role).put("text", text);
    }

    public static Entry fromJson(JsonObject json) {
      String role = Json.required(json, "role");
      if (!USER.equals(role) && !ASSISTANT.equals(role)) {
        throw new IllegalArgumentException("unknown role '" + role + "'");
      }
      return new Entry(role, json.getString("text", ""));
    }
  }

  /** Delivery details; each {@code null} until known. The phone is normalised ({@code +380…}). */
  public record Client(String name, String phone, String city, String branch) {
    public static final Client EMPTY = new Client(null, null, null, null);

    public boolean complete() {
      return name != null && phone != null && city != null && branch != null;
    }

    JsonObject toJson() {
      return new JsonObject().put("name", name).put("phone", phone).put("city", city).put("branch", branch);
    }

    static Client fromJson(JsonObject json) {
      return json == null ? EMPTY : new Client(json.getString("name"), json.getString("phone"), json.getString("city"),
        json.getString("branch"));
    }
  }

  /** One line of the order, at the catalog price when it was added. */
  public record Line(String productId, String name, int size, String color, int price) {
    JsonObject toJson() {
      return new JsonObject().put("productId", productId).put("name", name).put("size", size).put("color", color)
        .put("price", price);
    }

    static Line fromJson(JsonObject json) {
      return new Line(Json.required(json, "productId"), json.getString("name", ""), json.getInteger("size", 0),
        json.getString("color", ""), json.getInteger("price", 0));
    }
  }

  public Conversation {
    history = history == null ? List.of() : List.copyOf(history);
    stage = stage == null ? Stage.STATE_0_INIT : stage;
    shownProductIds = shownProductIds == null ? List.of() : List.copyOf(shownProductIds);
    client = client == null ? Client.EMPTY : client;
    cart = cart == null ? List.of() : List.copyOf(cart);
    flags = flags == null ? Set.of() : Set.copyOf(flags);
  }

  public static Conversation empty() {
    return new Conversation(List.of(), Stage.STATE_0_INIT, List.of(), null, null, null, null, null, null, null, null,
      null);
  }

  public boolean isNew() {
    return history.isEmpty();
  }

  public boolean has(String flag) {
    return flags.contains(flag);
  }

  /** The order total: the sum of the cart's lines. */
  public int orderSum() {
    return cart.stream().mapToInt(Line::price).sum();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** This conversation after one exchange, keeping only the latest {@code maxHistory} messages. */
  public Conversation withExchange(String userText, String assistantText, int maxHistory) {
    List<Entry> next = new ArrayList<>(history);
    next.add(new Entry(USER, userText));
    next.add(new Entry(ASSISTANT, assistantText));
    int keep = Math.max(0, maxHistory);
    List<Entry> capped = next.size() > keep ? next.subList(next.size() - keep, next.size()) : next;
    return toBuilder().history(capped).build();
  }

  /**
   * This conversation with one more message of {@code role} ({@link #USER} or {@link #ASSISTANT}), keeping only the
   * latest {@code maxHistory}: what a customer wrote while the assistant was silent, or a reminder it sent.
   */
  public Conversation withMessage(String role, String text, int maxHistory) {
    List<Entry> next = new ArrayList<>(history);
    next.add(new Entry(role, text));
    int keep = Math.max(0, maxHistory);
    return toBuilder().history(next.size() > keep ? next.subList(next.size() - keep, next.size()) : next).build();
  }

  public JsonObject toJson() {
    JsonArray h = new JsonArray();
    history.forEach(e -> h.add(e.toJson()));
    JsonArray c = new JsonArray();
    cart.forEach(l -> c.add(l.toJson()));
    return new JsonObject()
      .put("history", h)
      .put("stage", stage.name())
      .put("shownProductIds", Json.strings(shownProductIds))
      .put("focusProductId", focusProductId)
      .put("size", size)
      .put("color", color)
      .put("customerName", customerName)
      .put("client", client.toJson())
      .put("cart", c)
      .put("orderId", orderId)
      .put("orderStatus", orderStatus)
      .put("flags", Json.strings(new ArrayList<>(new java.util.TreeSet<>(flags))));
  }

  /** Reads a stored conversation; a stage this version does not know starts the sale over ({@code STATE_0_INIT}). */
  public static Conversation fromJson(JsonObject json) {
    if (json == null) {
      return empty();
    }
    List<Entry> history = new ArrayList<>();
    for (Object o : json.getJsonArray("history", new JsonArray())) {
      if (!(o instanceof JsonObject e)) {
        throw new IllegalArgumentException("history must hold objects");
      }
      history.add(Entry.fromJson(e));
    }
    List<Line> cart = new ArrayList<>();
    for (Object o : json.getJsonArray("cart", new JsonArray())) {
      if (!(o instanceof JsonObject l)) {
        throw new IllegalArgumentException("cart must hold objects");
      }
      cart.add(Line.fromJson(l));
    }
    return new Conversation(history, Stage.fromWire(json.getString("stage")).orElse(Stage.STATE_0_INIT),
      Json.strings(json.getJsonArray("shownProductIds")), json.getString("focusProductId"), json.getInteger("size"),
      json.getString("color"), json.getString("customerName"), Client.fromJson(json.getJsonObject("client")), cart,
      json.getString("orderId"), json.getString("orderStatus"),
      new LinkedHashSet<>(Json.strings(json.getJsonArray("flags"))));
  }

  /** Changes a few values of a conversation and keeps the rest. */
  public static final class Builder {
    private List<Entry> history;
    private Stage stage;
    private List<String> shownProductIds;
    private String focusProductId;
    private Integer size;
    private String color;
    private String customerName;
    private Client client;
    private List<Line> cart;
    private String orderId;
    private String orderStatus;
    private final Set<String> flags;

    private Builder(Conversation c) {
      history = c.history;
      stage = c.stage;
      shownProductIds = c.shownProductIds;
      focusProductId = c.focusProductId;
      size = c.size;
      color = c.color;
      customerName = c.customerName;
      client = c.client;
      cart = c.cart;
      orderId = c.orderId;
      orderStatus = c.orderStatus;
      flags = new LinkedHashSet<>(c.flags);
    }

    public Builder history(List<Entry> v) {
      history = v;
      return this;
    }

    public Builder stage(Stage v) {
      stage = v;
      return this;
    }

    public Builder shown(List<String> ids, String focus) {
      shownProductIds = ids;
      if (focus == null || !focus.equals(focusProductId)) {
        size = null;
        color = null;
      }
      focusProductId = focus;
      return this;
    }

    /** The product being discussed; choosing another one forgets the size and colour chosen for the last one. */
    public Builder focus(String productId) {
      return shown(productId == null ? List.of() : List.of(productId), productId);
    }

    public Builder size(Integer v) {
      size = v;
      return this;
    }

    public Builder color(String v) {
      color = v;
      return this;
    }

    public Builder customerName(String v) {
      customerName = v;
      return this;
    }

    public Builder client(Client v) {
      client = v;
      return this;
    }

    public Builder cart(List<Line> v) {
      cart = v;
      return this;
    }

    public Builder order(String id, String status) {
      orderId = id;
      orderStatus = status;
      return this;
    }

    public Builder flag(String flag, boolean on) {
      if (on) {
        flags.add(flag);
      } else {
        flags.remove(flag);
      }
      return this;
    }

    public Conversation build() {
      return new Conversation(history, stage, shownProductIds, focusProductId, size, color, customerName, client, cart,
        orderId, orderStatus, flags);
    }
  }
}
