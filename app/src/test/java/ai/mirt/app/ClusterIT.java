package ai.mirt.app;

import ai.mirt.testkit.RecordedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mirt split over the nodes of a cluster ({@code CLUSTER=true}, roles chosen with {@code MIRT_VERTICLES}), as an
 * operator runs it: a node that takes webhooks, debounces and pushes, and agent nodes beside it, all on one Redis and
 * prefix. Bursts posted to the webhook node are answered through the agent of another node; while no node runs an
 * agent, due turns wait in their buffers (never dead-lettered) and the health names the missing role; an agent node
 * that joins later answers each of them once. A cluster without shared state, or with a role misspelt, is refused at
 * startup.
 *
 * <p>Every test has a cluster of its own: its own name, its own range of member ports, its own Redis prefix.
 */
class ClusterIT {

  static final Duration REPLY_TIMEOUT = Duration.ofSeconds(40);
  /** Hazelcast drops a killed member after its connection is refused, or at the latest after 10 s without heartbeat. */
  static final Duration MEMBER_GONE_TIMEOUT = Duration.ofSeconds(30);
  static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(30);
  static final String FRONT_ROLES = "webhook,debounce,push";
  /** Each node has its own model key, so the fake model shows which node asked it. */
  static final String FRONT_KEY = "sk-front";

  /** Debounce's log line for a turn given back because no node ran an agent: turn id, subscriber. */
  private static final Pattern TURN_GIVEN_BACK =
    Pattern.compile("turn (\\S+) for subscriber (\\d+) went back to its buffer: (no agent runs|not acknowledged)");
  /** Debounce's log line for a turn sent to an agent: turn id, subscriber, attempt. */
  private static final Pattern TURN_SENT =
    Pattern.compile("turn (\\S+) for subscriber (\\d+): \\d+ messages, attempt (\\d+),");

  private Downstreams downstreams;
  private String prefix;
  private String clusterName;
  private int clusterPort;
  private Testbed bed;

  @BeforeEach
  void setUp() throws Exception {
    bed = new Testbed();
    downstreams = bed.downstreams;
    prefix = bed.prefix;
    clusterName = "mirt-it-" + bed.id;
    clusterPort = freePortRange(10);
  }

  @AfterEach
  void tearDown() throws Exception {
    bed.close();
  }

  @Test
  void burstPostedToTheWebhookNodeIsAnsweredByTheAgentOfAnotherNode() throws Exception {
    MirtProcess[] nodes = startTogether(node("front-1", FRONT_ROLES, FRONT_KEY),
      node("agent-1", "agent", "sk-agent-1"));
    MirtProcess front = nodes[0];
    MirtProcess agent = nodes[1];

    assertThat(agent.output()).as("the agent node's banner")
      .noneMatch(l -> l.contains(MirtProcess.BANNER_WEBHOOK))
      .anyMatch(l -> l.contains("verticles: agent (no webhook"));
    HttpResponse<String> refused = agent.post(3101, Bursts.text(3101, 1));
    assertThat(refused.statusCode()).as("a webhook posted to the agent node: " + refused.body()).isEqualTo(404);
    assertThat(new JsonObject(refused.body()).getString("error")).as(refused.body()).isNotBlank();
    JsonObject agentHealth = healthOf(agent);
    assertThat(agentHealth.getJsonArray("verticles")).as(agentHealth.encode()).isEqualTo(new JsonArray().add("agent"));
    assertThat(agentHealth.getJsonObject("cluster").getBoolean("enabled")).as(agentHealth.encode()).isTrue();
    awaitHealth(agent, h -> h.getJsonObject("cluster").getJsonArray("missing").isEmpty(),
      "the agent node sees the other roles run on the webhook node");
    JsonObject frontHealth = awaitHealth(front, h -> h.getJsonObject("cluster").getJsonArray("missing").isEmpty(),
      "the webhook node sees every role run while the agent node runs");
    assertThat(frontHealth.getJsonArray("verticles")).isEqualTo(new JsonArray().add("webhook").add("debounce")
      .add("push"));

    long s = 3102;
    Bursts.accept(s, front);
    downstreams.awaitReplies(REPLY_TIMEOUT, front, s);
    front.awaitIdle(REPLY_TIMEOUT);

    downstreams.assertOneReply(s, Bursts.echo(s), front);
    List<RecordedRequest> calls = downstreams.modelCalls(Bursts.tag(s));
    assertThat(calls).as("model calls for " + s).hasSize(1);
    assertThat(calls.get(0).header("Authorization")).as("the model was asked by the agent node")
      .isEqualTo("Bearer sk-agent-1");
    assertThat(healthOf(front).getJsonObject("cluster").getJsonArray("missing")).as("roles missing while agent-1 runs")
      .isEmpty();
    assertThat(downstreams.sendContents(3101)).as("the webhook refused by the agent node was not stored").isEmpty();
    assertThat(agent.alive()).isTrue();
    downstreams.assertValidCalls();
  }

  @Test
  void turnsWaitWhileNoNodeRunsAnAgentAndAreAnsweredOnceWhenOneJoins() throws Exception {
    MirtProcess[] nodes = startTogether(node("front-2", FRONT_ROLES, FRONT_KEY),
      node("agent-2", "agent", "sk-agent-2"));
    MirtProcess front = nodes[0];
    MirtProcess first = nodes[1];
    awaitHealth(front, h -> h.getJsonObject("cluster").getJsonArray("missing").isEmpty(),
      "the webhook node sees the agent node");

    // The first agent node takes this burst's turn and is killed while the model has not answered it.
    long held = 3201;
    downstreams.holdModel(r -> Downstreams.turnText(r).contains(Bursts.tag(held)));
    Bursts.accept(held, front);
    MirtProcess.await(() -> downstreams.modelCalls(Bursts.tag(held)).isEmpty() ? null : Boolean.TRUE, REPLY_TIMEOUT,
      () -> "the agent node never asked the model about " + held + "\n" + front.tail(40) + "\n" + first.tail(40));
    first.kill();
    assertThat(downstreams.sendContents()).as("nothing answered before the kill").isEmpty();
    downstreams.dropHolds();

    // Posted while no agent runs: one burst at once (the cluster may not know yet that the agent node is gone: a
    // turn sent to it then is not acknowledged, and its lease, which counts an attempt, takes it back), one after
    // the webhook node reports the agent missing (its turn is only ever given back, never counted).
    long early = 3202;
    long late = 3203;
    Bursts.accept(early, front);
    awaitHealth(front, h -> h.getJsonObject("cluster").getJsonArray("missing").contains("agent"),
      "the webhook node names the agent as missing once its only node is gone");
    Bursts.accept(late, front);
    long[] all = {held, early, late};
    JsonObject waiting = awaitHealth(front, h -> {
      JsonObject debounce = h.getJsonObject("components").getJsonObject("debounce");
      return debounce.getBoolean("agentMissing", false)
        && debounce.getInteger("pendingMessages", -1) == all.length * Bursts.SIZE
        && debounce.getInteger("inFlight", -1) == 0;
    }, "every burst back in its buffer (the held turn's lease ended), none in flight, while no agent runs");
    assertThat(waiting.getString("status")).as("a missing role does not make the webhook node unhealthy")
      .isEqualTo("UP");
    assertThat(deadLetters(front)).as("dead letters while no agent runs").isEmpty();
    assertThat(downstreams.modelCalls()).as("no agent, no model call: only the held one was made")
      .hasSize(1);
    assertThat(downstreams.sendContents()).as("nothing answered while no agent runs").isEmpty();

    MirtProcess second = start(node("agent-3", "agent", "sk-agent-3"));
    downstreams.awaitReplies(REPLY_TIMEOUT, front, all);
    front.awaitIdle(REPLY_TIMEOUT);

    for (long s : all) {
      downstreams.assertOneReply(s, Bursts.echo(s), front);
      assertThat(downstreams.modelCalls(Bursts.tag(s)).stream()
        .filter(r -> "Bearer sk-agent-3".equals(r.header("Authorization"))))
        .as("model calls by the agent node that joined, for " + s).hasSize(1);
    }
    assertThat(downstreams.modelCalls(Bursts.tag(held))).as("the held turn: asked by the killed node, then once more")
      .hasSize(2);
    // Giving a turn back for want of an agent uses no attempt: the turn is sent again with the attempt it had.
    List<String> givenBack = turnsGivenBackWithoutAnAttempt(front);
    assertThat(givenBack).as("turns given back because no agent ran\n" + front.tail(60)).isNotEmpty();
    assertThat(attempts(front, late)).as("attempts of " + late + "'s turn, posted once the agent was missing\n"
      + front.tail(60)).isNotEmpty().containsOnly(1);
    // Posted right after the kill, while the cluster may still list the dead node: a turn sent there is never
    // acknowledged and goes back without using an attempt either.
    assertThat(attempts(front, early)).as("attempts of " + early + "'s turn, posted at the kill\n"
      + front.tail(60)).isNotEmpty().containsOnly(1);
    assertThat(attempts(front, held)).as("attempts of " + held + "'s turn: the lease that ended with the killed node "
      + "counts\n" + front.tail(60)).startsWith(1).contains(2);
    assertThat(downstreams.modelCalls()).as("every model call").hasSize(all.length + 1);
    assertThat(deadLetters(front)).as("dead letters").isEmpty();
    JsonObject after = healthOf(front);
    assertThat(after.getJsonObject("cluster").getJsonArray("missing")).as(after.encode()).isEmpty();
    assertThat(after.getJsonObject("components").getJsonObject("debounce").getBoolean("agentMissing"))
      .as(after.encode()).isFalse();
    assertThat(second.alive()).isTrue();
    downstreams.assertValidCalls();
  }

  @Test
  void clusterWithoutSharedStateOrWithAnUnknownRoleIsRefusedAtStartup() throws Exception {
    Map<String, String> noRedis = node("refused-redis", FRONT_ROLES, FRONT_KEY);
    noRedis.remove("REDIS_URL");
    MirtProcess.Exit exit = MirtProcess.runToExit("refused-redis", noRedis, REFUSAL_TIMEOUT);
    assertThat(exit.code()).as("exit code; output:\n" + exit.text()).isEqualTo(2);
    assertThat(exit.output()).as("the refusal names the settings")
      .anyMatch(l -> l.contains("configuration error") && Pattern.compile("\\bCLUSTER\\b").matcher(l).find()
        && l.contains("REDIS_URL"));
    assertThat(exit.output()).as("refused before joining a cluster").noneMatch(l -> l.contains("joining cluster"));

    Map<String, String> misspelt = node("refused-role", "webhook,agnet", FRONT_KEY);
    exit = MirtProcess.runToExit("refused-role", misspelt, REFUSAL_TIMEOUT);
    assertThat(exit.code()).as("exit code; output:\n" + exit.text()).isEqualTo(2);
    assertThat(exit.output()).as("the refusal names the setting and the unknown role")
      .anyMatch(l -> l.contains("configuration error") && l.contains("MIRT_VERTICLES") && l.contains("agnet"));
    assertThat(exit.output()).as("refused before joining a cluster").noneMatch(l -> l.contains("joining cluster"));
    assertThat(RedisKeys.count(RedisKeys.DEFAULT_PORT, prefix)).as("keys written by refused nodes").isZero();
  }

  /** The settings of one node of this test's cluster, running {@code roles}, asking the model with {@code modelKey}. */
  private Map<String, String> node(String name, String roles, String modelKey) {
    Map<String, String> env = bed.env();
    env.put("CLUSTER", "true");
    env.put("CLUSTER_NAME", clusterName);
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_MEMBERS", "127.0.0.1");
    env.put("CLUSTER_PORT", String.valueOf(clusterPort));
    env.put("MIRT_VERTICLES", roles);
    env.put("OPENAI_API_KEY", modelKey);
    env.put("MIRT_INSTANCE_ID", name);
    return env;
  }

  private MirtProcess start(Map<String, String> env) throws Exception {
    return bed.start(env.get("MIRT_INSTANCE_ID"), env);
  }

  /** Starts the nodes at the same time (joining a cluster takes a few seconds each) and waits for all of them. */
  @SafeVarargs
  private MirtProcess[] startTogether(Map<String, String>... envs) throws Exception {
    List<CompletableFuture<MirtProcess>> starting = new ArrayList<>();
    for (Map<String, String> env : envs) {
      starting.add(CompletableFuture.supplyAsync(() -> {
        try {
          return start(env);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    MirtProcess[] started = new MirtProcess[envs.length];
    for (int i = 0; i < envs.length; i++) {
      started[i] = starting.get(i).get(90, TimeUnit.SECONDS);
    }
    return started;
  }

  private static JsonObject healthOf(MirtProcess node) {
    HttpResponse<String> r = node.health();
    assertThat(r.statusCode()).as("/health: " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  /** Polls the node's {@code /health} until its body satisfies {@code condition}; returns that body. */
  private static JsonObject awaitHealth(MirtProcess node, Predicate<JsonObject> condition, String what)
    throws InterruptedException {
    String[] last = {""};
    return MirtProcess.await(() -> {
      HttpResponse<String> r;
      try {
        r = node.health();
      } catch (UncheckedIOException e) {
        last[0] = e.getCause().toString();
        return null;
      }
      last[0] = r.statusCode() + " " + r.body();
      JsonObject body = new JsonObject(r.body());
      return body.containsKey("cluster") && condition.test(body) ? body : null;
    }, MEMBER_GONE_TIMEOUT, () -> what + "; last /health: " + last[0] + "\n" + node.tail(60));
  }

  /**
   * Reads the node's debounce log in order: every turn given back because no agent ran must be sent again (with a
   * new turn id) under the attempt number it had, not the next one. Returns the subscribers of the turns given back.
   */
  private static List<String> turnsGivenBackWithoutAnAttempt(MirtProcess node) {
    Map<String, Integer> attemptOfTurn = new HashMap<>();
    Map<String, Integer> givenBackAt = new HashMap<>();
    List<String> givenBack = new ArrayList<>();
    for (String line : node.output()) {
      Matcher sent = TURN_SENT.matcher(line);
      if (sent.find()) {
        int attempt = Integer.parseInt(sent.group(3));
        attemptOfTurn.put(sent.group(1), attempt);
        Integer before = givenBackAt.remove(sent.group(2));
        assertThat(attempt).as("attempt of the turn sent after subscriber " + sent.group(2) + "'s turn was given back "
          + "for want of an agent: " + line + "\n" + node.tail(60)).isEqualTo(before == null ? attempt : before);
        continue;
      }
      Matcher back = TURN_GIVEN_BACK.matcher(line);
      if (back.find()) {
        assertThat(attemptOfTurn).as("a turn given back was sent first: " + line).containsKey(back.group(1));
        givenBackAt.put(back.group(2), attemptOfTurn.get(back.group(1)));
        givenBack.add(back.group(2));
      }
    }
    return givenBack;
  }

  /** The attempt numbers with which the node's debounce sent the subscriber's turns to an agent, in order. */
  private static List<Integer> attempts(MirtProcess node, long subscriber) {
    List<Integer> out = new ArrayList<>();
    for (String line : node.output()) {
      Matcher m = TURN_SENT.matcher(line);
      if (m.find() && Long.parseLong(m.group(2)) == subscriber) {
        out.add(Integer.parseInt(m.group(3)));
      }
    }
    return out;
  }

  /** The dead letters the node's {@code /admin/outbox} shows (turns and replies given up). */
  private static JsonArray deadLetters(MirtProcess node) {
    HttpResponse<String> r = node.outbox();
    assertThat(r.statusCode()).as("/admin/outbox: " + r.body()).isEqualTo(200);
    JsonObject outbox = new JsonObject(r.body());
    assertThat(outbox.containsKey("error")).as("/admin/outbox: " + r.body()).isFalse();
    return outbox.getJsonArray("deadLetters");
  }

  /**
   * The first of {@code count} consecutive loopback ports that nothing listens on, below the ephemeral range (so
   * that the HTTP and event-bus ports the nodes bind do not fall into it): a cluster's member ports, which no other
   * test's cluster uses.
   */
  static int freePortRange(int count) throws IOException {
    for (int tries = 0; tries < 100; tries++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 32_000 - count);
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(false);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no " + count + " consecutive free ports from 20000 to 32000");
  }
}
