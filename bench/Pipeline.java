import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mirt's benchmark client and fakes, in one process. Run with the Mirt jar on the class path (it brings Vert.x):
 *
 * <pre>
 *   java -cp app/target/mirt.jar bench/Pipeline.java serve --port 18091
 *   java -cp app/target/mirt.jar bench/Pipeline.java run --port 18091 --mirt http://127.0.0.1:18090 [options]
 * </pre>
 *
 * Both host, on 127.0.0.1:port, a fake ManyChat (every POST under /fb/ answers 200 {"status":"success","data":{}};
 * the first /fb/sending/sendContent call of each subscriber is timed), a zero-latency OpenAI-compatible model
 * (POST /v1/chat/completions answers at once with one short Ukrainian message in the JSON the sales graph asks for)
 * GET /stats (what the fakes saw, as JSON) and POST /reset (forget it).
 *
 * <p>{@code serve} only hosts them until it is killed. {@code run} also lets N subscribers post B messages each to
 * Mirt's webhook, back to back per subscriber, at most C requests in flight, waits until every subscriber has its
 * sendContent (and Mirt has nothing left to do), reads Mirt's /metrics and prints the figures, the last line
 * machine-readable: {@code BENCH_PIPELINE key=value ...}. Options: --subscribers 3000 --burst 3 --concurrency 64
 * --rate 0 (bursts started per second; 0: as fast as the connections allow) --warmup 0 (the first subscribers, left out
 * of the overhead figures while this process's own code warms up)
 * --quiet 1 (Mirt's quiet window, seconds) --deadline 180 (seconds for the answers) --token bench-hook
 * --id-base 700000000. It exits 1 when a subscriber got no answer.
 */
public class Pipeline {

  /** The model's one message; a sendContent that carries it was written by the (fake) model, not a fallback. */
  static final String MODEL_TEXT = "Вітаю! Підкажіть, будь ласка, зріст дитини, і я підберу сукню.";

  static final String SEND_CONTENT = "/fb/sending/sendContent";

  // A wall clock with sub-millisecond precision: nanoTime anchored once to currentTimeMillis.
  static final long ANCHOR_MS = System.currentTimeMillis();
  static final long ANCHOR_NS = System.nanoTime();

  static double nowMs() {
    return ANCHOR_MS + (System.nanoTime() - ANCHOR_NS) / 1e6;
  }

  /** What the fake ManyChat saw of one subscriber. */
  static final class Seen {
    volatile double firstSendMs; // first sendContent
    final AtomicInteger sends = new AtomicInteger();
    final AtomicInteger modelSends = new AtomicInteger(); // sendContent calls that carry the model's text
  }

  static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();
  static final AtomicLong SEND_CONTENT_CALLS = new AtomicLong();
  static final AtomicLong OTHER_FB_CALLS = new AtomicLong();
  static final AtomicLong MODEL_CALLS = new AtomicLong();
  static final AtomicLong MODEL_TEXT_SENDS = new AtomicLong();
  static volatile double lastSendMs;

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !(args[0].equals("serve") || args[0].equals("run"))) {
      System.err.println("usage: Pipeline serve --port P | run --port P --mirt URL [options]");
      System.exit(2);
    }
    Map<String, String> opt = options(args);
    int port = Integer.parseInt(opt.getOrDefault("port", "18091"));
    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer().requestHandler(Pipeline::fake);
    await(server.listen(port, "127.0.0.1"));
    System.out.println("fake ManyChat and model on 127.0.0.1:" + port);
    if (args[0].equals("serve")) {
      System.out.println("READY");
      System.out.flush();
      Thread.currentThread().join(); // until killed
    }
    int code = new Pipeline(vertx, opt).run();
    vertx.close();
    System.exit(code);
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opt = new HashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      opt.put(args[i].substring(2), args[i + 1]);
    }
    return opt;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  // ---- the fakes

  static void fake(HttpServerRequest req) {
    String path = req.path();
    if (req.method() == HttpMethod.GET && path.equals("/stats")) {
      JsonObject stats = new JsonObject()
        .put("sendContent", SEND_CONTENT_CALLS.get())
        .put("subscribers", SEEN.size())
        .put("modelText", MODEL_TEXT_SENDS.get())
        .put("otherCalls", OTHER_FB_CALLS.get())
        .put("modelCalls", MODEL_CALLS.get());
      req.response().putHeader("content-type", "application/json").end(stats.encode());
      return;
    }
    if (req.method() == HttpMethod.POST && path.equals("/reset")) {
      SEEN.clear();
      SEND_CONTENT_CALLS.set(0);
      OTHER_FB_CALLS.set(0);
      MODEL_CALLS.set(0);
      MODEL_TEXT_SENDS.set(0);
      req.response().end();
      return;
    }
    if (req.method() != HttpMethod.POST) {
      req.response().setStatusCode(404).end();
      return;
    }
    req.body().onSuccess(body -> {
      if (path.startsWith("/fb/")) {
        if (path.equals(SEND_CONTENT)) {
          sendContent(body);
        } else {
          OTHER_FB_CALLS.incrementAndGet();
        }
        req.response().putHeader("content-type", "application/json").end("{\"status\":\"success\",\"data\":{}}");
      } else if (path.equals("/v1/chat/completions")) {
        MODEL_CALLS.incrementAndGet();
        req.response().putHeader("content-type", "application/json").end(completion(body));
      } else {
        req.response().setStatusCode(404).end();
      }
    });
  }

  static void sendContent(Buffer body) {
    double now = nowMs();
    SEND_CONTENT_CALLS.incrementAndGet();
    lastSendMs = now;
    JsonObject json;
    try {
      json = body.toJsonObject();
    } catch (RuntimeException e) {
      return;
    }
    Object id = json.getValue("subscriber_id");
    if (id == null) {
      return;
    }
    Seen seen = SEEN.computeIfAbsent(String.valueOf(id), k -> new Seen());
    if (seen.sends.getAndIncrement() == 0) {
      seen.firstSendMs = now;
    }
    if (carries(json, MODEL_TEXT)) {
      seen.modelSends.incrementAndGet();
      MODEL_TEXT_SENDS.incrementAndGet();
    }
  }

  /** Whether some string inside the JSON value holds the text. */
  static boolean carries(Object value, String text) {
    if (value instanceof String s) {
      return s.contains(text);
    }
    if (value instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) { // the iterator wraps nested maps and lists as JSON
        if (carries(e.getValue(), text)) {
          return true;
        }
      }
    }
    if (value instanceof JsonArray a) {
      for (Object v : a) {
        if (carries(v, text)) {
          return true;
        }
      }
    }
    return false;
  }

  /** An OpenAI chat completion whose content is the JSON the sales graph's model output must be. */
  static String completion(Buffer request) {
    JsonObject content = new JsonObject()
      .put("messages", new JsonArray().add(MODEL_TEXT))
      .put("product_ids", new JsonArray())
      .put("state", "STATE_1_DISCOVERY")
      .put("intent", "DISCOVERY_OR_QUESTION")
      .put("escalation", "")
      .put("client", new JsonObject().put("name", "").put("phone", "").put("city", "").put("branch", ""))
      .put("size", 0)
      .put("color", "");
    String model = "gpt-4o-mini";
    try {
      model = request.toJsonObject().getString("model", model);
    } catch (RuntimeException ignored) {
      // answer anyway
    }
    long now = System.currentTimeMillis();
    return new JsonObject()
      .put("id", "chatcmpl-bench-" + MODEL_CALLS.get())
      .put("object", "chat.completion")
      .put("created", now / 1000)
      .put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", new JsonObject().put("role", "assistant").put("content", content.encode()))
        .put("finish_reason", "stop")))
      .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 10).put("total_tokens", 20))
      .encode();
  }

  // ---- the client

  private final Vertx vertx;
  private final String mirtHost;
  private final int mirtPort;
  private final int subscribers;
  private final int burst;
  private final int concurrency;
  /** Bursts started per second; 0: as fast as the connections allow. */
  private final double rate;
  /** The first subscribers, answered like the others but left out of the overhead: this process warms up. */
  private final int warmup;
  private double postStart;
  private volatile String metricsBefore = "";
  private final double quietMs;
  private final long deadlineMs;
  private final String token;
  private final long idBase;

  private final double[] lastSent;
  private final double[] ackMs;
  private final AtomicInteger acks = new AtomicInteger();
  private final AtomicInteger not202 = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger next = new AtomicInteger();
  private HttpClient client;

  Pipeline(Vertx vertx, Map<String, String> opt) {
    this.vertx = vertx;
    String mirt = opt.getOrDefault("mirt", "http://127.0.0.1:18090").replaceFirst("^http://", "");
    this.mirtHost = mirt.substring(0, mirt.indexOf(':'));
    this.mirtPort = Integer.parseInt(mirt.substring(mirt.indexOf(':') + 1).replaceAll("/.*", ""));
    this.subscribers = Integer.parseInt(opt.getOrDefault("subscribers", "3000"));
    this.burst = Integer.parseInt(opt.getOrDefault("burst", "3"));
    this.concurrency = Integer.parseInt(opt.getOrDefault("concurrency", "64"));
    this.rate = Double.parseDouble(opt.getOrDefault("rate", "0"));
    this.warmup = Integer.parseInt(opt.getOrDefault("warmup", "0"));
    this.quietMs = Double.parseDouble(opt.getOrDefault("quiet", "1")) * 1000;
    this.deadlineMs = Long.parseLong(opt.getOrDefault("deadline", "180")) * 1000;
    this.token = opt.getOrDefault("token", "bench-hook");
    this.idBase = Long.parseLong(opt.getOrDefault("id-base", "700000000"));
    this.lastSent = new double[subscribers];
    this.ackMs = new double[subscribers * burst];
  }

  String id(int i) {
    return Long.toString(idBase + i + 1);
  }

  int run() throws Exception {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(concurrency));
    System.out.printf(Locale.ROOT, "posting %d subscribers x %d messages to %s:%d, %d in flight%n",
      subscribers, burst, mirtHost, mirtPort, concurrency);

    // 1. post: C workers, each takes the next subscriber and posts its burst back to back
    CompletableFuture<Void> posted = new CompletableFuture<>();
    AtomicInteger workers = new AtomicInteger(Math.min(concurrency, subscribers));
    // What Mirt measured before this run (an earlier run on the same Mirt) is left out of its histogram.
    metricsBefore = get("/metrics");
    postStart = nowMs();
    int started = workers.get();
    for (int w = 0; w < started; w++) {
      vertx.runOnContext(v -> nextSubscriber(workers, posted));
    }
    posted.get(deadlineMs, TimeUnit.MILLISECONDS);
    double postEnd = nowMs();
    int posts = subscribers * burst;
    double postRate = posts / ((postEnd - postStart) / 1000);
    double[] acksSorted = Arrays.copyOf(ackMs, acks.get());
    Arrays.sort(acksSorted);
    System.out.printf(Locale.ROOT, "posted %d messages in %.2f s (%.0f/s), ack p50 %.2f ms, p99 %.2f ms, "
        + "not 202: %d, failed: %d%n", posts, (postEnd - postStart) / 1000, postRate, pct(acksSorted, 50),
      pct(acksSorted, 99), not202.get(), failed.get());

    // 2. wait until every subscriber has its first sendContent
    double firstDue = Double.MAX_VALUE;
    double lastDue = 0;
    for (double t : lastSent) {
      firstDue = Math.min(firstDue, t + quietMs);
      lastDue = Math.max(lastDue, t + quietMs);
    }
    double waitUntil = nowMs() + deadlineMs;
    int answered = 0;
    while (nowMs() < waitUntil) {
      answered = answered();
      if (answered == subscribers) {
        break;
      }
      Thread.sleep(20);
    }
    double allAnswered = nowMs();
    System.out.printf(Locale.ROOT, "answered %d of %d subscribers, %.2f s after the first was due%n", answered,
      subscribers, (allAnswered - firstDue) / 1000);

    // 3. let Mirt finish (a late second reply would show up now), then read its metrics
    boolean drained = drain(Math.max(10_000, (long) (waitUntil - nowMs())));
    String metrics = get("/metrics");

    // 4. figures
    List<Double> overheads = new ArrayList<>();
    int answeredAll = 0;
    double lastAnswer = 0;
    int duplicates = 0;
    int modelAnswered = 0;
    int calls = 0;
    for (int i = 0; i < subscribers; i++) {
      Seen seen = SEEN.get(id(i));
      if (seen == null || seen.sends.get() == 0) {
        continue;
      }
      calls += seen.sends.get();
      if (seen.sends.get() > 1) {
        duplicates++;
      }
      if (seen.modelSends.get() > 0) {
        modelAnswered++;
      }
      answeredAll++;
      if (i >= warmup) {
        overheads.add(seen.firstSendMs - (lastSent[i] + quietMs));
      }
      lastAnswer = Math.max(lastAnswer, seen.firstSendMs);
    }
    double[] over = overheads.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double turnsPerS = answeredAll == 0 ? 0 : answeredAll / Math.max(0.001, (lastAnswer - firstDue) / 1000);
    double[] lag = histogram(metrics, metricsBefore, "mirt_debounce_lag_seconds");
    System.out.printf(Locale.ROOT, "turns/s %.0f (%d answered between the first due time and the last sendContent, "
        + "%.2f s; due times spread over %.2f s)%n", turnsPerS, answeredAll, (lastAnswer - firstDue) / 1000,
      (lastDue - firstDue) / 1000);
    System.out.printf(Locale.ROOT, "overhead (sendContent - last message sent - quiet window) of %d subscribers after "
      + "%d to warm up: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", over.length, warmup, pct(over, 50), pct(over, 99),
      over.length == 0 ? Double.NaN : over[over.length - 1]);
    System.out.printf(Locale.ROOT, "subscribers with more than one sendContent: %d; sendContent calls %d; "
        + "with the model's text %d of %d answered; model calls %d; other ManyChat calls %d%n", duplicates, calls,
      modelAnswered, answeredAll, MODEL_CALLS.get(), OTHER_FB_CALLS.get());
    System.out.printf(Locale.ROOT, "debounce lag (mirt_debounce_lag_seconds): %s%n", lag == null ? "n/a"
      : String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms over %.0f turns", lag[0] * 1000, lag[1] * 1000, lag[2]));
    if (!drained) {
      System.out.println("Mirt still had work in /health when the deadline passed");
    }
    System.out.printf(Locale.ROOT, "BENCH_PIPELINE subscribers=%d answered=%d turns_per_s=%.1f overhead_p50_ms=%.2f "
        + "overhead_p99_ms=%.2f overhead_max_ms=%.2f duplicates=%d model_answered=%d model_calls=%d send_content=%d "
        + "post_rps=%.1f ack_p99_ms=%.2f not202=%d failed=%d due_spread_s=%.2f lag_p50_ms=%s lag_p99_ms=%s "
        + "lag_count=%s drained=%s%n", subscribers, answeredAll, turnsPerS, pct(over, 50), pct(over, 99),
      over.length == 0 ? Double.NaN : over[over.length - 1], duplicates, modelAnswered, MODEL_CALLS.get(), calls,
      postRate, pct(acksSorted, 99), not202.get(), failed.get(), (lastDue - firstDue) / 1000,
      lag == null ? "n/a" : String.format(Locale.ROOT, "%.2f", lag[0] * 1000),
      lag == null ? "n/a" : String.format(Locale.ROOT, "%.2f", lag[1] * 1000),
      lag == null ? "n/a" : String.format(Locale.ROOT, "%.0f", lag[2]), drained);
    return answeredAll == subscribers ? 0 : 1;
  }

  private int answered() {
    int n = 0;
    for (int i = 0; i < subscribers; i++) {
      Seen seen = SEEN.get(id(i));
      if (seen != null && seen.sends.get() > 0) {
        n++;
      }
    }
    return n;
  }

  private void nextSubscriber(AtomicInteger workers, CompletableFuture<Void> posted) {
    int i = next.getAndIncrement();
    if (i >= subscribers) {
      if (workers.decrementAndGet() == 0) {
        posted.complete(null);
      }
      return;
    }
    if (warmup > 0 && i == warmup + (int) (rate * (quietMs / 1000 + 0.5))) {
      // The warm-up's last bursts are due by now: Mirt's debounce histogram counts from here.
      client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(mirtHost).setPort(mirtPort)
          .setURI("/metrics"))
        .compose(req -> req.send().compose(resp -> resp.body()))
        .onSuccess(b -> metricsBefore = b.toString());
    }
    // Paced: subscriber i starts its burst i / rate seconds after the first.
    long wait = rate <= 0 ? 0 : (long) (postStart + i * 1000 / rate - nowMs());
    if (wait > 0) {
      vertx.setTimer(wait, id -> post(i, 0, workers, posted));
    } else {
      post(i, 0, workers, posted);
    }
  }

  private void post(int i, int k, AtomicInteger workers, CompletableFuture<Void> posted) {
    Buffer body = Buffer.buffer(new JsonObject()
      .put("subscriber", new JsonObject().put("id", idBase + i + 1))
      .put("message", new JsonObject().put("text", k == 0 ? "Привіт!" : k == 1 ? "Які у вас є сукні?"
        : "Для доньки, 6 років"))
      .put("type", "instagram").encode());
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(mirtHost).setPort(mirtPort)
      .setURI("/webhooks/manychat").putHeader("content-type", "application/json")
      .putHeader("X-ManyChat-Token", token);
    client.request(options).compose(req -> {
      double sent = nowMs();
      if (k == burst - 1) {
        lastSent[i] = sent;
      }
      return req.send(body).compose(resp -> resp.body().map(b -> {
        int n = acks.getAndIncrement();
        if (n < ackMs.length) {
          ackMs[n] = nowMs() - sent;
        }
        if (resp.statusCode() != 202) {
          not202.incrementAndGet();
        }
        return b;
      }));
    }).onComplete(ar -> {
      if (ar.failed()) {
        failed.incrementAndGet();
        if (k == burst - 1 && lastSent[i] == 0) {
          lastSent[i] = nowMs();
        }
      }
      if (k + 1 < burst) {
        post(i, k + 1, workers, posted);
      } else {
        nextSubscriber(workers, posted);
      }
    });
  }

  private String get(String uri) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(mirtHost).setPort(mirtPort)
      .setURI(uri);
    return await(client.request(options).compose(req -> req.send().compose(resp -> resp.body()))).toString();
  }

  /** Polls /health until nothing is buffered, in flight or waiting to be pushed. */
  private boolean drain(long limitMs) throws Exception {
    double until = nowMs() + limitMs;
    while (nowMs() < until) {
      try {
        JsonObject c = new JsonObject(get("/health")).getJsonObject("components", new JsonObject());
        JsonObject debounce = c.getJsonObject("debounce", new JsonObject());
        JsonObject push = c.getJsonObject("push", new JsonObject());
        if (debounce.getInteger("pendingMessages", -1) == 0 && debounce.getInteger("inFlight", -1) == 0
          && push.getInteger("pending", -1) == 0) {
          return true;
        }
      } catch (Exception e) {
        // not answering for a moment: try again until the deadline
      }
      Thread.sleep(100);
    }
    return false;
  }

  /**
   * p50, p99 and the count of a Prometheus histogram (all label sets summed per bucket), by linear interpolation
   * within the bucket; null when the metric is absent or empty.
   */
  static double[] histogram(String metrics, String name) {
    return histogram(metrics, "", name);
  }

  /** As {@link #histogram(String, String)}, counting only what was added since {@code before} was read. */
  static double[] histogram(String metrics, String before, String name) {
    TreeMap<Double, Double> buckets = buckets(metrics, name);
    buckets(before, name).forEach((upper, count) -> buckets.merge(upper, -count, Double::sum));
    if (buckets.isEmpty() || buckets.lastEntry().getValue() <= 0) {
      return null;
    }
    double total = buckets.lastEntry().getValue();
    return new double[] {quantile(buckets, 0.50 * total), quantile(buckets, 0.99 * total), total};
  }

  static TreeMap<Double, Double> buckets(String metrics, String name) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    String prefix = name + "_bucket{";
    for (String line : metrics.split("\n")) {
      if (!line.startsWith(prefix)) {
        continue;
      }
      int le = line.indexOf("le=\"");
      int end = line.indexOf('"', le + 4);
      int close = line.lastIndexOf('}');
      if (le < 0 || end < 0 || close < 0) {
        continue;
      }
      String bound = line.substring(le + 4, end);
      double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
      double count = Double.parseDouble(line.substring(close + 1).trim().split(" ")[0]);
      buckets.merge(upper, count, Double::sum);
    }
    return buckets;
  }

  static double quantile(TreeMap<Double, Double> buckets, double rank) {
    double prevUpper = 0;
    double prevCount = 0;
    for (Map.Entry<Double, Double> b : buckets.entrySet()) {
      if (b.getValue() >= rank) {
        if (b.getKey().isInfinite()) {
          return prevUpper; // above the highest finite bucket: its bound is all we know
        }
        double inBucket = b.getValue() - prevCount;
        return inBucket <= 0 ? b.getKey() : prevUpper + (b.getKey() - prevUpper) * (rank - prevCount) / inBucket;
      }
      prevUpper = b.getKey();
      prevCount = b.getValue();
    }
    return prevUpper;
  }

  static double pct(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
