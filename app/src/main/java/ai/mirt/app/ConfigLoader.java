package ai.mirt.app;

import ai.mirt.common.MirtConfig;
import ai.mirt.common.Setting;
import ai.mirt.common.WorkHours;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Builds the one {@link MirtConfig} with vertx-config's {@link ConfigRetriever}: defaults, then the YAML file
 * ({@code conf/config.yaml}, or {@code MIRT_CONFIG}), then environment variables, then {@code -Dmirt.<path>} system
 * properties; later wins. The stores are declared explicitly in that order (the retriever's default order would
 * let the file beat the environment). Unknown keys, secrets in a file and invalid values stop startup with a
 * message naming the key.
 *
 * <p>The three stores answer in three disjoint key spaces (the file's nested sections, the environment's upper-case
 * names, the {@code mirt.}-prefixed properties), so the merged object still tells each value's source, which the
 * error messages name.
 */
public final class ConfigLoader {

  public static final String DEFAULT_FILE = "conf/config.yaml";
  public static final String FILE_ENV = "MIRT_CONFIG";
  private static final String SYS_PREFIX = "mirt.";

  private ConfigLoader() {
  }

  /**
   * Reads the configuration. Given the process's own environment and system properties ({@link System#getenv()},
   * {@link System#getProperties()}), the retriever reads them through its {@code env} and {@code sys} stores; any
   * other maps (tests) are handed to it as {@code json} stores, and are layered and checked the same way.
   */
  public static MirtConfig load(Map<String, String> env, Properties sys) {
    String explicit = env.get(FILE_ENV);
    Path file = Path.of(explicit != null && !explicit.isBlank() ? explicit : DEFAULT_FILE);
    boolean haveFile = Files.isRegularFile(file);
    if (!haveFile && explicit != null && !explicit.isBlank()) {
      throw new ConfigException(FILE_ENV + ": config file " + file + " does not exist");
    }
    JsonObject merged = retrieve(stores(haveFile ? file : null, env, sys), file);

    Map<String, String> raw = new LinkedHashMap<>();
    Map<String, String> source = new LinkedHashMap<>();
    for (Setting s : Setting.ALL) {
      raw.put(s.path(), s.defaultValue());
      source.put(s.path(), s.path() + " (default)");
    }
    JsonObject fromFile = new JsonObject();
    for (String key : merged.fieldNames()) {
      Object v = merged.getValue(key);
      if (sys.containsKey(key)) {
        continue;
      }
      if (env.containsKey(key) && Setting.ALL.stream().anyMatch(s -> s.env().equals(key))) {
        continue;
      }
      fromFile.put(key, v);
    }
    if (haveFile) {
      readFile(file, fromFile, raw, source);
    }
    for (Setting s : Setting.ALL) {
      if (merged.containsKey(s.env()) && env.containsKey(s.env())) {
        raw.put(s.path(), text(merged.getValue(s.env())));
        source.put(s.path(), s.env());
      }
    }
    for (String name : merged.fieldNames()) {
      if (!name.startsWith(SYS_PREFIX) || !sys.containsKey(name)) {
        continue;
      }
      String path = name.substring(SYS_PREFIX.length());
      Setting s = Setting.byPath(path).orElseThrow(() -> new ConfigException(
        "-D" + name + ": unknown setting (see conf/config.yaml for the list)"));
      if (s.type() == Setting.Type.SECRET) {
        throw new ConfigException("-D" + name + ": secrets are read from the environment only (" + s.env() + ")");
      }
      raw.put(path, text(merged.getValue(name)));
      source.put(path, "-D" + name);
    }
    return validate(raw, source);
  }

  /** The stores in precedence order, lowest first. */
  static List<ConfigStoreOptions> stores(Path file, Map<String, String> env, Properties sys) {
    List<ConfigStoreOptions> out = new ArrayList<>();
    if (file != null) {
      out.add(new ConfigStoreOptions().setType("file").setFormat("yaml")
        .setConfig(new JsonObject().put("path", file.toString())));
    }
    JsonArray names = new JsonArray();
    Setting.ALL.forEach(s -> names.add(s.env()));
    if (env == System.getenv()) {
      out.add(new ConfigStoreOptions().setType("env")
        .setConfig(new JsonObject().put("raw-data", true).put("keys", names)));
    } else {
      JsonObject given = new JsonObject();
      env.forEach((k, v) -> {
        if (names.contains(k)) {
          given.put(k, v);
        }
      });
      out.add(new ConfigStoreOptions().setType("json").setConfig(given));
    }
    if (sys == System.getProperties()) {
      out.add(new ConfigStoreOptions().setType("sys")
        .setConfig(new JsonObject().put("raw-data", true).put("cache", false)));
    } else {
      JsonObject given = new JsonObject();
      sys.stringPropertyNames().forEach(k -> given.put(k, sys.getProperty(k)));
      out.add(new ConfigStoreOptions().setType("json").setConfig(given));
    }
    return out;
  }

  /** Runs the retriever once on a short-lived Vert.x of its own: the real one is built from what this returns. */
  private static JsonObject retrieve(List<ConfigStoreOptions> stores, Path file) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(new FileSystemOptions()
      .setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    try {
      ConfigRetriever retriever = ConfigRetriever.create(vertx,
        new ConfigRetrieverOptions().setIncludeDefaultStores(false).setScanPeriod(-1).setStores(stores));
      return retriever.getConfig().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String why = String.valueOf(cause.getMessage()).split("\n", 2)[0];
      throw new ConfigException(file + ": not valid YAML: " + why);
    } catch (TimeoutException e) {
      throw new ConfigException(file + ": could not be read within 30 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while reading the configuration");
    } finally {
      vertx.close();
    }
  }

  /** The file's part of the merged configuration: nested sections of known settings, no secrets. */
  private static void readFile(Path file, JsonObject root, Map<String, String> raw, Map<String, String> source) {
    Map<String, Object> flat = new LinkedHashMap<>();
    flatten("", root, flat);
    for (Map.Entry<String, Object> e : flat.entrySet()) {
      String where = file + ": " + e.getKey();
      Setting s = Setting.byPath(e.getKey()).orElseThrow(() -> new ConfigException(where + ": unknown setting"));
      Object v = e.getValue();
      if (s.type() == Setting.Type.SECRET) {
        if (v != null && !text(v).isEmpty()) {
          throw new ConfigException(where + ": secrets are read from the environment only (" + s.env() + ")");
        }
        continue;
      }
      if (v instanceof JsonObject || v instanceof JsonArray) {
        throw new ConfigException(where + ": expected a single value");
      }
      raw.put(s.path(), v == null ? "" : text(v));
      source.put(s.path(), where);
    }
  }

  private static void flatten(String prefix, JsonObject node, Map<String, Object> out) {
    for (String key : node.fieldNames()) {
      Object value = node.getValue(key);
      String path = prefix.isEmpty() ? key : prefix + "." + key;
      boolean section = Setting.byPath(path).isEmpty()
        && Setting.ALL.stream().anyMatch(s -> s.path().startsWith(path + "."));
      if (value instanceof JsonObject o && Setting.byPath(path).isEmpty()) {
        flatten(path, o, out);
      } else if (section && value == null) {
        // A section whose settings are all commented out (e.g. only secrets) reads as null: nothing to take.
        continue;
      } else {
        out.put(path, value);
      }
    }
  }

  private static String text(Object v) {
    return v == null ? "" : String.valueOf(v);
  }

  private static MirtConfig validate(Map<String, String> raw, Map<String, String> source) {
    io.vertx.core.json.JsonObject typed = new io.vertx.core.json.JsonObject();
    for (Setting s : Setting.ALL) {
      try {
        typed.put(s.path(), MirtConfig.typed(s, raw.get(s.path())));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(source.get(s.path()) + ": " + e.getMessage());
      }
    }
    List<String[]> problems = new ArrayList<>();
    check(problems, typed.getInteger("http.port") >= 0 && typed.getInteger("http.port") <= 65535, "http.port",
      "must be a port number from 0 to 65535");
    check(problems, typed.getInteger("http.store-timeout-ms") > 0, "http.store-timeout-ms", "must be positive");
    check(problems, validUrl(typed.getString("manychat.api-url")), "manychat.api-url", "must be an http(s) URL");
    check(problems, typed.getInteger("manychat.timeout-ms") > 0, "manychat.timeout-ms", "must be positive");
    double quiet = typed.getDouble("debounce.quiet-seconds");
    double maxWait = typed.getDouble("debounce.max-wait-seconds");
    check(problems, quiet > 0 && quiet <= 300, "debounce.quiet-seconds", "must be more than 0 and at most 300");
    check(problems, maxWait >= quiet && maxWait <= 600, "debounce.max-wait-seconds",
      "must be at least the quiet window (" + quiet + " s from " + source.get("debounce.quiet-seconds")
        + ") and at most 600");
    check(problems, typed.getInteger("debounce.sweep-ms") >= 10 && typed.getInteger("debounce.sweep-ms") <= 10_000,
      "debounce.sweep-ms", "must be from 10 to 10000");
    check(problems, typed.getInteger("debounce.max-reruns") >= 0, "debounce.max-reruns", "must not be negative");
    check(problems, typed.getInteger("debounce.max-in-flight") >= 1, "debounce.max-in-flight", "must be at least 1");
    check(problems, typed.getDouble("debounce.lease-seconds") >= 1, "debounce.lease-seconds", "must be at least 1");
    check(problems, typed.getInteger("debounce.max-attempts") >= 1, "debounce.max-attempts", "must be at least 1");
    check(problems, typed.getInteger("debounce.dedupe-max-entries") >= 1, "debounce.dedupe-max-entries",
      "must be at least 1");
    String base = typed.getString("agent.openai-base-url");
    check(problems, base.isEmpty() || validUrl(base), "agent.openai-base-url", "must be an http(s) URL");
    check(problems, !typed.getString("agent.openai-model").isBlank(), "agent.openai-model", "must not be empty");
    check(problems, typed.getInteger("agent.timeout-seconds") > 0, "agent.timeout-seconds", "must be positive");
    check(problems, typed.getInteger("agent.history-messages") >= 0, "agent.history-messages", "must not be negative");
    double temperature = typed.getDouble("agent.temperature");
    check(problems, temperature >= 0 && temperature <= 2, "agent.temperature", "must be from 0 to 2");
    check(problems, !typed.getString("agent.shop").isBlank(), "agent.shop", "must not be empty");
    check(problems, !typed.getString("agent.prompts").isBlank(), "agent.prompts", "must not be empty");
    int budget = typed.getInteger("agent.budget-seconds");
    check(problems, budget >= 1, "agent.budget-seconds", "must be at least 1");
    check(problems, typed.getInteger("agent.budget-images-seconds") >= budget, "agent.budget-images-seconds",
      "must not be below agent.budget-seconds");
    int interim = typed.getInteger("agent.interim-after-seconds");
    check(problems, interim >= 0 && (interim == 0 || interim < budget), "agent.interim-after-seconds",
      "must be 0 (never) or less than agent.budget-seconds");
    check(problems, typed.getInteger("agent.breaker-max-failures") >= 1, "agent.breaker-max-failures",
      "must be at least 1");
    check(problems, typed.getInteger("agent.breaker-reset-ms") > 0, "agent.breaker-reset-ms", "must be positive");
    check(problems, typed.getInteger("agent.limit-per-minute") >= 1, "agent.limit-per-minute", "must be at least 1");
    check(problems, typed.getInteger("agent.limit-per-hour") >= typed.getInteger("agent.limit-per-minute"),
      "agent.limit-per-hour", "must not be below agent.limit-per-minute");
    String orders = typed.getString("orders.webhook-url");
    check(problems, orders.isEmpty() || validUrl(orders), "orders.webhook-url", "must be an http(s) URL");
    double deadline = typed.getDouble("response-mode.deadline-seconds");
    check(problems, deadline >= 1 && deadline <= 9.5, "response-mode.deadline-seconds",
      "must be from 1 to 9.5 (ManyChat gives up on a request after about 10 s)");
    check(problems, !typed.getString("response-mode.interim-text").isBlank(), "response-mode.interim-text",
      "must not be empty: a held request past its deadline is answered with it");
    check(problems, typed.getDouble("handover.pause-hours") >= 0, "handover.pause-hours",
      "must not be negative (0 = until resumed)");
    double followUp = typed.getDouble("followup.after-hours");
    check(problems, followUp >= 0 && followUp < 24, "followup.after-hours",
      "must be from 0 (off) to less than 24: a reminder is only allowed within 24 h of the customer's last message");
    try {
      WorkHours.of(new MirtConfig.Schedule(typed.getString("schedule.timezone"), typed.getString("schedule.mode"),
        typed.getString("schedule.hours"), typed.getString("schedule.holidays"), typed.getString("schedule.away-text")));
    } catch (IllegalArgumentException e) {
      String[] where = e.getMessage().split(": ", 2);
      check(problems, false, where[0], where[1]);
    }
    try {
      MirtConfig.names(typed.getString("manychat.names"));
    } catch (IllegalArgumentException e) {
      check(problems, false, "manychat.names", e.getMessage());
    }
    check(problems, typed.getInteger("delivery.max-age-seconds") >= 1, "delivery.max-age-seconds",
      "must be at least 1");
    check(problems, typed.getInteger("push.backoff-ms") >= 1, "push.backoff-ms", "must be at least 1");
    check(problems, typed.getInteger("push.backoff-max-ms") >= typed.getInteger("push.backoff-ms"),
      "push.backoff-max-ms", "must not be below push.backoff-ms");
    check(problems, typed.getInteger("push.rate-send-content") >= 1, "push.rate-send-content", "must be at least 1");
    check(problems, typed.getInteger("push.rate-subscriber") >= 1, "push.rate-subscriber", "must be at least 1");
    check(problems, typed.getInteger("push.outbox-size") >= 1, "push.outbox-size", "must be at least 1");
    check(problems, typed.getInteger("push.breaker-max-failures") >= 1, "push.breaker-max-failures",
      "must be at least 1");
    check(problems, typed.getInteger("push.breaker-reset-ms") > 0, "push.breaker-reset-ms", "must be positive");
    String redis = typed.getString("redis.url");
    check(problems, redis.isEmpty() || validRedisUrl(redis), "redis.url",
      "must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379/0");
    check(problems, !typed.getString("redis.prefix").isBlank(), "redis.prefix", "must not be empty");
    check(problems, typed.getInteger("push.sweep-ms") >= 10 && typed.getInteger("push.sweep-ms") <= 60_000,
      "push.sweep-ms", "must be from 10 to 60000");
    check(problems, typed.getInteger("conversation.ttl-days") >= 1, "conversation.ttl-days", "must be at least 1");
    check(problems, typed.getInteger("dead-letters.max") >= 1, "dead-letters.max", "must be at least 1");
    check(problems, typed.getInteger("dead-letters.max-age-days") >= 1, "dead-letters.max-age-days",
      "must be at least 1");
    check(problems, typed.getInteger("shutdown.grace-seconds") >= 0, "shutdown.grace-seconds", "must not be negative");
    List<String> verticles = MirtConfig.list(typed.getString("node.verticles"));
    List<String> unknown = verticles.stream().filter(v -> !MirtConfig.Node.ROLES.contains(v)).toList();
    check(problems, !verticles.isEmpty(), "node.verticles",
      "must name at least one of " + String.join(", ", MirtConfig.Node.ROLES));
    check(problems, unknown.isEmpty(), "node.verticles", "unknown verticle " + String.join(", ", unknown)
      + " (the verticles are " + String.join(", ", MirtConfig.Node.ROLES) + ")");
    boolean clustered = typed.getBoolean("cluster.enabled");
    check(problems, !clustered || !redis.isEmpty(), "cluster.enabled",
      "a cluster needs shared state: set REDIS_URL (redis.url), so that every node sees the same buffers, turns"
        + " and replies");
    check(problems, clustered || verticles.isEmpty() || new MirtConfig.Node(verticles).all(),
      "node.verticles", "running only " + String.join(",", verticles) + " needs CLUSTER=true: the other verticles"
        + " run on other nodes and are reached over the clustered event bus");
    check(problems, !typed.getString("cluster.name").isBlank(), "cluster.name", "must not be empty");
    check(problems, !typed.getString("cluster.host").isBlank(), "cluster.host", "must not be empty");
    List<String> members = MirtConfig.list(typed.getString("cluster.members"));
    check(problems, !members.isEmpty() && members.stream().allMatch(ConfigLoader::validMember), "cluster.members",
      "must list host or host:port, comma-separated");
    check(problems, typed.getInteger("cluster.port") >= 1 && typed.getInteger("cluster.port") <= 65526,
      "cluster.port", "must be a port number from 1 to 65526 (the 9 above it are tried too)");
    check(problems, typed.getInteger("cluster.bus-port") >= 0 && typed.getInteger("cluster.bus-port") <= 65535,
      "cluster.bus-port", "must be a port number from 0 to 65535");
    if (!problems.isEmpty()) {
      String[] p = problems.get(0);
      throw new ConfigException(source.get(p[0]) + ": " + p[1]);
    }
    return MirtConfig.fromJson(typed);
  }

  private static void check(List<String[]> problems, boolean ok, String path, String message) {
    if (!ok) {
      problems.add(new String[] {path, message});
    }
  }

  private static boolean validMember(String member) {
    int colon = member.lastIndexOf(':');
    if (colon < 0) {
      return !member.isBlank();
    }
    try {
      int port = Integer.parseInt(member.substring(colon + 1));
      return colon > 0 && port >= 1 && port <= 65535;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean validRedisUrl(String url) {
    try {
      URI u = new URI(url);
      return ("redis".equalsIgnoreCase(u.getScheme()) || "rediss".equalsIgnoreCase(u.getScheme())) && u.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean validUrl(String url) {
    try {
      URI u = new URI(url);
      return ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) && u.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
