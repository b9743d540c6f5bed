package ai.mirt.agent;

import ai.mirt.common.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * What the agent remembers about one subscriber between turns: plain values only, so any store can keep it as JSON.
 *
 * @param history         the latest messages, oldest first
 * @param stage           the sales stage ({@link Stages})
 * @param shownProductIds the products shown in the latest answer that showed any
 * @param focusProductId  the product being discussed, or {@code null}
 * @param customerName    the customer's first name when known, or {@code null}
 */
public record Conversation(List<Entry> history, String stage, List<String> shownProductIds, String focusProductId,
                           String customerName) {

  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";

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

  public Conversation {
    history = history == null ? List.of() : List.copyOf(history);
    stage = stage == null || stage.isBlank() ? Stages.NEW : stage;
    shownProductIds = shownProductIds == null ? List.of() : List.copyOf(shownProductIds);
  }

  public static Conversation empty() {
    return new Conversation(List.of(), Stages.NEW, List.of(), null, null);
  }

  public boolean isNew() {
    return history.isEmpty();
  }

  /** This conversation after one exchange, keeping only the latest {@code maxHistory} messages. */
  public Conversation after(String userText, String assistantText, String newStage, List<String> shown, String focus,
                            String name, int maxHistory) {
    List<Entry> next = new ArrayList<>(history);
    next.add(new Entry(USER, userText));
    next.add(new Entry(ASSISTANT, assistantText));
    int keep = Math.max(0, maxHistory);
    List<Entry> capped = next.size() > keep ? next.subList(next.size() - keep, next.size()) : next;
    return new Conversation(capped, newStage, shown, focus, name);
  }

  public JsonObject toJson() {
    JsonArray h = new JsonArray();
    history.forEach(e -> h.add(e.toJson()));
    return new JsonObject()
      .put("history", h)
      .put("stage", stage)
      .put("shownProductIds", Json.strings(shownProductIds))
      .put("focusProductId", focusProductId)
      .put("customerName", customerName);
  }

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
    return new Conversation(history, json.getString("stage"), Json.strings(json.getJsonArray("shownProductIds")),
      json.getString("focusProductId"), json.getString("customerName"));
  }
}
