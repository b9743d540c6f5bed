package ai.mirt.app;

import ai.mirt.common.Setting;
import ai.mirt.testkit.Poll;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Mirt instance as an operator runs it: {@code java -jar mirt.jar} as a child process with its settings in the
 * environment. Starts it and waits for the banner, posts webhooks as ManyChat does, reads {@code /health}, kills it
 * with SIGKILL and starts it again on the same settings. Everything the process printed (over all its runs) is kept
 * for failure messages and written to {@code target/it-logs/} when it is closed.
 */
final class MirtProcess implements AutoCloseable {

  static final String HOOK_TOKEN = "it-hook-token";
  static final String ADMIN_TOKEN = "it-admin-token";
  static final String BANNER_WEBHOOK = "webhook:   POST http://";
  /** The banner line a node without the webhook ends its start with: it serves health and metrics only. */
  static final String BANNER_HEALTH = "health:    http://";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(Process::destroyForcibly),
      "kill child processes"));
  }

  private final String name;
  private final Map<String, String> env;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private Process process;
  private Thread reader;
  private int port;
  private int runs;

  private MirtProcess(String name, Map<String, String> env) {
    this.name = name;
    this.env = new LinkedHashMap<>(env);
  }

  /**
   * The settings every process test shares: loopback only, fixed tokens, ManyChat and the model in this JVM, shared
   * state in the Redis of {@code redisUrl} under {@code prefix}, short quiet window and lease so that takeovers happen
   * within seconds. Tests override single entries.
   */
  static Map<String, String> env(String redisUrl, String prefix, Downstreams downstreams) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MIRT_HTTP_HOST", "127.0.0.1");
    env.put("REDIS_URL", redisUrl);
    env.put("REDIS_PREFIX", prefix);
    env.put("MIRT_DEBOUNCE_LEASE_SECONDS", "2");
    env.put("MANYCHAT_DEBOUNCE_SECONDS", "0.5");
    env.put("MANYCHAT_DEBOUNCE_MAX_WAIT_SECONDS", "3");
    env.put("MIRT_DEBOUNCE_SWEEP_MS", "50");
    env.put("MIRT_PUSH_SWEEP_MS", "100");
    env.put("MANYCHAT_API_URL", downstreams.manychatUrl());
    env.put("MANYCHAT_API_KEY", Downstreams.MANYCHAT_KEY);
    env.put("MANYCHAT_VERIFY_TOKEN", HOOK_TOKEN);
    env.put("ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("OPENAI_BASE_URL", downstreams.modelV1Url());
    env.put("OPENAI_API_KEY", "sk-test");
    env.put("MIRT_AGENT_TIMEOUT_SECONDS", "30");
    env.put("MIRT_PUSH_BACKOFF_MS", "100");
    env.put("MIRT_MANYCHAT_TIMEOUT_MS", "10000");
    env.put("MIRT_STORE_TIMEOUT_MS", "3000");
    return env;
  }

  /** Starts an instance named {@code name} (also its {@code MIRT_INSTANCE_ID}) on a free port. */
  static MirtProcess start(String name, Map<String, String> env) throws Exception {
    Map<String, String> own = new LinkedHashMap<>(env);
    own.put("MIRT_INSTANCE_ID", name);
    MirtProcess p = new MirtProcess(name, own);
    p.port = freePort();
    p.launch();
    return p;
  }

  /** A port nothing listens on right now (the process binds it a moment later; {@link #launch} retries a lost race). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void launch() throws Exception {
    for (int attempt = 1; ; attempt++) {
      runs++;
      env.put("PORT", String.valueOf(port));
      String tag = "[" + name + "#" + runs + "] ";
      output.add(tag + "---- java -jar mirt.jar on port " + port);
      Process started = spawn(tag);
      String banner = bannerLine();
      boolean up;
      try {
        up = await(() -> {
          if (output.stream().anyMatch(l -> l.startsWith(tag) && l.contains(banner))) {
            return Boolean.TRUE;
          }
          return started.isAlive() ? null : Boolean.FALSE;
        }, START_TIMEOUT, () -> name + " printed no banner in " + START_TIMEOUT + ":\n" + tail(80));
      } catch (AssertionError | InterruptedException e) {
        kill();
        throw e;
      }
      if (up) {
        return;
      }
      boolean portTaken = output.stream().anyMatch(l -> l.startsWith(tag) && l.contains("Address already in use"));
      if (!portTaken || attempt == 3) {
        throw new AssertionError(name + " exited with " + started.exitValue() + " before its banner:\n" + tail(80));
      }
      port = freePort();
    }
  }

  /** Starts {@code java -jar mirt.jar} with this instance's settings; a daemon thread keeps what it prints. */
  private Process spawn(String tag) throws IOException {
    // Up to three JVMs share two cores in these tests: C1 only and the serial collector keep each one's CPU small.
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar().toString())
      .directory(Path.of("..").toAbsolutePath().normalize().toFile())
      .redirectErrorStream(true);
    for (Setting s : Setting.ALL) {
      pb.environment().remove(s.env());
    }
    pb.environment().remove("MIRT_CONFIG");
    pb.environment().remove("MIRT_LOG_LEVEL");
    pb.environment().putAll(env);
    Process started = killedOnExit(pb.start());
    process = started;
    reader = new Thread(() -> read(started, tag), "output of " + name + "#" + runs);
    reader.setDaemon(true);
    reader.start();
    return started;
  }

  /**
   * The banner line that shows the instance is up: the webhook's address, or for a node that runs no webhook (a
   * cluster node with only some verticles) its health address, which it prints last.
   */
  private String bannerLine() {
    String verticles = env.getOrDefault("MIRT_VERTICLES", "");
    boolean webhook = verticles.isBlank()
      || Arrays.stream(verticles.split(",")).map(String::trim).anyMatch("webhook"::equals);
    return webhook ? BANNER_WEBHOOK : BANNER_HEALTH;
  }

  /** How a process that stopped on its own ended: its exit code and everything it printed. */
  record Exit(int code, List<String> output) {

    String text() {
      return String.join("\n", output);
    }
  }

  /**
   * Runs an instance that is expected to stop by itself (a configuration it refuses) and waits for its exit; the
   * output is also kept in {@code target/it-logs/<name>.log}. Fails if the process still runs after
   * {@code timeout}, or prints a banner.
   */
  static Exit runToExit(String name, Map<String, String> env, Duration timeout) throws Exception {
    Map<String, String> own = new LinkedHashMap<>(env);
    own.put("MIRT_INSTANCE_ID", name);
    try (MirtProcess p = new MirtProcess(name, own)) {
      p.port = freePort();
      p.runs++;
      p.env.put("PORT", String.valueOf(p.port));
      String tag = "[" + name + "#" + p.runs + "] ";
      p.output.add(tag + "---- java -jar mirt.jar on port " + p.port + ", expected to stop by itself");
      Process started = p.spawn(tag);
      boolean exited = started.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(exited).as(name + " still runs after " + timeout + ":\n" + p.tail(60)).isTrue();
      // Everything it printed is read before its output is looked at.
      p.reader.join(TimeUnit.SECONDS.toMillis(10));
      List<String> out = p.output().stream().filter(l -> l.startsWith(tag)).map(l -> l.substring(tag.length()))
        .toList();
      assertThat(out).as(name + " printed a banner although it should have refused to start")
        .noneMatch(l -> l.contains(BANNER_WEBHOOK) || l.contains(BANNER_HEALTH));
      return new Exit(started.exitValue(), out);
    }
  }

  /**
   * Child processes of this JVM still alive when it exits (a test run interrupted, a fork timed out) are killed with
   * it, so no Mirt or Redis is left behind holding ports and keys.
   */
  static Process killedOnExit(Process p) {
    CHILDREN.removeIf(c -> !c.isAlive());
    CHILDREN.add(p);
    return p;
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("mirt.jar", "target/mirt.jar")).toAbsolutePath();
    assertThat(jar).as("the packaged jar (mvn package)").exists();
    return jar;
  }

  private void read(Process p, String tag) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.add(tag + line);
      }
    } catch (IOException e) {
      output.add(tag + "output reader stopped: " + e.getMessage());
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook, no drain, no last write. */
  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      output.add("[" + name + "#" + runs + "] ---- SIGKILL");
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(name + " did not die on SIGKILL").isTrue();
    }
  }

  /** Starts the process again with the same settings (instance id included), on the same port if it is free. */
  void restart() throws Exception {
    kill();
    launch();
  }

  HttpResponse<String> post(long subscriber, String text) {
    JsonObject body = new JsonObject().put("subscriber", new JsonObject().put("id", subscriber))
      .put("message", new JsonObject().put("text", text)).put("type", "instagram");
    return send(HttpRequest.newBuilder(uri("/webhooks/manychat"))
      .header("Content-Type", "application/json").header("X-ManyChat-Token", HOOK_TOKEN)
      .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /** Posts a message and requires {@code 202 {"status":"accepted"}}: the message is stored. */
  void accept(long subscriber, String text) {
    HttpResponse<String> r = post(subscriber, text);
    assertThat(r.statusCode()).as(name + " refused '" + text + "': " + r.body() + "\n" + tail(40)).isEqualTo(202);
    assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("accepted");
  }

  HttpResponse<String> health() {
    return send(HttpRequest.newBuilder(uri("/health")).GET());
  }

  /** {@code GET /admin/outbox} with the admin token: recent payloads and the dead letters. */
  HttpResponse<String> outbox() {
    return send(HttpRequest.newBuilder(uri("/admin/outbox")).header("Authorization", "Bearer " + ADMIN_TOKEN).GET());
  }

  /**
   * Waits until the shared state has no buffered message, no turn in flight and no reply waiting for delivery: from
   * then on no further ManyChat call can come, so counting calls is final.
   */
  void awaitIdle(Duration timeout) throws InterruptedException {
    String[] last = {""};
    await(() -> {
      HttpResponse<String> r;
      try {
        r = health();
      } catch (UncheckedIOException e) {
        last[0] = e.getCause().toString();
        return null;
      }
      last[0] = r.statusCode() + " " + r.body();
      if (r.statusCode() != 200) {
        return null;
      }
      JsonObject c = new JsonObject(r.body()).getJsonObject("components");
      JsonObject debounce = c.getJsonObject("debounce", new JsonObject());
      JsonObject push = c.getJsonObject("push", new JsonObject());
      boolean idle = debounce.getInteger("pendingMessages", -1) == 0 && debounce.getInteger("inFlight", -1) == 0
        && push.getInteger("pending", 0) == 0;
      return idle ? Boolean.TRUE : null;
    }, timeout, () -> name + " did not become idle; last /health: " + last[0] + "\n" + tail(60));
  }

  /**
   * {@link Poll#await} whose failure message is written when the deadline passes, so it shows the state at that
   * moment (the process output, what the fakes received) rather than at the start of the wait.
   */
  static <T> T await(Supplier<T> probe, Duration timeout, Supplier<String> failure) throws InterruptedException {
    String marker = "deadline " + UUID.randomUUID();
    try {
      return Poll.await(probe, timeout, marker);
    } catch (AssertionError e) {
      if (e.getMessage() == null || !e.getMessage().endsWith(marker)) {
        throw e;
      }
      throw new AssertionError("timed out after " + timeout.toMillis() + " ms: " + failure.get());
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(name + " did not answer " + request.build().uri() + "\n" + tail(40), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Every line the process printed, over all its runs. */
  List<String> output() {
    return List.copyOf(output);
  }

  /** The last {@code n} lines, for failure messages. */
  String tail(int n) {
    List<String> all = output();
    return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
  }

  /** Kills the process if it still runs and keeps its output in {@code target/it-logs/<name>.log}. */
  @Override
  public void close() throws Exception {
    kill();
    Path dir = Path.of("target", "it-logs");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name + ".log"), output(), StandardCharsets.UTF_8);
  }
}
