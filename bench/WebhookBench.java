import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Run with {@code java bench/WebhookBench.java BASE_URL WEBHOOK_TOKEN ADMIN_TOKEN [subscribers] [messages]
 * [concurrency]}; {@code bench/run.sh} starts Mirt and runs it. Only loopback targets are accepted.
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
    // the subscribers run concurrently.
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
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/webhooks/manychat"))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json").header("X-ManyChat-Token", token)
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
          out.add(new long[] {System.nanoTime() - t0, r.statusCode()});
        }
        return out;
      }));
    }
    List<Long> latencies = new ArrayList<>();
    int failed = 0;
    for (Future<List<long[]>> f : results) {
      for (long[] r : f.get()) {
        latencies.add(r[0]);
        if (r[1] != 202) {
          failed++;
        }
      }
    }
    long postedNanos = System.nanoTime() - start;
    pool.shutdown();
    Collections.sort(latencies);
    int total = latencies.size();
    System.out.printf("posted %d messages (%d subscribers x %d) with %d connections in %.2f s: %.0f req/s, %d not 202%n",
      total, subscribers, perSubscriber, concurrency, postedNanos / 1e9, total / (postedNanos / 1e9), failed);
    System.out.printf("ack latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n", pct(latencies, 50), pct(latencies, 95),
      pct(latencies, 99), latencies.get(total - 1) / 1e6);

    // Replies: poll the outbox (bounded) until every subscriber has one.
    Pattern sub = Pattern.compile("\"subscriberId\"\\s*:\\s*\"(\\d+)\"");
    Map<String, Integer> replies = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/outbox"))
        .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
      replies.clear();
      Matcher m = sub.matcher(r.body());
      while (m.find()) {
        replies.merge(m.group(1), 1, Integer::sum);
      }
      if (replies.size() >= subscribers) {
        break;
      }
      Thread.sleep(100);
    }
    long doneNanos = System.nanoTime() - start;
    long multiple = replies.values().stream().filter(n -> n > 1).count();
    System.out.printf("replies: %d of %d subscribers answered, %d with more than one reply, last reply %.2f s after the first post%n",
      replies.size(), subscribers, multiple, doneNanos / 1e9);
  }

  private static double pct(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, i)) / 1e6;
  }
}
