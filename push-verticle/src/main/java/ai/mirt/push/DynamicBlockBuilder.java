package ai.mirt.push;

import ai.mirt.common.OutMessage;
import ai.mirt.common.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link Reply} into the ManyChat Page API calls that deliver it, within ManyChat's limits: sendContent
 * calls of at most 10 messages and 5 actions each, quick replies on the last one, and the actions that do not fit
 * sent through the subscriber endpoints afterwards. A reply without messages (the {@code needs_human} tag of a turn
 * given up) is only written to the contact: no sendContent, and no {@code ai_responded}. Only {@code /fb/sending/...} and {@code /fb/subscriber/...}
 * paths are produced: the {@code /fb/page/...} tag endpoints act on the whole account.
 */
public final class DynamicBlockBuilder {

  public static final String SEND_CONTENT = "/fb/sending/sendContent";
  public static final String SET_CUSTOM_FIELDS = "/fb/subscriber/setCustomFields";
  public static final String ADD_TAG = "/fb/subscriber/addTagByName";
  public static final String REMOVE_TAG = "/fb/subscriber/removeTagByName";

  /** Tag every delivered reply carries, so ManyChat flows can tell the assistant answered. */
  public static final String RESPONDED_TAG = "ai_responded";
  public static final String STATE_FIELD = "ai_state";
  public static final String INTENT_FIELD = "ai_intent";

  static final int MAX_MESSAGES = 10;
  static final int MAX_ACTIONS = 5;
  static final int MAX_QUICK_REPLIES = 11;
  static final int MAX_CAPTION = 20;
  static final int MAX_FIELDS = 20;

  /** Fields whose value goes out as a JSON number, so the shop can create them as ManyChat Number fields. */
  static final Set<String> NUMBER_FIELDS = Set.of("order_sum");

  private final Map<String, String> names;

  /** With Mirt's default field and tag names. */
  public DynamicBlockBuilder() {
    this(Map.of());
  }

  /** @param names the shop's renames (default name → its name), from {@code manychat.names} */
  public DynamicBlockBuilder(Map<String, String> names) {
    this.names = Map.copyOf(names);
  }

  public List<ManyChatCall> build(Reply reply, String quickReplyFlow) {
    Object subscriberId = subscriberId(reply.subscriberId());
    List<JsonObject> messages = messages(reply);
    List<JsonObject> actions = actions(reply, !messages.isEmpty());
    JsonArray quickReplies = quickReplies(reply, quickReplyFlow);

    List<ManyChatCall> calls = new ArrayList<>();
    int blocks = (messages.size() + MAX_MESSAGES - 1) / MAX_MESSAGES;
    int nextAction = 0;
    for (int b = 0; b < blocks; b++) {
      JsonObject content = new JsonObject()
        .put("type", reply.channel().wire())
        .put("messages", new JsonArray(new ArrayList<>(
          messages.subList(b * MAX_MESSAGES, Math.min(messages.size(), (b + 1) * MAX_MESSAGES)))));
      int end = Math.min(actions.size(), nextAction + MAX_ACTIONS);
      if (end > nextAction) {
        content.put("actions", new JsonArray(new ArrayList<>(actions.subList(nextAction, end))));
      }
      nextAction = end;
      if (b == blocks - 1 && !quickReplies.isEmpty()) {
        content.put("quick_replies", quickReplies);
      }
      JsonObject data = new JsonObject().put("version", "v2").put("content", content);
      calls.add(new ManyChatCall(SEND_CONTENT, new JsonObject().put("subscriber_id", subscriberId).put("data", data)));
    }
    calls.addAll(overflow(subscriberId, actions.subList(nextAction, actions.size())));
    return calls;
  }

  /**
   * ManyChat's schemas type {@code subscriber_id} as an integer: a contact whose id is not a number cannot be
   * addressed through the API, so such a reply is refused here and dead-lettered with this reason.
   */
  static long subscriberId(String id) {
    if (id != null && !id.isEmpty() && id.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Long.parseLong(id);
      } catch (NumberFormatException e) {
        // too large for a ManyChat id: refused below
      }
    }
    throw new IllegalArgumentException("subscriber id '" + id + "' is not a ManyChat contact id (a whole number)");
  }

  private static List<JsonObject> messages(Reply reply) {
    List<JsonObject> out = new ArrayList<>();
    for (OutMessage m : reply.messages()) {
      if (m.kind() == OutMessage.Kind.TEXT) {
        for (String part : TextSplitter.split(m.value())) {
          out.add(new JsonObject().put("type", "text").put("text", part));
        }
      } else if (m.value() != null && !m.value().isBlank()) {
        out.add(new JsonObject().put("type", "image").put("url", m.value().strip()));
      }
    }
    return out;
  }

  private List<JsonObject> actions(Reply reply, boolean answered) {
    List<JsonObject> out = new ArrayList<>();
    if (answered) {
      out.add(tag("add_tag", RESPONDED_TAG));
    }
    if (reply.state() != null) {
      out.add(field(STATE_FIELD, reply.state()));
    }
    if (reply.intent() != null) {
      out.add(field(INTENT_FIELD, reply.intent()));
    }
    for (Map.Entry<String, String> f : reply.fields().entrySet()) {
      out.add(field(f.getKey(), f.getValue()));
    }
    reply.addTags().forEach(t -> out.add(tag("add_tag", t)));
    reply.removeTags().forEach(t -> out.add(tag("remove_tag", t)));
    return out;
  }

  private JsonObject tag(String action, String name) {
    return new JsonObject().put("action", action).put("tag_name", names.getOrDefault(name, name));
  }

  private JsonObject field(String name, String value) {
    return new JsonObject().put("action", "set_field_value").put("field_name", names.getOrDefault(name, name))
      .put("value", NUMBER_FIELDS.contains(name) ? number(value) : value);
  }

  /** A whole or decimal number as a JSON number; anything else is sent as it is and ManyChat decides. */
  private static Object number(String value) {
    try {
      return value.contains(".") ? (Object) Double.parseDouble(value) : (Object) Long.parseLong(value);
    } catch (NumberFormatException e) {
      return value;
    }
  }

  private static JsonArray quickReplies(Reply reply, String flow) {
    JsonArray out = new JsonArray();
    if (flow == null || flow.isBlank()) {
      return out;
    }
    for (String caption : reply.quickReplies()) {
      if (out.size() == MAX_QUICK_REPLIES) {
        break;
      }
      if (caption == null || caption.isBlank()) {
        continue;
      }
      out.add(new JsonObject().put("type", "flow").put("caption", cut(caption.strip(), MAX_CAPTION))
        .put("target", flow.strip()));
    }
    return out;
  }

  /** The first {@code max} code points: ManyChat counts characters, and a cut must not split a surrogate pair. */
  static String cut(String s, int max) {
    if (s.codePointCount(0, s.length()) <= max) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, max)).strip();
  }

  /** The sendContent call without its actions: the messages alone, when ManyChat refused a field or tag. */
  static ManyChatCall withoutActions(ManyChatCall call) {
    JsonObject body = call.body().copy();
    JsonObject content = body.getJsonObject("data").getJsonObject("content");
    content.remove("actions");
    return new ManyChatCall(call.path(), body);
  }

  /** The actions of a sendContent call, as the subscriber-endpoint calls that carry them out alone. */
  static List<ManyChatCall> actionCalls(ManyChatCall call) {
    JsonArray actions = call.body().getJsonObject("data").getJsonObject("content").getJsonArray("actions");
    List<JsonObject> list = new ArrayList<>();
    if (actions != null) {
      actions.forEach(a -> list.add((JsonObject) a));
    }
    return overflow(call.body().getValue("subscriber_id"), list);
  }

  /** Actions that did not fit the sendContent calls, through the subscriber endpoints: fields, then tags. */
  private static List<ManyChatCall> overflow(Object subscriberId, List<JsonObject> actions) {
    List<ManyChatCall> calls = new ArrayList<>();
    JsonArray fields = new JsonArray();
    for (JsonObject a : actions) {
      if ("set_field_value".equals(a.getString("action"))) {
        fields.add(new JsonObject().put("field_name", a.getString("field_name")).put("field_value", a.getValue("value")));
        if (fields.size() == MAX_FIELDS) {
          calls.add(setFields(subscriberId, fields));
          fields = new JsonArray();
        }
      }
    }
    if (!fields.isEmpty()) {
      calls.add(setFields(subscriberId, fields));
    }
    for (String action : List.of("add_tag", "remove_tag")) {
      String path = action.equals("add_tag") ? ADD_TAG : REMOVE_TAG;
      for (JsonObject a : actions) {
        if (action.equals(a.getString("action"))) {
          calls.add(new ManyChatCall(path, new JsonObject().put("subscriber_id", subscriberId)
            .put("tag_name", a.getString("tag_name"))));
        }
      }
    }
    return calls;
  }

  private static ManyChatCall setFields(Object subscriberId, JsonArray fields) {
    return new ManyChatCall(SET_CUSTOM_FIELDS, new JsonObject().put("subscriber_id", subscriberId).put("fields", fields));
  }
}
