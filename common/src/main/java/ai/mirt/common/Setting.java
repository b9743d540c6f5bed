package ai.mirt.common;

import java.util.List;
import java.util.Optional;

/**
 * One configuration setting: its path in {@code conf/config.yaml}, the environment variable that overrides it,
 * its default and what it means. {@link #ALL} is the single list the loader, the config file and the README
 * table follow.
 */
public record Setting(String path, String env, Type type, String defaultValue, String description) {

  public enum Type {
    INT, DECIMAL, BOOL, STRING, URL,
    /** Taken from the environment only, never from a file; never printed. */
    SECRET
  }

  public static final List<Setting> ALL = List.of(
    new Setting("http.port", "PORT", Type.INT, "8000", "HTTP port of the webhook, health, metrics and admin endpoints"),
    new Setting("http.host", "MIRT_HTTP_HOST", Type.STRING, "0.0.0.0", "interface the HTTP server binds to"),
    new Setting("http.public-url", "MIRT_PUBLIC_URL", Type.STRING, "",
      "public base URL shown in the startup banner (empty: http://localhost:PORT)"),
    new Setting("http.store-timeout-ms", "MIRT_STORE_TIMEOUT_MS", Type.INT, "5000",
      "how long the webhook waits for the message to be stored before answering 503"),
    new Setting("manychat.api-url", "MANYCHAT_API_URL", Type.URL, "https://api.manychat.com", "ManyChat Page API base URL"),
    new Setting("manychat.api-key", "MANYCHAT_API_KEY", Type.SECRET, "",
      "ManyChat API key; unset = dry run (replies go to the log and GET /admin/outbox)"),
    new Setting("manychat.verify-token", "MANYCHAT_VERIFY_TOKEN", Type.SECRET, "",
      "shared secret ManyChat sends in X-ManyChat-Token or Authorization: Bearer; unset = generated and printed at startup"),
    new Setting("manychat.push-mode", "MANYCHAT_PUSH_MODE", Type.BOOL, "true",
      "true: acknowledge at once and push the reply through the API"),
    new Setting("manychat.timeout-ms", "MIRT_MANYCHAT_TIMEOUT_MS", Type.INT, "10000", "timeout of one ManyChat API call"),
    new Setting("manychat.quick-reply-flow", "MIRT_QUICK_REPLY_FLOW", Type.STRING, "",
      "flow ns that quick replies open (ManyChat needs a target); empty = quick replies are not sent"),
    new Setting("debounce.quiet-seconds", "MANYCHAT_DEBOUNCE_SECONDS", Type.DECIMAL, "3",
      "quiet window: a turn is due when the customer sent nothing for this long"),
    new Setting("debounce.max-wait-seconds", "MANYCHAT_DEBOUNCE_MAX_WAIT_SECONDS", Type.DECIMAL, "10",
      "a turn is due at the latest this long after its first message"),
    new Setting("debounce.sweep-ms", "MIRT_DEBOUNCE_SWEEP_MS", Type.INT, "100", "period of the sweep that finds due turns"),
    new Setting("debounce.supersede-in-flight", "MIRT_DEBOUNCE_SUPERSEDE_IN_FLIGHT", Type.BOOL, "true",
      "discard a reply not yet handed to push when new messages arrived, and re-run the turn with all of them"),
    new Setting("debounce.max-reruns", "MIRT_DEBOUNCE_MAX_RERUNS", Type.INT, "2",
      "how many times one burst may be re-run before its reply goes out anyway"),
    new Setting("debounce.max-in-flight", "MIRT_DEBOUNCE_MAX_IN_FLIGHT", Type.INT, "64",
      "turns handed to the agent at once; further due turns wait in their buffers, oldest first"),
    new Setting("debounce.lease-seconds", "MIRT_DEBOUNCE_LEASE_SECONDS", Type.DECIMAL, "30",
      "lease of a claimed turn or reply, renewed while an instance works on it; when it ends another claim takes the work over"),
    new Setting("debounce.max-attempts", "MIRT_DEBOUNCE_MAX_ATTEMPTS", Type.INT, "3",
      "runs of a turn whose agent failed before it is dead-lettered"),
    new Setting("debounce.dedupe-max-entries", "MIRT_DEDUPE_MAX_ENTRIES", Type.INT, "100000",
      "message ids remembered for 24 h to drop duplicate deliveries; in memory at most this many (oldest forgotten first)"),
    new Setting("agent.catalog", "MIRT_CATALOG", Type.STRING, "conf/catalog.json",
      "product catalog file; only at the default path does a missing file fall back to the built-in demo catalog"),
    new Setting("agent.openai-api-key", "OPENAI_API_KEY", Type.SECRET, "",
      "key of an OpenAI-compatible API; with it (or a base URL) the LLM answers instead of the offline model"),
    new Setting("agent.openai-base-url", "OPENAI_BASE_URL", Type.STRING, "",
      "OpenAI-compatible base URL including /v1 (empty: https://api.openai.com/v1)"),
    new Setting("agent.openai-model", "OPENAI_MODEL", Type.STRING, "gpt-4o-mini", "chat model name"),
    new Setting("agent.timeout-seconds", "MIRT_AGENT_TIMEOUT_SECONDS", Type.INT, "60", "timeout of one LLM call"),
    new Setting("agent.history-messages", "MIRT_AGENT_HISTORY_MESSAGES", Type.INT, "20",
      "conversation messages kept per subscriber and given to the model"),
    new Setting("delivery.max-age-seconds", "MIRT_DELIVERY_MAX_AGE_SECONDS", Type.INT, "3600",
      "a reply ManyChat has not taken this long after the agent stored it is dead-lettered (max_age); until then failed calls are retried and an open breaker holds replies back"),
    new Setting("push.backoff-ms", "MIRT_PUSH_BACKOFF_MS", Type.INT, "500",
      "first retry delay of a failed ManyChat call; grows exponentially, with jitter"),
    new Setting("push.backoff-max-ms", "MIRT_PUSH_BACKOFF_MAX_MS", Type.INT, "60000", "longest retry delay"),
    new Setting("push.rate-send-content", "MIRT_RATE_SEND_CONTENT", Type.INT, "25",
      "sendContent calls ManyChat allows per second per API key; all instances together stay under it"),
    new Setting("push.rate-subscriber", "MIRT_RATE_SUBSCRIBER", Type.INT, "10",
      "custom-field and tag writes ManyChat allows per second per API key; all instances together stay under it"),
    new Setting("push.outbox-size", "MIRT_OUTBOX_SIZE", Type.INT, "100",
      "payloads of this instance kept for GET /admin/outbox, and dead letters shown there"),
    new Setting("push.sweep-ms", "MIRT_PUSH_SWEEP_MS", Type.INT, "250",
      "period of the sweep that claims stored replies due for (re)delivery: retries, and replies whose lease ended"),
    new Setting("push.breaker-max-failures", "MIRT_BREAKER_MAX_FAILURES", Type.INT, "5",
      "ManyChat failures (network, timeout, 5xx) within 10 s that open the circuit breaker"),
    new Setting("push.breaker-reset-ms", "MIRT_BREAKER_RESET_MS", Type.INT, "30000",
      "how long the open breaker waits before it lets one call through"),
    new Setting("admin.token", "ADMIN_TOKEN", Type.SECRET, "",
      "bearer token of the /admin endpoints; unset = generated and printed at startup"),
    new Setting("conversation.ttl-days", "MIRT_CONVERSATION_TTL_DAYS", Type.INT, "30",
      "a conversation not continued for this many days is forgotten"),
    new Setting("dead-letters.max", "MIRT_DEAD_LETTERS_MAX", Type.INT, "1000",
      "dead letters kept (turns and replies given up with a reason); the oldest go first"),
    new Setting("dead-letters.max-age-days", "MIRT_DEAD_LETTERS_MAX_AGE_DAYS", Type.INT, "14",
      "dead letters older than this many days are dropped"),
    new Setting("redis.url", "REDIS_URL", Type.STRING, "",
      "Redis URL for shared state (redis://[:password@]host:port/db); empty = in memory, single instance"),
    new Setting("redis.prefix", "REDIS_PREFIX", Type.STRING, "mirt:", "prefix of every Redis key Mirt writes"),
    new Setting("instance.id", "MIRT_INSTANCE_ID", Type.STRING, "",
      "name of this instance in leases and logs; empty = host name and process id"),
    new Setting("shutdown.grace-seconds", "MIRT_SHUTDOWN_GRACE_SECONDS", Type.INT, "20",
      "on SIGTERM, how long buffered and in-flight turns may take to finish"),
    new Setting("node.verticles", "MIRT_VERTICLES", Type.STRING, "webhook,debounce,agent,push",
      "the verticles this node runs, comma-separated; fewer than all four needs cluster.enabled"),
    new Setting("cluster.enabled", "CLUSTER", Type.BOOL, "false",
      "join a Vert.x cluster (Hazelcast) so that nodes share one event bus; needs redis.url"),
    new Setting("cluster.name", "CLUSTER_NAME", Type.STRING, "mirt",
      "name of the cluster; nodes join only nodes with the same name"),
    new Setting("cluster.members", "CLUSTER_MEMBERS", Type.STRING, "127.0.0.1",
      "comma-separated addresses of nodes to join (host or host:port; a host alone is tried on cluster.port and the 9 ports above it)"),
    new Setting("cluster.host", "CLUSTER_HOST", Type.STRING, "127.0.0.1",
      "address of this node that the other nodes reach, for cluster membership and the event bus"),
    new Setting("cluster.port", "CLUSTER_PORT", Type.INT, "5701",
      "cluster membership (Hazelcast) port; when taken, the next free one of the 9 above it"),
    new Setting("cluster.bus-port", "CLUSTER_BUS_PORT", Type.INT, "0",
      "event-bus port that other nodes send messages to; 0 = any free port (fix it when a firewall sits between nodes)"),
    new Setting("cluster.config", "CLUSTER_CONFIG", Type.STRING, "conf/cluster.xml",
      "Hazelcast configuration file; the settings above override its join, interface, port and name; only at the default path does a missing file fall back to the built-in one")
  );

  public static Optional<Setting> byPath(String path) {
    return ALL.stream().filter(s -> s.path.equals(path)).findFirst();
  }
}
