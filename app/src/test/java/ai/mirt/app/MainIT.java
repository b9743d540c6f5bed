package ai.mirt.app;

import ai.mirt.common.Setting;
import ai.mirt.testkit.Poll;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar as a user runs it: banner, a message with curl's request, the outbox, SIGTERM. */
class MainIT {

  private static final Pattern WEBHOOK = Pattern.compile("webhook:\\s+POST (http://\\S+)/webhooks/manychat");
  private static final Pattern HOOK_TOKEN = Pattern.compile("webhook token \\(generated[^)]*\\): (\\S+)");
  private static final Pattern ADMIN_TOKEN = Pattern.compile("admin token \\(generated[^)]*\\): (\\S+)");

  private Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();

  @AfterEach
  void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private void launch(Map<String, String> env) throws IOException {
    String jar = System.getProperty("mirt.jar", "target/mirt.jar");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-jar", Path.of(jar).toAbsolutePath().toString())
      .directory(Path.of("..").toAbsolutePath().normalize().toFile())
      .redirectErrorStream(true);
    for (Setting s : Setting.ALL) {
      pb.environment().remove(s.env());
    }
    pb.environment().remove("MIRT_CONFIG");
    pb.environment().putAll(env);
    process = pb.start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
        }
      } catch (IOException e) {
        output.add("reader stopped: " + e.getMessage());
      }
    });
    reader.setDaemon(true);
    reader.start();
  }

  private String find(Pattern p) throws InterruptedException {
    return Poll.await(() -> {
      if (!process.isAlive() && output.stream().noneMatch(l -> p.matcher(l).find())) {
        throw new AssertionError("Mirt exited with " + process.exitValue() + ":\n" + String.join("\n", output));
      }
      for (String line : output) {
        Matcher m = p.matcher(line);
        if (m.find()) {
          return m.group(1);
        }
      }
      return null;
    }, Duration.ofSeconds(60), "no line matching " + p + " in:\n" + String.join("\n", output));
  }

  @Test
  void quickStartRepliesInTheOutboxAndStopsCleanlyOnSigterm() throws Exception {
    launch(Map.of("PORT", "0", "MANYCHAT_DEBOUNCE_SECONDS", "0.3"));
    String base = find(WEBHOOK);
    String hookToken = find(HOOK_TOKEN);
    String adminToken = find(ADMIN_TOKEN);
    String banner = String.join("\n", output);
    assertThat(banner).contains("mode:      push").contains("state:     memory").contains("ManyChat:  dry run")
      .contains("agent:     offline").contains("cluster:   not clustered");

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base + "/webhooks/manychat"))
      .header("Content-Type", "application/json").header("X-ManyChat-Token", hookToken)
      .POST(HttpRequest.BodyPublishers.ofString(
        "{\"subscriber\":{\"id\":42},\"message\":{\"text\":\"Привіт! Які є костюми?\"},\"type\":\"instagram\"}"))
      .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).isEqualTo(202);

    JsonObject outbox = Poll.await(() -> {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/outbox"))
          .header("Authorization", "Bearer " + adminToken).build(), HttpResponse.BodyHandlers.ofString());
        JsonObject o = new JsonObject(r.body());
        return o.getJsonArray("payloads").isEmpty() ? null : o;
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }, Duration.ofSeconds(20), "outbox stayed empty");
    assertThat(outbox.getJsonArray("payloads").getJsonObject(0).getString("subscriberId")).isEqualTo("42");

    // Process.destroy() would also close our end of its output; send the signal the way an operator does.
    assertThat(new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor()).isZero();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join("\n", output)).isZero();
    Poll.await(() -> output.stream().anyMatch(l -> l.contains("Mirt stopped")) ? Boolean.TRUE : null,
      Duration.ofSeconds(5), "no 'Mirt stopped' line in:\n" + String.join("\n", output));
  }

  @Test
  void invalidSettingStopsStartupNamingTheKey() throws Exception {
    launch(Map.of("PORT", "0", "MANYCHAT_DEBOUNCE_SECONDS", "soon"));
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    Poll.await(() -> output.stream().anyMatch(l -> l.contains("MANYCHAT_DEBOUNCE_SECONDS")) ? Boolean.TRUE : null,
      Duration.ofSeconds(5), "error does not name the key: " + output);
  }
}
