package ai.mirt.app;

import ai.mirt.common.MirtConfig;
import ai.mirt.common.Setting;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  private Path yaml(String text) throws IOException {
    Path f = dir.resolve("config.yaml");
    Files.writeString(f, text);
    return f;
  }

  private static MirtConfig load(Map<String, String> env) {
    return ConfigLoader.load(env, new Properties());
  }

  @Test
  void defaultsWithoutFileOrEnvironment() {
    MirtConfig c = load(Map.of());
    assertThat(c.http().port()).isEqualTo(8000);
    assertThat(c.manychat().apiUrl()).isEqualTo("https://api.manychat.com");
    assertThat(c.manychat().pushMode()).isTrue();
    assertThat(c.manychat().dryRun()).isTrue();
    assertThat(c.debounce().quietSeconds()).isEqualTo(3.0);
    assertThat(c.debounce().maxWaitSeconds()).isEqualTo(10.0);
    assertThat(c.debounce().sweepMs()).isEqualTo(100);
    assertThat(c.debounce().supersedeInFlight()).isTrue();
    assertThat(c.debounce().maxReruns()).isEqualTo(2);
    assertThat(c.agent().llm()).isFalse();
    assertThat(c.agent().openaiModel()).isEqualTo("gpt-4o-mini");
    assertThat(c.shutdownGraceSeconds()).isEqualTo(20);
    assertThat(c.state().redisUrl()).isEmpty();
    assertThat(c.state().redis()).isFalse();
    assertThat(c.state().redisPrefix()).isEqualTo("mirt:");
    assertThat(c.debounce().leaseSeconds()).isEqualTo(30.0);
    assertThat(c.state().conversationTtlDays()).isEqualTo(30);
  }

  @Test
  void fileThenEnvironmentThenSystemPropertiesLaterWins() throws IOException {
    Path f = yaml("http:\n  port: 9001\ndebounce:\n  quiet-seconds: 1.5\n  max-wait-seconds: 8\n");
    Map<String, String> env = new HashMap<>(Map.of(ConfigLoader.FILE_ENV, f.toString(),
      "MANYCHAT_DEBOUNCE_SECONDS", "0.5", "MANYCHAT_API_KEY", "123:abc", "OPENAI_MODEL", "gpt-4.1-mini"));
    Properties sys = new Properties();
    sys.setProperty("mirt.debounce.max-wait-seconds", "4");
    sys.setProperty("java.version", "ignored: not a mirt property");
    MirtConfig c = ConfigLoader.load(env, sys);
    assertThat(c.http().port()).isEqualTo(9001);
    assertThat(c.debounce().quietSeconds()).isEqualTo(0.5);
    assertThat(c.debounce().maxWaitSeconds()).isEqualTo(4.0);
    assertThat(c.manychat().apiKey()).isEqualTo("123:abc");
    assertThat(c.manychat().dryRun()).isFalse();
    assertThat(c.agent().openaiModel()).isEqualTo("gpt-4.1-mini");
  }

  @Test
  void everyPublicEnvironmentVariableIsRead() {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "8080");
    env.put("MANYCHAT_API_URL", "http://127.0.0.1:9999");
    env.put("MANYCHAT_API_KEY", "k");
    env.put("MANYCHAT_VERIFY_TOKEN", "v");
    env.put("MANYCHAT_PUSH_MODE", "true");
    env.put("MANYCHAT_DEBOUNCE_SECONDS", "2");
    env.put("MANYCHAT_DEBOUNCE_MAX_WAIT_SECONDS", "7");
    env.put("OPENAI_API_KEY", "sk");
    env.put("OPENAI_BASE_URL", "http://127.0.0.1:1234/v1");
    env.put("OPENAI_MODEL", "m");
    env.put("ADMIN_TOKEN", "a");
    MirtConfig c = load(env);
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.manychat().apiUrl()).isEqualTo("http://127.0.0.1:9999");
    assertThat(c.manychat().verifyToken()).isEqualTo("v");
    assertThat(c.debounce().quietSeconds()).isEqualTo(2.0);
    assertThat(c.debounce().maxWaitSeconds()).isEqualTo(7.0);
    assertThat(c.agent().openaiApiKey()).isEqualTo("sk");
    assertThat(c.agent().openaiBaseUrl()).isEqualTo("http://127.0.0.1:1234/v1");
    assertThat(c.agent().llm()).isTrue();
    assertThat(c.admin().token()).isEqualTo("a");
  }

  @Test
  void invalidEnvironmentValueNamesTheVariable() {
    assertThatThrownBy(() -> load(Map.of("PORT", "eighty")))
      .isInstanceOf(ConfigException.class).hasMessageContaining("PORT").hasMessageContaining("whole number");
    assertThatThrownBy(() -> load(Map.of("MANYCHAT_DEBOUNCE_SECONDS", "-1")))
      .hasMessageContaining("MANYCHAT_DEBOUNCE_SECONDS");
    assertThatThrownBy(() -> load(Map.of("MANYCHAT_PUSH_MODE", "maybe")))
      .hasMessageContaining("MANYCHAT_PUSH_MODE").hasMessageContaining("true or false");
    assertThatThrownBy(() -> load(Map.of("MANYCHAT_API_URL", "api.manychat.com")))
      .hasMessageContaining("MANYCHAT_API_URL");
    assertThatThrownBy(() -> load(Map.of("MANYCHAT_DEBOUNCE_SECONDS", "5", "MANYCHAT_DEBOUNCE_MAX_WAIT_SECONDS", "4")))
      .hasMessageContaining("MANYCHAT_DEBOUNCE_MAX_WAIT_SECONDS").hasMessageContaining("MANYCHAT_DEBOUNCE_SECONDS");
    assertThatThrownBy(() -> load(Map.of("MANYCHAT_DEBOUNCE_SECONDS", "20")))
      .hasMessageContaining("MANYCHAT_DEBOUNCE_SECONDS").hasMessageContaining("quiet window");
    assertThatThrownBy(() -> load(Map.of("PORT", "70000"))).hasMessageContaining("PORT");
  }

  @Test
  void responseModeLoadsWithItsDeadline() {
    MirtConfig cfg = load(Map.of("MANYCHAT_PUSH_MODE", "false", "MIRT_RESPONSE_DEADLINE_SECONDS", "7.5"));
    assertThat(cfg.manychat().pushMode()).isFalse();
    assertThat(cfg.responseMode().deadlineMs()).isEqualTo(7_500);
    assertThatThrownBy(() -> load(Map.of("MIRT_RESPONSE_DEADLINE_SECONDS", "10")))
      .hasMessageContaining("MIRT_RESPONSE_DEADLINE_SECONDS").hasMessageContaining("10 s");
    assertThatThrownBy(() -> load(Map.of("MIRT_RESPONSE_INTERIM_TEXT", " ")))
      .hasMessageContaining("MIRT_RESPONSE_INTERIM_TEXT");
  }

  @Test
  void scheduleHandoverAndFollowUpSettingsAreCheckedAndNamed() {
    MirtConfig cfg = load(Map.of("MIRT_SCHEDULE_MODE", "inside-hours", "MIRT_SCHEDULE_HOURS", "mon-sun 08:00-20:00",
      "MIRT_SCHEDULE_HOLIDAYS", "2026-12-25", "MIRT_HANDOVER_PAUSE_HOURS", "0", "MIRT_FOLLOWUP_AFTER_HOURS", "0.5"));
    assertThat(cfg.schedule().mode()).isEqualTo("inside-hours");
    assertThat(cfg.handover().pauseMs()).isZero();
    assertThat(cfg.followUp().afterMs()).isEqualTo(1_800_000);
    assertThatThrownBy(() -> load(Map.of("MIRT_SCHEDULE_TIMEZONE", "Kyiv/Nowhere")))
      .hasMessageContaining("MIRT_SCHEDULE_TIMEZONE").hasMessageContaining("Kyiv/Nowhere");
    assertThatThrownBy(() -> load(Map.of("MIRT_SCHEDULE_MODE", "sometimes")))
      .hasMessageContaining("MIRT_SCHEDULE_MODE").hasMessageContaining("inside-hours");
    assertThatThrownBy(() -> load(Map.of("MIRT_SCHEDULE_HOURS", "mon 25:00-26:00")))
      .hasMessageContaining("MIRT_SCHEDULE_HOURS");
    assertThatThrownBy(() -> load(Map.of("MIRT_SCHEDULE_HOLIDAYS", "25.12.2026")))
      .hasMessageContaining("MIRT_SCHEDULE_HOLIDAYS").hasMessageContaining("YYYY-MM-DD");
    assertThatThrownBy(() -> load(Map.of("MIRT_HANDOVER_PAUSE_HOURS", "-1")))
      .hasMessageContaining("MIRT_HANDOVER_PAUSE_HOURS");
    assertThatThrownBy(() -> load(Map.of("MIRT_FOLLOWUP_AFTER_HOURS", "24")))
      .hasMessageContaining("MIRT_FOLLOWUP_AFTER_HOURS").hasMessageContaining("24 h");
  }

  @Test
  void redisSettingsAreCheckedAndNamed() {
    MirtConfig c = load(Map.of("REDIS_URL", "redis://:secret@127.0.0.1:6379/2", "REDIS_PREFIX", "shop1:"));
    assertThat(c.state().redis()).isTrue();
    assertThat(c.state().redisUrl()).isEqualTo("redis://:secret@127.0.0.1:6379/2");
    assertThat(c.state().redisPrefix()).isEqualTo("shop1:");
    assertThatThrownBy(() -> load(Map.of("REDIS_URL", "127.0.0.1:6379")))
      .hasMessageContaining("REDIS_URL").hasMessageContaining("redis://");
    assertThatThrownBy(() -> load(Map.of("REDIS_URL", "http://127.0.0.1:6379")))
      .hasMessageContaining("REDIS_URL");
    assertThatThrownBy(() -> load(Map.of("REDIS_PREFIX", " "))).hasMessageContaining("REDIS_PREFIX");
    assertThatThrownBy(() -> load(Map.of("MIRT_DEBOUNCE_LEASE_SECONDS", "0.5")))
      .hasMessageContaining("MIRT_DEBOUNCE_LEASE_SECONDS").hasMessageContaining("at least 1");
    assertThatThrownBy(() -> load(Map.of("MIRT_PUSH_SWEEP_MS", "5"))).hasMessageContaining("MIRT_PUSH_SWEEP_MS");
    assertThatThrownBy(() -> load(Map.of("MIRT_CONVERSATION_TTL_DAYS", "0")))
      .hasMessageContaining("MIRT_CONVERSATION_TTL_DAYS");
    assertThatThrownBy(() -> load(Map.of("MIRT_DEAD_LETTERS_MAX", "0"))).hasMessageContaining("MIRT_DEAD_LETTERS_MAX");
    assertThatThrownBy(() -> load(Map.of("MIRT_DEAD_LETTERS_MAX_AGE_DAYS", "0")))
      .hasMessageContaining("MIRT_DEAD_LETTERS_MAX_AGE_DAYS");
  }

  @Test
  void unknownKeyInFileNamesTheKey() throws IOException {
    Path f = yaml("debounce:\n  quiet-second: 2\n");
    assertThatThrownBy(() -> load(Map.of(ConfigLoader.FILE_ENV, f.toString())))
      .isInstanceOf(ConfigException.class).hasMessageContaining("debounce.quiet-second").hasMessageContaining("unknown");
  }

  @Test
  void invalidFileValueNamesFileAndKey() throws IOException {
    Path f = yaml("push:\n  backoff-ms: lots\n");
    assertThatThrownBy(() -> load(Map.of(ConfigLoader.FILE_ENV, f.toString())))
      .hasMessageContaining(f.toString()).hasMessageContaining("push.backoff-ms");
  }

  @Test
  void secretsInTheFileAreRefused() throws IOException {
    Path f = yaml("manychat:\n  api-key: \"123:secret\"\n");
    assertThatThrownBy(() -> load(Map.of(ConfigLoader.FILE_ENV, f.toString())))
      .hasMessageContaining("manychat.api-key").hasMessageContaining("MANYCHAT_API_KEY")
      .hasMessageNotContaining("123:secret");
  }

  @Test
  void unknownSystemPropertyIsRefused() {
    Properties p = new Properties();
    p.setProperty("mirt.debounce.nope", "1");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), p)).hasMessageContaining("mirt.debounce.nope");
  }

  @Test
  void missingExplicitFileAndBrokenYamlAreReported() throws IOException {
    assertThatThrownBy(() -> load(Map.of(ConfigLoader.FILE_ENV, dir.resolve("nope.yaml").toString())))
      .hasMessageContaining("MIRT_CONFIG");
    Path f = yaml("http: [unclosed\n");
    assertThatThrownBy(() -> load(Map.of(ConfigLoader.FILE_ENV, f.toString()))).hasMessageContaining("not valid YAML");
  }

  @Test
  void clusterNeedsRedisAndSaysSo() {
    assertThatThrownBy(() -> load(Map.of("CLUSTER", "true")))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("CLUSTER:").hasMessageContaining("REDIS_URL");
    MirtConfig c = load(Map.of("CLUSTER", "true", "REDIS_URL", "redis://127.0.0.1:6379", "MIRT_VERTICLES", "agent",
      "CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2:5702", "CLUSTER_HOST", "10.0.0.3", "CLUSTER_PORT", "5801",
      "CLUSTER_BUS_PORT", "5901", "CLUSTER_NAME", "shop"));
    assertThat(c.cluster().enabled()).isTrue();
    assertThat(c.cluster().memberList()).containsExactly("10.0.0.1", "10.0.0.2:5702");
    assertThat(c.cluster().host()).isEqualTo("10.0.0.3");
    assertThat(c.cluster().port()).isEqualTo(5801);
    assertThat(c.cluster().busPort()).isEqualTo(5901);
    assertThat(c.cluster().name()).isEqualTo("shop");
    assertThat(c.node().verticles()).containsExactly("agent");
    assertThat(c.node().runs("agent")).isTrue();
    assertThat(c.node().runs("webhook")).isFalse();
    assertThat(c.node().all()).isFalse();
  }

  @Test
  void verticleNamesAreCheckedAndPartialNodesNeedTheCluster() {
    Map<String, String> cluster = Map.of("CLUSTER", "true", "REDIS_URL", "redis://127.0.0.1:6379");
    assertThatThrownBy(() -> load(with(cluster, "MIRT_VERTICLES", "webhook,agnet")))
      .hasMessageStartingWith("MIRT_VERTICLES:").hasMessageContaining("agnet")
      .hasMessageContaining("webhook, debounce, agent, push");
    assertThatThrownBy(() -> load(with(cluster, "MIRT_VERTICLES", " , ")))
      .hasMessageStartingWith("MIRT_VERTICLES:");
    assertThatThrownBy(() -> load(Map.of("REDIS_URL", "redis://127.0.0.1:6379", "MIRT_VERTICLES", "webhook,debounce")))
      .hasMessageStartingWith("MIRT_VERTICLES:").hasMessageContaining("CLUSTER=true");
    assertThat(load(Map.of("MIRT_VERTICLES", "push, webhook,agent,debounce,agent")).node().verticles())
      .containsExactly("push", "webhook", "agent", "debounce");
    assertThat(load(Map.of()).node().all()).isTrue();
    assertThat(load(Map.of()).cluster().enabled()).isFalse();
  }

  @Test
  void clusterAddressesAreChecked() {
    Map<String, String> cluster = Map.of("CLUSTER", "true", "REDIS_URL", "redis://127.0.0.1:6379");
    assertThatThrownBy(() -> load(with(cluster, "CLUSTER_MEMBERS", "10.0.0.1:http")))
      .hasMessageStartingWith("CLUSTER_MEMBERS:");
    assertThatThrownBy(() -> load(with(cluster, "CLUSTER_MEMBERS", ":5701"))).hasMessageStartingWith("CLUSTER_MEMBERS:");
    assertThatThrownBy(() -> load(with(cluster, "CLUSTER_MEMBERS", ""))).hasMessageStartingWith("CLUSTER_MEMBERS:");
    assertThatThrownBy(() -> load(with(cluster, "CLUSTER_PORT", "0"))).hasMessageStartingWith("CLUSTER_PORT:");
    assertThatThrownBy(() -> load(with(cluster, "CLUSTER_PORT", "65530"))).hasMessageStartingWith("CLUSTER_PORT:");
    assertThatThrownBy(() -> load(with(cluster, "CLUSTER_BUS_PORT", "-1"))).hasMessageStartingWith("CLUSTER_BUS_PORT:");
    assertThatThrownBy(() -> load(with(cluster, "CLUSTER_HOST", " "))).hasMessageStartingWith("CLUSTER_HOST:");
    assertThatThrownBy(() -> load(with(cluster, "CLUSTER_NAME", ""))).hasMessageStartingWith("CLUSTER_NAME:");
    assertThat(load(with(cluster, "CLUSTER_BUS_PORT", "0")).cluster().busPort()).isZero();
  }

  /** The process's own environment and properties are read by vertx-config's env and sys stores. */
  @Test
  void theProcessEnvironmentAndPropertiesGoThroughTheEnvAndSysStores() {
    assertThat(ConfigLoader.stores(null, System.getenv(), System.getProperties()))
      .extracting(o -> o.getType()).containsExactly("env", "sys");
    assertThat(ConfigLoader.stores(dir.resolve("c.yaml"), Map.of(), new Properties()))
      .extracting(o -> o.getType()).containsExactly("file", "json", "json");
    String before = System.getProperty("mirt.debounce.sweep-ms");
    System.setProperty("mirt.debounce.sweep-ms", "37");
    try {
      MirtConfig c = ConfigLoader.load(System.getenv(), System.getProperties());
      assertThat(c.debounce().sweepMs()).isEqualTo(37);
    } finally {
      if (before == null) {
        System.clearProperty("mirt.debounce.sweep-ms");
      } else {
        System.setProperty("mirt.debounce.sweep-ms", before);
      }
    }
  }

  @Test
  void aFileSectionAboveTheEnvironmentNamesItsFile() throws IOException {
    Path f = yaml("cluster:\n  members: \"10.1.1.1:x\"\n");
    assertThatThrownBy(() -> load(Map.of(ConfigLoader.FILE_ENV, f.toString(), "CLUSTER", "true",
      "REDIS_URL", "redis://127.0.0.1:6379")))
      .hasMessageContaining(f.toString()).hasMessageContaining("cluster.members");
    Path g = yaml("node:\n  verticles: \"agent\"\ncluster:\n  enabled: true\n");
    MirtConfig c = load(Map.of(ConfigLoader.FILE_ENV, g.toString(), "REDIS_URL", "redis://127.0.0.1:6379",
      "MIRT_VERTICLES", "webhook"));
    assertThat(c.node().verticles()).containsExactly("webhook");
    assertThat(c.cluster().enabled()).isTrue();
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> m = new HashMap<>(base);
    m.put(key, value);
    return m;
  }

  /** conf/config.yaml is the documented list of settings: it must name every one, at its default. */
  @Test
  void shippedConfigFileListsEverySettingAtItsDefault() throws IOException {
    Path shipped = Path.of("..", "conf", "config.yaml");
    String text = Files.readString(shipped);
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(shipped.toFile());
    for (Setting s : Setting.ALL) {
      assertThat(text).as("config.yaml names %s", s.env()).contains(s.env());
      if (s.type() == Setting.Type.SECRET) {
        continue;
      }
      String[] parts = s.path().split("\\.", 2);
      JsonNode v = root.path(parts[0]).path(parts[1]);
      assertThat(v.isMissingNode()).as("config.yaml has %s", s.path()).isFalse();
      assertThat(MirtConfig.typed(s, v.asText())).as(s.path()).isEqualTo(MirtConfig.typed(s, s.defaultValue()));
    }
    MirtConfig fromFile = load(Map.of(ConfigLoader.FILE_ENV, shipped.toString()));
    assertThat(fromFile).isEqualTo(load(Map.of()));
  }

  /** The README's configuration table is the user's reference: it must list every variable with its default. */
  @Test
  void readmeConfigTableListsEverySetting() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (Setting s : Setting.ALL) {
      assertThat(readme).as("README lists %s", s.env()).containsPattern("\\|\\s*`" + s.env() + "`\\s*\\|");
      assertThat(readme).as("README lists %s", s.path()).contains("`" + s.path() + "`");
    }
  }
}
