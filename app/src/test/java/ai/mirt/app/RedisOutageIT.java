package ai.mirt.app;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis going away and coming back under a running Mirt: while it is gone the webhook refuses with 503 (so ManyChat
 * retries later) and {@code /health} says DOWN; once it is back, Mirt carries on without a restart and nothing it
 * acknowledged is lost or answered twice. The test runs its own redis-server, with every write synced to its
 * append-only file, so the restarted server has the data the first one acknowledged.
 */
class RedisOutageIT {

  static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);
  static final long QUIET_MS = 2_000;

  private Path dir;
  private OwnRedis redis;
  private Downstreams downstreams;
  private MirtProcess mirt;

  @BeforeEach
  void startRedis() throws Exception {
    dir = Files.createTempDirectory("mirt-redis-outage");
    redis = new OwnRedis(MirtProcess.freePort(), dir);
    redis.start();
    downstreams = new Downstreams();
  }

  @AfterEach
  void stopEverything() throws Exception {
    try {
      if (mirt != null) {
        mirt.close();
      }
      downstreams.close();
    } finally {
      redis.close();
    }
  }

  @Test
  void outageAnswers503AndLosesNothingAcknowledged() throws Exception {
    Map<String, String> env = MirtProcess.env("redis://127.0.0.1:" + redis.port + "/0",
      "mirt-it:" + UUID.randomUUID() + ":", downstreams);
    // Long enough that the burst acknowledged just before the outage is still buffered when Redis dies.
    env.put("MANYCHAT_DEBOUNCE_SECONDS", String.valueOf(QUIET_MS / 1000.0));
    env.put("MANYCHAT_DEBOUNCE_MAX_WAIT_SECONDS", "6");
    mirt = MirtProcess.start("outage", env);
    long pid = mirt.pid();

    long answered = 4001;
    Bursts.accept(answered, mirt);
    downstreams.awaitReplies(REPLY_TIMEOUT, mirt, answered);
    mirt.awaitIdle(REPLY_TIMEOUT);
    long buffered = 4002;
    Bursts.accept(buffered, mirt);
    long bufferedAt = System.currentTimeMillis();

    redis.kill();

    long refused = 4003;
    for (int i = 1; i <= 2; i++) {
      HttpResponse<String> r = mirt.post(refused, Bursts.text(refused, i));
      assertThat(r.statusCode()).as("webhook while Redis is down: " + r.body() + "\n" + mirt.tail(40)).isEqualTo(503);
      assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("storage unavailable");
    }
    HttpResponse<String> down = MirtProcess.await(() -> {
      HttpResponse<String> h = mirt.health();
      return h.statusCode() == 503 ? h : null;
    }, Duration.ofSeconds(15), () -> "/health stayed up while Redis was down: " + mirt.health().body());
    JsonObject health = new JsonObject(down.body());
    assertThat(health.getString("status")).isEqualTo("DOWN");
    assertThat(health.getJsonObject("components").getJsonObject("debounce").getString("status"))
      .as(health.encode()).isEqualTo("DOWN");

    // Redis stays away until the buffered burst is overdue, and all the while Mirt reports the outage.
    long overdue = bufferedAt + QUIET_MS + 1_000;
    MirtProcess.await(() -> {
      HttpResponse<String> h = mirt.health();
      assertThat(h.statusCode()).as("/health while Redis is down: " + h.body()).isEqualTo(503);
      return System.currentTimeMillis() >= overdue ? Boolean.TRUE : null;
    }, Duration.ofSeconds(30), () -> "the outage did not last until the buffered burst was due");
    assertThat(downstreams.sendContents(buffered)).as("nothing can be answered while Redis is down").isEmpty();

    redis.start();
    MirtProcess.await(() -> mirt.health().statusCode() == 200 ? Boolean.TRUE : null, Duration.ofSeconds(30),
      () -> "/health did not recover after Redis came back: " + mirt.health().body() + "\n" + mirt.tail(60));
    long afterwards = 4004;
    Bursts.accept(afterwards, mirt);
    downstreams.awaitReplies(REPLY_TIMEOUT, mirt, buffered, afterwards);
    mirt.awaitIdle(REPLY_TIMEOUT);

    assertThat(mirt.alive()).isTrue();
    assertThat(mirt.pid()).as("the same Mirt process throughout").isEqualTo(pid);
    downstreams.assertOneReply(answered, Bursts.echo(answered), mirt);
    downstreams.assertOneReply(buffered, Bursts.echo(buffered), mirt);
    downstreams.assertOneReply(afterwards, Bursts.echo(afterwards), mirt);
    assertThat(downstreams.sendContents(refused)).as("a 503 stored nothing").isEmpty();
    assertThat(downstreams.modelCalls(Bursts.tag(refused))).isEmpty();
    for (long s : new long[] {answered, buffered, afterwards}) {
      assertThat(downstreams.modelCalls(Bursts.tag(s))).as("model calls for " + s).hasSize(1);
    }
    downstreams.assertValidCalls();
  }

  /**
   * A redis-server owned by the test, on loopback, syncing every write to its append-only file in {@code dir}, so
   * that a SIGKILL loses nothing it acknowledged and a restart in the same directory brings the data back.
   */
  private static final class OwnRedis implements AutoCloseable {

    final int port;
    private final Path dir;
    private Process process;
    private int runs;

    OwnRedis(int port, Path dir) {
      this.port = port;
      this.dir = dir;
    }

    void start() throws Exception {
      runs++;
      process = MirtProcess.killedOnExit(new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis-" + runs + ".log").toFile())
        .start());
      MirtProcess.await(() -> {
        if (!process.isAlive()) {
          throw new AssertionError("redis-server exited with " + process.exitValue() + ": " + log());
        }
        return RedisKeys.answers(port) ? Boolean.TRUE : null;
      }, Duration.ofSeconds(15), () -> "redis-server does not answer on port " + port + ": " + log());
    }

    /** SIGKILL: the server dies without a last write. */
    void kill() throws InterruptedException {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("redis-server did not die").isTrue();
      }
    }

    private String log() {
      try {
        return String.join("\n", Files.readAllLines(dir.resolve("redis-" + runs + ".log")));
      } catch (IOException e) {
        return e.toString();
      }
    }

    @Override
    public void close() throws Exception {
      kill();
      try (Stream<Path> files = Files.walk(dir)) {
        List<Path> all = files.sorted(Comparator.reverseOrder()).toList();
        for (Path p : all) {
          Files.delete(p);
        }
      }
    }
  }
}
