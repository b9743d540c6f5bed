package ai.mirt.app;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a process-level test stands on: the Redis on 127.0.0.1:6379 under a key prefix of its own, the fake ManyChat
 * and model, and the Mirt processes it started. Closing it stops those processes and the fakes, deletes the prefix's
 * keys and checks that none is left.
 */
final class Testbed implements AutoCloseable {

  /** Unique to this testbed; the Redis prefix is made of it, and a test may name other things (a cluster) after it. */
  final String id = UUID.randomUUID().toString();
  final String prefix = "mirt-it:" + id + ":";
  final Downstreams downstreams;
  private final List<MirtProcess> started = new CopyOnWriteArrayList<>();

  Testbed() throws Exception {
    assertThat(RedisKeys.answers(RedisKeys.DEFAULT_PORT)).as("Redis on 127.0.0.1:6379").isTrue();
    downstreams = new Downstreams();
  }

  /** The settings every process test shares, on this testbed's Redis prefix and fakes (see {@link MirtProcess#env}). */
  Map<String, String> env() {
    return MirtProcess.env(RedisKeys.DEFAULT_URL, prefix, downstreams);
  }

  /** Starts a Mirt process that {@link #close()} will stop. */
  MirtProcess start(String name, Map<String, String> env) throws Exception {
    MirtProcess p = MirtProcess.start(name, env);
    started.add(p);
    return p;
  }

  @Override
  public void close() throws Exception {
    try {
      for (MirtProcess p : started) {
        p.close();
      }
      downstreams.close();
    } finally {
      RedisKeys.delete(RedisKeys.DEFAULT_PORT, prefix);
    }
    assertThat(RedisKeys.count(RedisKeys.DEFAULT_PORT, prefix)).isZero();
  }
}
