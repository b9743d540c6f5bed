package ai.mirt.app;

import ai.mirt.common.MirtConfig;
import ai.mirt.common.Setting;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the one {@link MirtConfig}: defaults, then the YAML file ({@code conf/config.yaml}, or
 * {@code MIRT_CONFIG}), then environment variables, then {@code -Dmirt.<path>} system properties; later wins.
 * Unknown keys, secrets in a file and invalid values stop startup with a message naming the key.
 */
public final class ConfigLoader {

  public static final String DEFAULT_FILE = "conf/config.yaml";
  public static final String FILE_ENV = "MIRT_CONFIG";

  private ConfigLoader() {
  }

  public static MirtConfig load(Map<String, String> env, Properties sys) {
    Map<String, String> raw = new LinkedHashMap<>();
    Map<String, String> source = new LinkedHashMap<>();
    for (Setting s : Setting.ALL) {
      raw.put(s.path(), s.defaultValue());
      source.put(s.path(), s.path() + " (default)");
    }

    String explicit = env.get(FILE_ENV);
    Path file = Path.of(explicit != null && !explicit.isBlank() ? explicit : DEFAULT_FILE);
    if (Files.exists(file)) {
      readYaml(file, raw, source);
    } else if (explicit != null && !explicit.isBlank()) {
      throw new ConfigException(FILE_ENV + ": config file " + file + " does not exist");
    }

    for (Setting s : Setting.ALL) {
      String v = env.get(s.env());
      if (v != null) {
        raw.put(s.path(), v);
        source.put(s.path(), s.env());
      }
    }
    for (String name : sys.stringPropertyNames()) {
      if (!name.startsWith("mirt.")) {
        continue;
      }
      String path = name.substring(5);
      Setting s = Setting.byPath(path).orElseThrow(() -> new ConfigException(
        "-D" + name + ": unknown setting (see conf/config.yaml for the list)"));
      if (s.type() == Setting.Type.SECRET) {
        throw new ConfigException("-D" + name + ": secrets are read from the environment only (" + s.env() + ")");
      }
      raw.put(path, sys.getProperty(name));
      source.put(path, "-D" + name);
    }
    return validate(raw, source);
  }

  private static void readYaml(Path file, Map<String, String> raw, Map<String, String> source) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getMessage().split("\n", 2)[0]);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return;
    }
    if (!root.isObject()) {
      throw new ConfigException(file + ": must hold a mapping of settings");
    }
    Map<String, JsonNode> flat = new LinkedHashMap<>();
    flatten("", root, flat);
    for (Map.Entry<String, JsonNode> e : flat.entrySet()) {
      String where = file + ": " + e.getKey();
      Setting s = Setting.byPath(e.getKey()).orElseThrow(() -> new ConfigException(where + ": unknown setting"));
      JsonNode v = e.getValue();
      if (s.type() == Setting.Type.SECRET) {
        if (!v.isNull() && !v.asText().isEmpty()) {
          throw new ConfigException(where + ": secrets are read from the environment only (" + s.env() + ")");
        }
        continue;
      }
      if (v.isContainerNode()) {
        throw new ConfigException(where + ": expected a single value");
      }
      raw.put(s.path(), v.isNull() ? "" : v.asText());
      source.put(s.path(), where);
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      boolean section = Setting.byPath(path).isEmpty()
        && Setting.ALL.stream().anyMatch(s -> s.path().startsWith(path + "."));
      if (e.getValue().isObject() && Setting.byPath(path).isEmpty()) {
        flatten(path, e.getValue(), out);
      } else if (section && e.getValue().isNull()) {
        // A section whose settings are all commented out (e.g. only secrets) reads as null: nothing to take.
        continue;
      } else {
        out.put(path, e.getValue());
      }
    }
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
    check(problems, typed.getBoolean("manychat.push-mode"), "manychat.push-mode",
      "response mode (false) is not available in this version; use true");
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
    check(problems, typed.getInteger("push.max-attempts") >= 1, "push.max-attempts", "must be at least 1");
    check(problems, typed.getInteger("push.backoff-ms") >= 0, "push.backoff-ms", "must not be negative");
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
