package ai.mirt.state;

import ai.mirt.common.HandoffDecision;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Reply;
import ai.mirt.common.Turn;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Every store in one Redis, shared by any number of instances. Each step that touches more than one key is one Lua
 * script, so it is atomic; the policy (what starts over, what may re-run, what is exhausted) is decided by
 * {@link TurnRules} in Java and reaches the scripts as flags. Times come from Redis {@code TIME} inside the scripts,
 * or from the explicit clock a test passes.
 *
 * <p>Keys, all under the prefix: per subscriber, sharing the hash tag {@code {sub}}: {@code {sub}:in} (buffer, a list
 * of message JSON), {@code {sub}:meta} (the buffer's firstAt, lastAt, attempt, reruns, restartHead),
 * {@code {sub}:turn} (the in-flight turn: id, owner, leaseUntil, attempt, reruns, firstAt, handed; a reply stored by
 * {@link #storeOwnReply} has one without messages, handed over at once), {@code {sub}:tm} (its messages),
 * {@code {sub}:out} (the stored reply, its counts, storedAt and claim), {@code {sub}:conv} (conversation and its
 * expiry), {@code {sub}:seen:<messageId>} (dedupe), {@code {sub}:last} (when the subscriber's latest message was
 * accepted, expiring after {@link TurnRules#LAST_INBOUND_TTL_MS}), {@code {sub}:pause} (the assistant's pause: since,
 * until, reason; a finite one expires when it ends) and {@code {sub}:once:<name>} (the value last recorded under the
 * name and its expiry, kept {@link ControlStore#ONCE_KEPT_MS}). Global: {@code buf} (subscriber → due time of a
 * non-empty buffer), {@code busy} (subscriber → lease end of its turn in flight; +inf once handed over),
 * {@code outbox} (subscriber → when its reply may be claimed), {@code stored} (subscriber → when its reply was stored,
 * for the backlog), {@code fu} (subscriber → when its follow-up is due; a claimed one's lease end, which is the
 * claim's token), {@code dl} (dead letter id → when it was recorded), {@code dl:json} (dead letter id → its JSON),
 * {@code counts} (buffered messages, dead letter sequence) and {@code rate:<bucket>} (when the bucket's token is
 * back, expiring soon after). The orders ({@link RedisOrderStore}), the message counters
 * ({@link RedisMessageCounter}) and the pauses and once markers ({@link RedisControlStore}) run their scripts
 * through this store, on its connection, prefix and clock. The follow-ups are this store's own, because {@link #storeOwnReply} settles one
 * in the same script that stores the reply.
 */
final class RedisStore implements TurnStore, OutboxStore, ConversationStore, DeadLetterStore, RateLimiter,
  FollowUpStore {

  private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);

  /** A request that has not been answered by then fails, so that no caller waits on a Redis that is gone. */
  static final long REQUEST_TIMEOUT_MS = 5_000;
  static final int CONNECT_TIMEOUT_MS = 2_000;
  /** Each request holds a pooled connection until it is answered; a claim sweep sends one script per candidate. */
  static final int MAX_POOL_SIZE = 16;
  static final int MAX_POOL_WAITING = 4_096;
  /** Event-loop threads with a pipelined connection of their own; more (a machine with many cores) use the pool. */
  static final int MAX_PIPELINES = 16;

  private static final long DAY_MS = 86_400_000L;
  /** How long a rate bucket's key outlives the time its token is back: it never goes early, and an idle one goes. */
  static final long RATE_GRACE_MS = 60_000;

  /** The scripts, by the name of their resource. */
  enum Script {
    APPEND, DUE_BUFFERS, CLAIM_TURN, RENEW, HANDOFF, GIVE_BACK, DUE, EXPIRED_TURN, STATS, REPLY_CLAIM,
    REPLY_ACCEPTED, REPLY_RETRY, REPLY_FINISH, BACKLOG, CONVERSATION, DEAD_LETTER, DEAD_RECENT, DEAD_REMOVE, RATE_TAKE,
    RATE_PAUSE, ORDER_SAVE, ORDER_CLAIM, ORDER_OUTCOME, ORDER_RECENT, COUNT_ADD, OWN_REPLY, PENDING, FOLLOW_UP_CLAIM,
    FOLLOW_UP_SETTLE, CONTROL_PAUSE, CONTROL_PAUSED, CONTROL_RESUME, CONTROL_ONCE, NEXT_DUE
  }

  /** A script's text, prefixed with {@code lib.lua}, and the SHA-1 it runs by. */
  private record Lua(String text, String sha) {
  }

  private final Redis redis;
  private final Map<Script, Lua> scripts = new EnumMap<>(Script.class);
  private final TurnRules rules;
  private final MirtConfig.State cfg;
  private final LongSupplier clock;
  private final MeterRegistry registry;
  private final String prefix;
  private final String address;
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final AtomicBoolean reachable = new AtomicBoolean(true);
  /**
   * One connection per event-loop thread that calls this store, kept open, on which requests are pipelined: a webhook
   * writes its message without taking a connection from the pool and giving it back, and without waiting for the
   * answer to the one before. A connection that fails or closes is dropped, and the next request opens a new one.
   * They come from a client of their own, so they never take the pool's connections.
   */
  private final Map<Thread, Future<RedisConnection>> pipelines = new ConcurrentHashMap<>();
  private final Redis pipelineClient;

  /** @param clock {@code null}: Redis {@code TIME}; otherwise an explicit clock, passed to every script */
  RedisStore(Vertx vertx, MirtConfig config, MeterRegistry registry, LongSupplier clock) {
    this.rules = new TurnRules(config.debounce());
    this.cfg = config.state();
    this.clock = clock;
    this.registry = registry == null ? new SimpleMeterRegistry() : registry;
    this.prefix = cfg.redisPrefix();
    this.address = address(cfg.redisUrl());
    RedisOptions options = new RedisOptions().setConnectionString(cfg.redisUrl())
      .setMaxPoolSize(MAX_POOL_SIZE).setMaxPoolWaiting(MAX_POOL_WAITING);
    options.getNetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS);
    this.redis = Redis.createClient(vertx, options);
    this.pipelineClient = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(MAX_PIPELINES));
    String lib = resource("lib");
    for (Script s : Script.values()) {
      String text = lib + "\n" + resource(s.name().toLowerCase(Locale.ROOT));
      scripts.put(s, new Lua(text, sha1(text)));
    }
  }

  /** The SHA-1 a script runs by. */
  String sha(Script script) {
    return scripts.get(script).sha;
  }

  Future<Void> ping() {
    return tracked("ping", send(Request.cmd(Command.PING))).mapEmpty();
  }

  Future<Void> close() {
    pipelines.values().forEach(c -> c.onSuccess(RedisConnection::close));
    pipelines.clear();
    return Future.join(pipelineClient.close(), redis.close()).mapEmpty();
  }

  // ---- TurnStore ----

  @Override
  public Future<AppendResult> append(InboundMessage m) {
    String sub = m.subscriberId();
    List<String> keys = new ArrayList<>(List.of(key(sub, "in"), key(sub, "meta"), global("buf"), global("counts"),
      key(sub, "last")));
    if (m.messageId() != null) {
      keys.add(key(sub, "seen:" + m.messageId()));
    }
    return run("append", Script.APPEND, keys, sub, m.toJson().encode(), flag(rules.startsOver(m)),
      rules.quietMs(), rules.maxWaitMs(), TurnRules.DEDUPE_TTL_MS, TurnRules.LAST_INBOUND_TTL_MS)
      .map(r -> r.toInteger() == 1 ? AppendResult.STORED : AppendResult.DUPLICATE);
  }

  @Override
  public Future<List<Turn>> claimDue(int limit, String owner, boolean drainAll) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return run("claimDue", Script.DUE_BUFFERS, List.of(global("buf"), global("busy")), limit, flag(drainAll))
      .compose(subs -> perCandidate(strings(subs), sub -> claimTurn(sub, owner, drainAll)));
  }

  private Future<Turn> claimTurn(String sub, String owner, boolean drainAll) {
    String turnId = UUID.randomUUID().toString();
    return run("claimDue", Script.CLAIM_TURN, List.of(key(sub, "in"), key(sub, "meta"), key(sub, "tm"),
        key(sub, "turn"), global("buf"), global("busy"), global("counts")),
      sub, turnId, owner, rules.leaseMs(), flag(drainAll))
      .map(r -> r == null ? null : TurnAssembler.assemble(turnId, messages(r.get(3)), r.get(0).toInteger(),
        r.get(1).toInteger(), r.get(2).toLong(), r.get(4).toLong()));
  }

  /**
   * Runs the per-subscriber step (a claim, a lease check) for every candidate at once and keeps the candidates'
   * order. A candidate another instance changed in the meantime comes back {@code null} and is left out; if some
   * steps fail, the results of the others are still returned (a failed claim changed nothing, or ends with its
   * lease), and only when none succeeded does the whole fail.
   */
  static <T> Future<List<T>> perCandidate(List<String> candidates, Function<String, Future<T>> step) {
    List<Future<T>> claims = candidates.stream().map(step).toList();
    return Future.join(claims).transform(done -> {
      List<T> out = new ArrayList<>();
      Throwable failure = null;
      for (Future<T> f : claims) {
        if (f.failed()) {
          failure = f.cause();
        } else if (f.result() != null) {
          out.add(f.result());
        }
      }
      return out.isEmpty() && failure != null ? Future.failedFuture(failure) : Future.succeededFuture(out);
    });
  }

  @Override
  public Future<Boolean> renew(String subscriberId, String turnId, String owner) {
    return run("renew", Script.RENEW, List.of(key(subscriberId, "turn"), global("busy")),
      subscriberId, turnId, owner, rules.leaseMs())
      .map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<HandoffDecision> handoff(Turn turn, Reply reply, String conversation) {
    String sub = turn.subscriberId();
    return run("handoff", Script.HANDOFF, List.of(key(sub, "turn"), key(sub, "tm"), key(sub, "in"), key(sub, "meta"),
        key(sub, "out"), key(sub, "conv"), global("buf"), global("busy"), global("outbox"), global("counts"),
        global("stored")),
      sub, turn.turnId(), flag(rules.mayRerun(turn)), turn.reruns() + 1, reply.toJson().encode(),
      conversation == null ? "" : conversation, rules.quietMs(), rules.maxWaitMs(),
      cfg.conversationTtlDays() * DAY_MS)
      .map(r -> switch (r.toInteger()) {
        case 0 -> new HandoffDecision(false, "turn is no longer in flight");
        case 1 -> new HandoffDecision(true, "reply already stored");
        case 2 -> new HandoffDecision(false, "superseded by newer messages");
        default -> new HandoffDecision(true, "reply stored");
      });
  }

  @Override
  public Future<FailOutcome> fail(Turn turn, String reason) {
    return giveBack("fail", turn, "agent_failed", reason, false);
  }

  @Override
  public Future<FailOutcome> expire(Turn turn, String reason) {
    return giveBack("expire", turn, "lease_expired", reason, true);
  }

  private Future<FailOutcome> giveBack(String op, Turn turn, String code, String reason, boolean onlyIfExpired) {
    String sub = turn.subscriberId();
    boolean exhausted = rules.exhausted(turn);
    // The script stamps the letter with the store's time: the caller does not know Redis's clock.
    String dead = "";
    String notice = "";
    if (exhausted) {
      JsonObject letter = TurnRules.deadTurn(turn, code, reason, 0).toJson();
      letter.remove("at");
      dead = letter.encode();
      notice = TurnRules.needsHuman(turn).toJson().encode();
    }
    return run(op, Script.GIVE_BACK, giveBackKeys(sub),
      sub, turn.turnId(), flag(onlyIfExpired), flag(exhausted), turn.attempt() + 1, turn.reruns(), dead,
      cfg.deadLettersMax(), cfg.deadLettersMaxAgeDays() * DAY_MS, notice)
      .map(r -> switch (r.toInteger()) {
        case 1 -> FailOutcome.RETRY;
        case 2 -> FailOutcome.DEAD_LETTERED;
        default -> FailOutcome.UNCHANGED;
      });
  }

  @Override
  public Future<Boolean> release(Turn turn) {
    String sub = turn.subscriberId();
    // A give-back that is never exhausted and keeps the attempt number: the claim is undone, not counted.
    return run("release", Script.GIVE_BACK, giveBackKeys(sub),
      // No dead letter nor notice is written, so their bounds and JSON do not matter.
      sub, turn.turnId(), flag(false), flag(false), turn.attempt(), turn.reruns(), "", 0, 0, "")
      .map(r -> r.toInteger() == 1);
  }

  private List<String> giveBackKeys(String sub) {
    return List.of(key(sub, "turn"), key(sub, "tm"), key(sub, "in"), key(sub, "meta"), global("buf"), global("busy"),
      global("counts"), global("dl"), global("dl:json"), key(sub, "out"), global("outbox"), global("stored"));
  }

  @Override
  public Future<OwnReplyResult> storeOwnReply(Reply reply, String conversation, FollowUp followUp) {
    String sub = reply.subscriberId();
    if (followUp != null && !followUp.subscriberId().equals(sub)) {
      return Future.failedFuture(new IllegalArgumentException("the follow-up of subscriber " + followUp.subscriberId()
        + " cannot settle a reply to subscriber " + sub));
    }
    return run("storeOwnReply", Script.OWN_REPLY, List.of(key(sub, "turn"), key(sub, "tm"), key(sub, "in"),
        key(sub, "out"), key(sub, "conv"), global("busy"), global("outbox"), global("stored"), global("fu")),
      sub, reply.turnId(), flag(followUp != null), followUp == null ? "" : followUp.token(), reply.toJson().encode(),
      flag(conversation != null), conversation == null ? "" : conversation, cfg.conversationTtlDays() * DAY_MS)
      .map(r -> switch (r.toInteger()) {
        case 0 -> OwnReplyResult.GONE;
        case 1 -> OwnReplyResult.BUSY;
        default -> OwnReplyResult.STORED;
      });
  }

  @Override
  public Future<List<InboundMessage>> pending(String subscriberId) {
    return run("pending", Script.PENDING, List.of(key(subscriberId, "tm"), key(subscriberId, "in")))
      .map(RedisStore::messages);
  }

  @Override
  public Future<List<Turn>> expiredLeases(int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return run("expiredLeases", Script.DUE, List.of(global("busy")), limit, flag(true))
      .compose(subs -> perCandidate(strings(subs), this::expiredTurn));
  }

  private Future<Turn> expiredTurn(String sub) {
    return run("expiredLeases", Script.EXPIRED_TURN, List.of(key(sub, "turn"), key(sub, "tm")))
      .map(r -> r == null ? null : TurnAssembler.assemble(r.get(0).toString(), messages(r.get(4)),
        r.get(1).toInteger(), r.get(2).toInteger(), r.get(3).toLong(), r.get(5).toLong()));
  }

  @Override
  public Future<Stats> stats() {
    return run("stats", Script.STATS, List.of(global("buf"), global("counts"), global("busy")))
      .map(r -> new Stats(r.get(0).toInteger(), r.get(1).toInteger(), r.get(2).toInteger()));
  }

  @Override
  public Future<Long> nextDueIn() {
    return run("nextDueIn", Script.NEXT_DUE, List.of(global("buf"))).map(r -> r.toLong());
  }

  // ---- OutboxStore ----

  @Override
  public Future<Optional<OutboxEntry>> claim(String subscriberId, String owner) {
    return claimReply("claim", subscriberId, owner).map(Optional::ofNullable);
  }

  @Override
  public Future<List<OutboxEntry>> claimDue(int limit, String owner) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return run("claimReplies", Script.DUE, List.of(global("outbox")), limit, flag(false))
      .compose(subs -> perCandidate(strings(subs), sub -> claimReply("claimReplies", sub, owner)));
  }

  private Future<OutboxEntry> claimReply(String op, String sub, String owner) {
    String token = UUID.randomUUID().toString();
    return run(op, Script.REPLY_CLAIM, List.of(key(sub, "out"), global("outbox"), key(sub, "last")),
      sub, token, owner, rules.leaseMs(), TurnRules.LAST_INBOUND_TTL_MS)
      .map(r -> r == null ? null : new OutboxEntry(Reply.fromJson(new JsonObject(r.get(0).toString())),
        r.get(1).toInteger(), r.get(2).toInteger(), r.get(3).toInteger(), r.get(4).toLong(), r.get(5).toLong(),
        token));
  }

  @Override
  public Future<Boolean> accepted(OutboxEntry entry, int accepted) {
    String sub = entry.subscriberId();
    return run("accepted", Script.REPLY_ACCEPTED, List.of(key(sub, "out"), global("outbox")),
      sub, token(entry), entry.turnId(), accepted, rules.leaseMs())
      .map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<Boolean> retryLater(OutboxEntry entry, int attempts, int timeouts, long delayMs) {
    String sub = entry.subscriberId();
    return run("retryLater", Script.REPLY_RETRY, List.of(key(sub, "out"), global("outbox")),
      sub, token(entry), entry.turnId(), attempts, timeouts, delayMs)
      .map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<Boolean> finish(OutboxEntry entry, DeadLetter deadLetter) {
    String sub = entry.subscriberId();
    return run("finish", Script.REPLY_FINISH, List.of(key(sub, "out"), global("outbox"), key(sub, "turn"),
        key(sub, "tm"), key(sub, "in"), key(sub, "meta"), global("busy"), global("dl"), global("dl:json"),
        global("counts"), global("stored")),
      sub, token(entry), entry.turnId(), deadLetter == null ? "" : deadLetter.withId(null).toJson().encode(),
      cfg.deadLettersMax(), cfg.deadLettersMaxAgeDays() * DAY_MS)
      .map(r -> r.toInteger() == 1);
  }

  private static String token(OutboxEntry entry) {
    return entry.claim() == null ? "" : entry.claim();
  }

  @Override
  public Future<Backlog> backlog() {
    return run("backlog", Script.BACKLOG, List.of(global("stored")))
      .map(r -> new Backlog(r.get(0).toInteger(), r.get(1).toLong()));
  }

  // ---- ConversationStore ----

  @Override
  public Future<String> load(String subscriberId) {
    return run("load", Script.CONVERSATION, List.of(key(subscriberId, "conv"))).map(Response::toString);
  }

  // ---- DeadLetterStore ----

  @Override
  public Future<Void> add(DeadLetter deadLetter) {
    return run("addDeadLetter", Script.DEAD_LETTER, List.of(global("dl"), global("dl:json"), global("counts")),
      deadLetter.withId(null).toJson().encode(), cfg.deadLettersMax(), cfg.deadLettersMaxAgeDays() * DAY_MS)
      .mapEmpty();
  }

  @Override
  public Future<List<DeadLetter>> recent(int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return run("recent", Script.DEAD_RECENT, List.of(global("dl"), global("dl:json")), limit).map(r -> {
      List<DeadLetter> out = new ArrayList<>();
      for (int i = 0; i < r.size(); i += 2) {
        out.add(deadLetter(r.get(i).toString(), r.get(i + 1)));
      }
      return out;
    });
  }

  @Override
  public Future<Optional<DeadLetter>> get(String id) {
    return tracked("getDeadLetter", send(Request.cmd(Command.HGET).arg(global("dl:json")).arg(id)))
      .map(r -> Optional.ofNullable(r == null ? null : deadLetter(id, r)));
  }

  @Override
  public Future<Boolean> remove(String id) {
    return run("removeDeadLetter", Script.DEAD_REMOVE, List.of(global("dl"), global("dl:json")), id)
      .map(r -> r.toInteger() == 1);
  }

  /** The JSON is stored without the id: the id is the letter's name in the index, the only place it is kept. */
  private static DeadLetter deadLetter(String id, Response json) {
    return DeadLetter.fromJson(new JsonObject(json.toString())).withId(id);
  }

  // ---- RateLimiter ----

  @Override
  public Future<Long> take(String bucket, long intervalMs) {
    return run("rateTake", Script.RATE_TAKE, List.of(global("rate:" + bucket)), intervalMs, RATE_GRACE_MS)
      .map(Response::toLong);
  }

  @Override
  public Future<Void> pause(String bucket, long ms) {
    return run("ratePause", Script.RATE_PAUSE, List.of(global("rate:" + bucket)), ms, RATE_GRACE_MS).mapEmpty();
  }

  // ---- FollowUpStore ----

  @Override
  public Future<Void> schedule(String subscriberId, long dueAt) {
    return command("scheduleFollowUp", Request.cmd(Command.ZADD).arg(global("fu")).arg(dueAt).arg(subscriberId))
      .mapEmpty();
  }

  @Override
  public Future<Void> cancel(String subscriberId) {
    return command("cancelFollowUp", Request.cmd(Command.ZREM).arg(global("fu")).arg(subscriberId)).mapEmpty();
  }

  @Override
  public Future<Optional<Long>> scheduled(String subscriberId) {
    return command("scheduledFollowUp", Request.cmd(Command.ZSCORE).arg(global("fu")).arg(subscriberId))
      .map(r -> Optional.ofNullable(r == null ? null : r.toLong()));
  }

  @Override
  public Future<List<FollowUp>> claimDue(int limit, long leaseMs) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return run("claimFollowUps", Script.FOLLOW_UP_CLAIM, List.of(global("fu")), limit, leaseMs).map(r -> {
      List<FollowUp> out = new ArrayList<>();
      for (int i = 0; i < r.size(); i += 3) {
        out.add(new FollowUp(r.get(i).toString(), r.get(i + 1).toLong(), r.get(i + 2).toLong()));
      }
      return out;
    });
  }

  @Override
  public Future<Boolean> reschedule(FollowUp claimed, long dueAt) {
    return settle("rescheduleFollowUp", claimed, Long.toString(dueAt));
  }

  @Override
  public Future<Boolean> drop(FollowUp claimed) {
    return settle("dropFollowUp", claimed, "");
  }

  private Future<Boolean> settle(String op, FollowUp claimed, String dueAt) {
    return run(op, Script.FOLLOW_UP_SETTLE, List.of(global("fu")), claimed.subscriberId(), claimed.token(), dueAt)
      .map(r -> r.toInteger() == 1);
  }

  // ---- Redis ----

  String key(String subscriberId, String part) {
    return prefix + "{" + subscriberId + "}:" + part;
  }

  String global(String name) {
    return prefix + name;
  }

  /** Runs a script by SHA; after a Redis restart (NOSCRIPT) loads it again and retries once. */
  Future<Response> run(String op, Script script, List<String> keys, Object... args) {
    Lua lua = scripts.get(script);
    Future<Response> answer = send(evalSha(lua, keys, args)).recover(e -> {
      if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
        return Future.failedFuture(e);
      }
      return send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(lua.text))
        .compose(loaded -> send(evalSha(lua, keys, args)));
    });
    return tracked(op, answer);
  }

  private Request evalSha(Lua lua, List<String> keys, Object... args) {
    Request r = Request.cmd(Command.EVALSHA).arg(lua.sha).arg(keys.size());
    keys.forEach(r::arg);
    r.arg(clock == null ? "" : Long.toString(clock.getAsLong()));
    for (Object a : args) {
      r.arg(String.valueOf(a));
    }
    return r;
  }

  /**
   * On an event loop, pipelined on that loop's own connection; elsewhere (the agent's worker threads) through the
   * pool, one connection per request.
   */
  private Future<Response> send(Request request) {
    Context context = Vertx.currentContext();
    Thread loop = Thread.currentThread();
    if (context == null || !context.isEventLoopContext()
      || (pipelines.size() >= MAX_PIPELINES && !pipelines.containsKey(loop))) {
      return redis.send(request).timeout(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
    Future<RedisConnection> connection = pipelines.compute(loop, (t, known) -> known == null || known.failed()
      ? pipelineClient.connect().onSuccess(conn -> watch(t, conn)) : known);
    return connection.compose(conn -> conn.send(request))
      .timeout(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .onFailure(e -> {
        if (!(e instanceof Response)) {
          // No answer, or no connection: the next request opens a new one rather than queue behind a dead socket.
          drop(loop, connection);
        }
      });
  }

  private void watch(Thread loop, RedisConnection conn) {
    conn.exceptionHandler(e -> drop(loop, null));
    conn.endHandler(v -> drop(loop, null));
  }

  /** Forgets the loop's connection ({@code which}, or whichever it is when {@code null}) and closes it. */
  private void drop(Thread loop, Future<RedisConnection> which) {
    Future<RedisConnection> gone = pipelines.get(loop);
    if (gone != null && (which == null || gone == which) && pipelines.remove(loop, gone)) {
      gone.onSuccess(RedisConnection::close);
    }
  }

  /** One plain command, counted and watched like the scripts. */
  Future<Response> command(String op, Request request) {
    return tracked(op, send(request));
  }

  /**
   * Counts failures by operation, and logs once when Redis stops answering and once when it answers again. An error
   * reply (a {@link Response}) means Redis was reached: it is counted, but does not make Redis unreachable.
   */
  private <T> Future<T> tracked(String op, Future<T> answer) {
    return answer.onComplete(done -> {
      if (done.failed()) {
        errorCounter(op).increment();
      }
      boolean reached = done.succeeded() || done.cause() instanceof Response;
      if (reached && reachable.compareAndSet(false, true)) {
        LOG.info("Redis at {} answers again", address);
      } else if (!reached && reachable.compareAndSet(true, false)) {
        LOG.warn("Redis at {} is unreachable: {}; webhooks answer 503 until it is back", address,
          done.cause().toString());
      }
    });
  }

  private Counter errorCounter(String op) {
    return errors.computeIfAbsent(op, o -> Counter.builder("mirt.redis.errors")
      .description("Redis calls that failed, by store operation").tag("op", o).register(registry));
  }

  static String flag(boolean b) {
    return b ? "1" : "0";
  }

  static List<String> strings(Response array) {
    List<String> out = new ArrayList<>(array.size());
    for (Response r : array) {
      out.add(r.toString());
    }
    return out;
  }

  private static List<InboundMessage> messages(Response array) {
    return strings(array).stream().map(s -> InboundMessage.fromJson(new JsonObject(s))).toList();
  }

  /**
   * {@code host:port} of the URL, parsed as the client parses it; never the URL itself, which may hold the password.
   */
  static String address(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getHost() != null) {
        return uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort());
      }
    } catch (URISyntaxException e) {
      // fall through: say which setting, not what it holds
    }
    return "redis.url";
  }

  private static String resource(String name) {
    try (InputStream in = RedisStore.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("missing script " + name + ".lua");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
