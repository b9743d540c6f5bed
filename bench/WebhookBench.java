import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load benchmark for a running Mirt in dry-run mode: bursts of messages from many subscribers, posted
 * concurrently to the webhook. Reports acknowledgement latency and throughput, then waits for the replies in
 * the outbox and reports how long the pipeline took and whether every burst got exactly one reply.
 *
 * <p>Only the {@code payloads} of {@code GET /admin/outbox} count as replies, and only those the dry run
 * finished ({@code dry-run} or {@code delivered}); dead letters, listed there too, are reported on their own.
 * Once every subscriber has a reply the benchmark waits until {@code /health} shows no buffered message, no
 * turn in flight and no stored reply left (bounded), then reads the outbox again, so a reply that arrives late
 * still counts as a duplicate.
 *
 * <p>Run with {@code java bench/WebhookBench.java BASE_URL WEBHOOK_TOKEN ADMIN_TOKEN [subscribers] [messages]
 * [concurrency]}; {@code bench/run.sh} starts Mirt and runs it. Only loopback targets are accepted. Exits 1 if a
 * subscriber got no reply or more than one, or a post was not acknowledged with 202.
 */
public class WebhookBench {

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: java WebhookBench.java BASE_URL WEBHOOK_TOKEN ADMIN_TOKEN [subscribers] [messages] [concurrency]");
      System.exit(2);
    }
    String base = args[0].replaceAll("/+$", "");
    String host = URI.create(base).getHost();
    if (!host.equals("localhost") && !host.startsWith("127.")) {
      throw new IllegalArgumentException("the benchmark only targets loopback addresses, not " + host);
    }
    String token = args[1];
    String admin = args[2];
    int subscribers = args.length > 3 ? Integer.parseInt(args[3]) : 500;
    int perSubscriber = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    int concurrency = args.length > 5 ? Integer.parseInt(args[5]) : 32;

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    // One task per subscriber posts its burst back to back, as a customer typing three short messages does;
    // the subscribers run concurrently. A post that fails (timeout, reset) is recorded with status -1.
    List<Future<List<long[]>>> results = new ArrayList<>();
    long start = System.nanoTime();
    for (int s = 0; s < subscribers; s++) {
      long id = 900_000_000L + s;
      results.add(pool.submit(() -> {
        List<long[]> out = new ArrayList<>();
        for (int k = 0; k < perSubscriber; k++) {
          String text = "Привіт! Повідомлення " + (k + 1) + ": які у вас є сукні?";
          String body = "{\"subscriber\":{\"id\":" + id + "},\"message\":{\"text\":\"" + text + "\"},\"type\":\"instagram\"}";
          long t0 = System.nanoTime();
          int status;
          try {
            status = http.send(HttpRequest.newBuilder(URI.create(base + "/webhooks/manychat"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("X-ManyChat-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
          } catch (java.io.IOException e) {
            status = -1;
          }
          out.add(new long[] {System.nanoTime() - t0, status});
        }
        return out;
      }));
    }
    List<Long> latencies = new ArrayList<>();
    Map<Long, Integer> statuses = new TreeMap<>();
    for (Future<List<long[]>> f : results) {
      for (long[] r : f.get()) {
        latencies.add(r[0]);
        statuses.merge(r[1], 1, Integer::sum);
      }
    }
    long postedNanos = System.nanoTime() - start;
    pool.shutdown();
    Collections.sort(latencies);
    int total = latencies.size();
    int failed = total - statuses.getOrDefault(202L, 0);
    System.out.printf("posted %d messages (%d subscribers x %d) with %d connections in %.2f s: %.0f req/s, %d not 202%s%n",
      total, subscribers, perSubscriber, concurrency, postedNanos / 1e9, total / (postedNanos / 1e9), failed,
      failed == 0 ? "" : " (status: count, -1 = no response " + statuses + ")");
    System.out.printf("ack latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n", pct(latencies, 50), pct(latencies, 95),
      pct(latencies, 99), latencies.get(total - 1) / 1e6);

    // Replies: poll the outbox (bounded) until every subscriber has one.
    Outbox outbox = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      outbox = readOutbox(http, base, admin);
      if (outbox.replies.size() >= subscribers) {
        break;
      }
      Thread.sleep(100);
    }
    long doneNanos = System.nanoTime() - start;
    // Then wait (bounded) until nothing is left to do, and read again: a second reply would show now.
    String idle = waitIdle(http, base, Duration.ofSeconds(30));
    outbox = readOutbox(http, base, admin);

    long multiple = outbox.replies.values().stream().filter(turns -> turns.size() > 1).count();
    long sameTurn = outbox.replies.values().stream()
      .filter(turns -> turns.stream().distinct().count() < turns.size()).count();
    System.out.printf("replies: %d of %d subscribers answered, %d with more than one reply (%d of them the same turn twice), last reply %.2f s after the first post%n",
      outbox.replies.size(), subscribers, multiple, sameTurn, doneNanos / 1e9);
    System.out.printf("dead letters: %d%s; after the run: %s%n", outbox.deadLetters.size(),
      outbox.deadLetters.isEmpty() ? "" : " " + outbox.deadLetters.subList(0, Math.min(5, outbox.deadLetters.size())),
      idle);
    outbox.replies.entrySet().stream().filter(e -> e.getValue().size() > 1).limit(5)
      .forEach(e -> System.out.println("  more than one reply: subscriber " + e.getKey() + " turns " + e.getValue()));
    boolean ok = failed == 0 && outbox.replies.size() == subscribers && multiple == 0 && outbox.deadLetters.isEmpty();
    System.exit(ok ? 0 : 1);
  }

  /** Finished replies by subscriber (their turn ids) and dead letters, from {@code GET /admin/outbox}. */
  private record Outbox(Map<String, List<String>> replies, List<String> deadLetters) {}

  @SuppressWarnings("unchecked")
  private static Outbox readOutbox(HttpClient http, String base, String admin) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/outbox"))
      .timeout(Duration.ofSeconds(10))
      .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET /admin/outbox answered " + r.statusCode() + ": " + r.body());
    }
    Map<String, Object> body = (Map<String, Object>) new Json(r.body()).value();
    if (body.get("error") != null) {
      throw new IllegalStateException("GET /admin/outbox: " + body.get("error"));
    }
    Map<String, List<String>> replies = new LinkedHashMap<>();
    for (Object o : (List<Object>) body.getOrDefault("payloads", List.of())) {
      Map<String, Object> p = (Map<String, Object>) o;
      if ("dry-run".equals(p.get("status")) || "delivered".equals(p.get("status"))) {
        replies.computeIfAbsent((String) p.get("subscriberId"), k -> new ArrayList<>()).add((String) p.get("turnId"));
      }
    }
    List<String> dead = new ArrayList<>();
    for (Object o : (List<Object>) body.getOrDefault("deadLetters", List.of())) {
      Map<String, Object> d = (Map<String, Object>) o;
      dead.add(d.get("source") + "/" + d.get("code") + " subscriber " + d.get("subscriberId") + " turn " + d.get("turnId")
        + ": " + d.get("reason"));
    }
    return new Outbox(replies, dead);
  }

  /** Polls {@code /health} until no message is buffered, no turn is in flight and no reply is pending. */
  private static String waitIdle(HttpClient http, String base, Duration limit) throws Exception {
    Pattern field = Pattern.compile("\"(pendingMessages|inFlight|pending)\"\\s*:\\s*(-?\\d+)");
    long t0 = System.nanoTime();
    String last = "";
    while (System.nanoTime() - t0 < limit.toNanos()) {
      String body = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = field.matcher(body);
      boolean idle = true;
      StringBuilder seen = new StringBuilder();
      while (m.find()) {
        idle &= m.group(2).equals("0");
        seen.append(seen.length() == 0 ? "" : ", ").append(m.group(1)).append(' ').append(m.group(2));
      }
      last = seen.toString();
      if (idle && seen.length() > 0) {
        return "idle (" + last + ")";
      }
      Thread.sleep(100);
    }
    return "NOT idle after " + limit.toSeconds() + " s (" + last + ")";
  }

  private static double pct(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, i)) / 1e6;
  }

  /** Just enough JSON for the outbox: objects, arrays, strings, numbers, true, false, null. */
  private static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    Object value() {
      skip();
      char c = s.charAt(i);
      if (c == '{') {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        skip();
        if (s.charAt(i) == '}') {
          i++;
          return m;
        }
        while (true) {
          skip();
          String k = string();
          skip();
          expect(':');
          m.put(k, value());
          skip();
          if (s.charAt(i++) == '}') {
            return m;
          }
        }
      }
      if (c == '[') {
        List<Object> l = new ArrayList<>();
        i++;
        skip();
        if (s.charAt(i) == ']') {
          i++;
          return l;
        }
        while (true) {
          l.add(value());
          skip();
          if (s.charAt(i++) == ']') {
            return l;
          }
        }
      }
      if (c == '"') {
        return string();
      }
      int from = i;
      while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
        i++;
      }
      String word = s.substring(from, i);
      return switch (word) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        case "null" -> null;
        default -> Double.parseDouble(word);
      };
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'u' -> {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> b.append(e);
          }
        } else {
          b.append(c);
        }
      }
    }

    private void expect(char c) {
      if (s.charAt(i++) != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + (i - 1));
      }
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }
}
