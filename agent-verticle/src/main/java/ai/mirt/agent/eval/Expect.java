package ai.mirt.agent.eval;

import ai.mirt.agent.Answer;
import ai.mirt.agent.Intent;
import ai.mirt.agent.Stage;
import ai.mirt.common.OutMessage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the answer to one scripted turn must show; {@code null} (or an empty list) expects nothing. Each expectation
 * that does not hold becomes one difference that names the script's key, what was expected and what the answer did,
 * so whoever reads the table knows which line of the script to look at.
 *
 * @param state       the stage after the turn
 * @param intent      the turn's intent
 * @param fields      fields the answer writes with these values; a {@code null} value: the field is not written
 * @param tags        tags the answer adds
 * @param removedTags tags the answer removes
 * @param noTags      tags the answer must not add
 * @param says        phrases the reply contains
 * @param notSays     phrases the reply does not contain
 * @param photos      the exact number of photos
 * @param escalated   whether a person takes over
 * @param escalation  why, when that matters; implies {@code escalated}
 * @param order       whether the answer carries an order to store and post
 * @param orderStatus the status of that order; implies {@code order}
 */
public record Expect(Stage state, Intent intent, Map<String, String> fields, List<String> tags,
                     List<String> removedTags, List<String> noTags, List<String> says, List<String> notSays,
                     Integer photos, Boolean escalated, String escalation, Boolean order, String orderStatus) {

  public static final Expect NOTHING = new Expect(null, null, null, null, null, null, null, null, null, null, null,
    null, null);

  /** How much of the reply a difference quotes: enough to see what went wrong, short enough for a table. */
  private static final int QUOTE_LENGTH = 240;

  public Expect {
    // A null value means "not written", so the map keeps nulls (Map.copyOf would refuse them).
    fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    tags = tags == null ? List.of() : List.copyOf(tags);
    removedTags = removedTags == null ? List.of() : List.copyOf(removedTags);
    noTags = noTags == null ? List.of() : List.copyOf(noTags);
    says = says == null ? List.of() : List.copyOf(says);
    notSays = notSays == null ? List.of() : List.copyOf(notSays);
    escalated = escalation != null ? Boolean.TRUE : escalated;
    order = orderStatus != null ? Boolean.TRUE : order;
  }

  /** Every expectation the answer does not meet, in the order of the script's keys; empty when it meets them all. */
  public List<String> differences(Answer a) {
    List<String> out = new ArrayList<>();
    if (state != null && a.stage() != state) {
      out.add("state expected " + state + ", got " + a.stage());
    }
    if (intent != null && a.intent() != intent) {
      out.add("intent expected " + intent + ", got " + a.intent());
    }
    fields.forEach((name, value) -> field(out, name, value, a.fields()));
    List<String> missingTags = tags.stream().filter(t -> !a.addTags().contains(t)).toList();
    if (!missingTags.isEmpty()) {
      out.add("tags expected " + String.join(", ", missingTags) + ", added " + a.addTags());
    }
    List<String> notRemoved = removedTags.stream().filter(t -> !a.removeTags().contains(t)).toList();
    if (!notRemoved.isEmpty()) {
      out.add("removed_tags expected " + String.join(", ", notRemoved) + ", removed " + a.removeTags());
    }
    List<String> unwanted = noTags.stream().filter(a.addTags()::contains).toList();
    if (!unwanted.isEmpty()) {
      out.add("no_tags " + String.join(", ", unwanted) + " added");
    }
    String reply = a.text();
    List<String> unsaid = says.stream().filter(p -> !Phrases.contains(reply, p)).toList();
    if (!unsaid.isEmpty()) {
      out.add("says expected " + quoted(unsaid) + ", the reply: " + quote(reply));
    }
    List<String> said = notSays.stream().filter(p -> Phrases.contains(reply, p)).toList();
    if (!said.isEmpty()) {
      out.add("not_says " + quoted(said) + " in the reply: " + quote(reply));
    }
    long images = a.messages().stream().filter(m -> m.kind() == OutMessage.Kind.IMAGE).count();
    if (photos != null && images != photos) {
      out.add("photos expected " + photos + ", got " + images);
    }
    escalation(out, a.escalation());
    order(out, a);
    return out;
  }

  private static void field(List<String> out, String name, String value, Map<String, String> written) {
    String got = written.get(name);
    if (value == null) {
      if (got != null) {
        out.add("field " + name + " expected not written, got \"" + got + "\"");
      }
    } else if (got == null) {
      out.add("field " + name + " expected \"" + value + "\", not written");
    } else if (!value.equals(got)) {
      out.add("field " + name + " expected \"" + value + "\", got \"" + got + "\"");
    }
  }

  private void escalation(List<String> out, String got) {
    if (escalated == null) {
      return;
    }
    String was = got == null ? "none" : got;
    if (!escalated && got != null) {
      out.add("escalation expected none, got " + was);
    } else if (escalated && escalation == null && got == null) {
      out.add("escalation expected (any reason), got none");
    } else if (escalation != null && !escalation.equals(got)) {
      out.add("escalation expected " + escalation + ", got " + was);
    }
  }

  private void order(List<String> out, Answer a) {
    if (order == null) {
      return;
    }
    if (!order && a.order() != null) {
      out.add("order expected none, got " + a.order().getString("id") + " (" + a.order().getString("status") + ")");
    } else if (order && a.order() == null) {
      out.add("order expected" + (orderStatus == null ? "" : " (" + orderStatus + ")") + ", got none");
    } else if (orderStatus != null && !orderStatus.equals(a.order().getString("status"))) {
      out.add("order_status expected " + orderStatus + ", got " + a.order().getString("status"));
    }
  }

  private static String quoted(List<String> phrases) {
    return phrases.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", "));
  }

  /** The reply on one line, shortened. */
  static String quote(String text) {
    String line = text.strip().replaceAll("\\s*\\R\\s*", " / ");
    if (line.codePointCount(0, line.length()) > QUOTE_LENGTH) {
      line = line.substring(0, line.offsetByCodePoints(0, QUOTE_LENGTH)).stripTrailing() + "…";
    }
    return "\"" + line + "\"";
  }
}
