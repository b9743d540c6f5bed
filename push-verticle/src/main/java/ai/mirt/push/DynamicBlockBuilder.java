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
 * paths are produced: the {@code /fb/page/...} tag endpoints act on the whole account. In response mode
 * {@link #forResponse} cuts the same reply into the one block a held webhook request is answered with, and the
 * calls the rest needs.
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
    Parts parts = parts(reply, quickReplyFlow, false);
    List<ManyChatCall> calls = new ArrayList<>();
    parts.contents.forEach(content -> calls.add(sendContent(parts.subscriberId, content)));
    calls.addAll(overflow(parts.subscriberId, parts.overflow));
    return calls;
  }

  /**
   * A reply as the answer to a webhook request held open for it (response mode).
   *
   * @param block      the Dynamic Block v2 the request is answered with: the first 10 messages (none for a reply
   *                   without messages: {@code "messages": []}), the first 5 actions and the quick replies
   * @param blockCalls the same block as API calls, for when no request waits for it any more: one sendContent, or,
   *                   for a block without messages, its actions through the subscriber endpoints (maybe none)
   * @param rest       what the block cannot carry, through the API: further sendContent calls of 10 messages and 5
   *                   actions each, then the actions left over through the subscriber endpoints
   */
  public record Response(JsonObject block, List<ManyChatCall> blockCalls, List<ManyChatCall> rest) {

    public Response {
      blockCalls = List.copyOf(blockCalls);
      rest = List.copyOf(rest);
    }

    /**
     * Every call of the reply through the API: {@code blockCalls} then {@code rest}. Once the block answered the
     * request, delivery goes on after {@code blockCalls}; when no request took it, delivery starts at the first.
     */
    public List<ManyChatCall> calls() {
      List<ManyChatCall> all = new ArrayList<>(blockCalls);
      all.addAll(rest);
      return all;
    }
  }

  /**
   * The reply as the answer to a held webhook request: always exactly one block, whatever the reply holds, so that the
   * request gets its answer even for a reply without messages. The same splitting, names and quick replies as
   * {@link #build}; the quick replies go on the block (the one the customer surely sees), not on the last call.
   */
  public Response forResponse(Reply reply, String quickReplyFlow) {
    Parts parts = parts(reply, quickReplyFlow, true);
    JsonObject first = parts.contents.get(0);
    List<ManyChatCall> blockCalls = first.getJsonArray("messages").isEmpty()
      ? overflow(parts.subscriberId, list(first.getJsonArray("actions")))
      : List.of(sendContent(parts.subscriberId, first));
    List<ManyChatCall> rest = new ArrayList<>();
    parts.contents.subList(1, parts.contents.size()).forEach(c -> rest.add(sendContent(parts.subscriberId, c)));
    rest.addAll(overflow(parts.subscriberId, parts.overflow));
    return new Response(block(first), blockCalls, rest);
  }

  /**
   * A reply cut to ManyChat's limits.
   *
   * @param contents the blocks' contents: 10 messages and 5 actions each, quick replies on one of them
   * @param overflow the actions no block carries
   */
  private record Parts(Object subscriberId, List<JsonObject> contents, List<JsonObject> overflow) {
  }

  /**
   * @param forResponse at least one block even without messages, and the quick replies on the first block rather
   *                    than the last
   */
  private Parts parts(Reply reply, String quickReplyFlow, boolean forResponse) {
    Object subscriberId = subscriberId(reply.subscriberId());
    List<JsonObject> messages = messages(reply);
    List<JsonObject> actions = actions(reply, !messages.isEmpty());
    JsonArray quickReplies = quickReplies(reply, quickReplyFlow);

    List<JsonObject> contents = new ArrayList<>();
    int blocks = Math.max(forResponse ? 1 : 0, (messages.size() + MAX_MESSAGES - 1) / MAX_MESSAGES);
    int quickRepliesOn = forResponse ? 0 : blocks - 1;
    int nextAction = 0;
    for (int b = 0; b < blocks; b++) {
      JsonObject content = new JsonObject()
        .put("type", reply.channel().wire())
        .put("messages", new JsonArray(new ArrayList<>(
          messages.subList(Math.min(messages.size(), b * MAX_MESSAGES),
            Math.min(messages.size(), (b + 1) * MAX_MESSAGES)))));
      int end = Math.min(actions.size(), nextAction + MAX_ACTIONS);
      if (end > nextAction) {
        content.put("actions", new JsonArray(new ArrayList<>(actions.subList(nextAction, end))));
      }
      nextAction = end;
      if (b == quickRepliesOn && !quickReplies.isEmpty()) {
        content.put("quick_replies", quickReplies);
      }
      contents.add(content);
    }
    return new Parts(subscriberId, contents, actions.subList(nextAction, actions.size()));
  }

  private static JsonObject block(JsonObject content) {
    return new JsonObject().put("version", "v2").put("content", content);
  }

  private static ManyChatCall sendContent(Object subscriberId, JsonObject content) {
    return new ManyChatCall(SEND_CONTENT, new JsonObject().put("subscriber_id", subscriberId)
      .put("data", block(content.copy())));
  }

  private static List<JsonObject> list(JsonArray array) {
    List<JsonObject> out = new ArrayList<>();
    if (array != null) {
      array.forEach(a -> out.add((JsonObject) a));
    }
    return out;
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
    return overflow(call.body().getValue("subscriber_id"), list(actions));
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
