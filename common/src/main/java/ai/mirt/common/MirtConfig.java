package ai.mirt.common;

import io.vertx.core.json.JsonObject;

/**
 * The typed configuration every verticle receives as its deployment config ({@link #toJson()}: a flat object
 * keyed by {@link Setting#path()}). Loading, layering and validation happen once, in the app.
 */
public record MirtConfig(Http http, ManyChat manychat, Debounce debounce, Agent agent, Push push, Admin admin,
                         State state, int shutdownGraceSeconds, Node node, Cluster cluster, Orders orders,
                         ResponseMode responseMode, Handover handover, Schedule schedule, FollowUp followUp) {

  /**
   * Response mode ({@code manychat.push-mode=false}): the webhook answers with the reply.
   *
   * @param deadlineSeconds past this the held request is answered with {@code interimText}
   */
  public record ResponseMode(double deadlineSeconds, String interimText) {
    public long deadlineMs() {
      return Math.round(deadlineSeconds * 1000);
    }
  }

  /** @param pauseHours how long an escalation silences the assistant for the subscriber; 0 = until resumed */
  public record Handover(double pauseHours) {
    /** The pause in millis; {@code 0} = until resumed. */
    public long pauseMs() {
      return Math.round(pauseHours * 3_600_000);
    }
  }

  /**
   * When the assistant answers ({@link WorkHours} reads it).
   *
   * @param mode     {@code always}, {@code inside-hours} or {@code outside-hours}
   * @param hours    the weekly work hours, e.g. {@code mon-fri 09:00-18:00, sat 10:00-16:00}
   * @param holidays dates without work hours, comma-separated
   * @param awayText sent once per off period; empty = nothing
   */
  public record Schedule(String timezone, String mode, String hours, String holidays, String awayText) {
  }

  /** @param afterHours one reminder this long after the last reply to a customer who went quiet; 0 = none */
  public record FollowUp(double afterHours) {
    public long afterMs() {
      return Math.round(afterHours * 3_600_000);
    }

    public boolean enabled() {
      return afterHours > 0;
    }
  }

  /** @param webhookUrl where confirmed orders are posted; empty = not posted */
  public record Orders(String webhookUrl) {
    public boolean post() {
      return !webhookUrl.isBlank();
    }
  }

  public record Http(int port, String host, String publicUrl, int storeTimeoutMs) {
  }

  /**
   * @param names renames of the fields and tags Mirt writes (default name → the shop's name); see {@link #name}
   */
  public record ManyChat(String apiUrl, String apiKey, String verifyToken, boolean pushMode, int timeoutMs,
                         String quickReplyFlow, java.util.Map<String, String> names) {

    public ManyChat {
      names = names == null ? java.util.Map.of() : java.util.Map.copyOf(names);
    }

    /** The shop's name for the field or tag Mirt calls {@code name}. */
    public String name(String name) {
      return names.getOrDefault(name, name);
    }

    public boolean dryRun() {
      return apiKey.isBlank();
    }
  }

  public record Debounce(double quietSeconds, double maxWaitSeconds, int sweepMs, boolean supersedeInFlight,
                         int maxReruns, int maxInFlight, double leaseSeconds, int maxAttempts, int dedupeMaxEntries) {
    public long quietMs() {
      return Math.round(quietSeconds * 1000);
    }

    public long maxWaitMs() {
      return Math.round(maxWaitSeconds * 1000);
    }

    public long leaseMs() {
      return Math.round(leaseSeconds * 1000);
    }
  }

  /**
   * The sales assistant.
   *
   * @param budgetSeconds       time a text turn may take before the honest timeout text goes out
   * @param budgetImagesSeconds the same for a turn with customer photos
   * @param interimAfterSeconds one interim message after this long; 0 = never
   * @param limitPerMinute      messages a subscriber may send a minute before only one notice answers
   */
  public record Agent(String catalog, String openaiApiKey, String openaiBaseUrl, String openaiModel,
                      int timeoutSeconds, double temperature, int historyMessages, String shop, String prompts,
                      int budgetSeconds, int budgetImagesSeconds, int interimAfterSeconds, boolean escalateOnFailure,
                      int breakerMaxFailures, int breakerResetMs, int limitPerMinute, int limitPerHour) {
    public boolean llm() {
      return !openaiApiKey.isBlank() || !openaiBaseUrl.isBlank();
    }
  }

  /**
   * Delivery to ManyChat.
   *
   * @param maxAgeSeconds      a reply older than this is dead-lettered instead of retried
   * @param rateSendContent    sendContent calls ManyChat allows per second and API key
   * @param rateSubscriber     custom-field and tag writes ManyChat allows per second and API key
   */
  public record Push(int maxAgeSeconds, int backoffMs, int backoffMaxMs, int outboxSize, int sweepMs,
                     int breakerMaxFailures, int breakerResetMs, int rateSendContent, int rateSubscriber) {
    public long maxAgeMs() {
      return maxAgeSeconds * 1000L;
    }
  }

  /**
   * Where state lives and how long it is kept.
   *
   * @param redisUrl   empty: in this process's memory
   * @param instanceId this instance's name in leases and logs (never empty once the app has started)
   */
  public record State(String redisUrl, String redisPrefix, String instanceId, int conversationTtlDays,
                      int deadLettersMax, int deadLettersMaxAgeDays) {
    public boolean redis() {
      return !redisUrl.isBlank();
    }
  }

  public record Admin(String token) {
  }

  /**
   * What this node runs.
   *
   * @param verticles the roles of {@link #ROLES} this node deploys, in the order given
   */
  public record Node(java.util.List<String> verticles) {

    /** Every role a node can run, in the order a message passes them. */
    public static final java.util.List<String> ROLES = java.util.List.of("webhook", "debounce", "agent", "push");

    /** The order a node deploys its roles in: nothing is accepted before the stages behind it run. */
    public static final java.util.List<String> DEPLOY_ORDER = java.util.List.of("push", "agent", "debounce", "webhook");

    public Node {
      verticles = java.util.List.copyOf(verticles);
    }

    public boolean runs(String role) {
      return verticles.contains(role);
    }

    /** Whether this node runs every role (the default). */
    public boolean all() {
      return verticles.containsAll(ROLES);
    }

  }

  /** The clustered event bus (Hazelcast). */
  public record Cluster(boolean enabled, String name, String members, String host, int port, int busPort,
                        String configFile) {

    /** The members to join, each as given ({@code host} or {@code host:port}). */
    public java.util.List<String> memberList() {
      return list(members);
    }
  }

  /** The flat form: {@code {"http.port": 8000, …}}, every setting present. */
  public JsonObject toJson() {
    return new JsonObject()
      .put("http.port", http.port)
      .put("http.host", http.host)
      .put("http.public-url", http.publicUrl)
      .put("http.store-timeout-ms", http.storeTimeoutMs)
      .put("manychat.api-url", manychat.apiUrl)
      .put("manychat.api-key", manychat.apiKey)
      .put("manychat.verify-token", manychat.verifyToken)
      .put("manychat.push-mode", manychat.pushMode)
      .put("manychat.timeout-ms", manychat.timeoutMs)
      .put("manychat.quick-reply-flow", manychat.quickReplyFlow)
      .put("manychat.names", String.join(",", manychat.names.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).toList()))
      .put("debounce.quiet-seconds", debounce.quietSeconds)
      .put("debounce.max-wait-seconds", debounce.maxWaitSeconds)
      .put("debounce.sweep-ms", debounce.sweepMs)
      .put("debounce.supersede-in-flight", debounce.supersedeInFlight)
      .put("debounce.max-reruns", debounce.maxReruns)
      .put("debounce.max-in-flight", debounce.maxInFlight)
      .put("debounce.lease-seconds", debounce.leaseSeconds)
      .put("debounce.max-attempts", debounce.maxAttempts)
      .put("debounce.dedupe-max-entries", debounce.dedupeMaxEntries)
      .put("agent.catalog", agent.catalog)
      .put("agent.openai-api-key", agent.openaiApiKey)
      .put("agent.openai-base-url", agent.openaiBaseUrl)
      .put("agent.openai-model", agent.openaiModel)
      .put("agent.timeout-seconds", agent.timeoutSeconds)
      .put("agent.history-messages", agent.historyMessages)
      .put("agent.temperature", agent.temperature)
      .put("agent.shop", agent.shop)
      .put("agent.prompts", agent.prompts)
      .put("agent.budget-seconds", agent.budgetSeconds)
      .put("agent.budget-images-seconds", agent.budgetImagesSeconds)
      .put("agent.interim-after-seconds", agent.interimAfterSeconds)
      .put("agent.escalate-on-failure", agent.escalateOnFailure)
      .put("agent.breaker-max-failures", agent.breakerMaxFailures)
      .put("agent.breaker-reset-ms", agent.breakerResetMs)
      .put("agent.limit-per-minute", agent.limitPerMinute)
      .put("agent.limit-per-hour", agent.limitPerHour)
      .put("orders.webhook-url", orders.webhookUrl)
      .put("response-mode.deadline-seconds", responseMode.deadlineSeconds)
      .put("response-mode.interim-text", responseMode.interimText)
      .put("handover.pause-hours", handover.pauseHours)
      .put("schedule.timezone", schedule.timezone)
      .put("schedule.mode", schedule.mode)
      .put("schedule.hours", schedule.hours)
      .put("schedule.holidays", schedule.holidays)
      .put("schedule.away-text", schedule.awayText)
      .put("followup.after-hours", followUp.afterHours)
      .put("delivery.max-age-seconds", push.maxAgeSeconds)
      .put("push.backoff-ms", push.backoffMs)
      .put("push.backoff-max-ms", push.backoffMaxMs)
      .put("push.outbox-size", push.outboxSize)
      .put("push.sweep-ms", push.sweepMs)
      .put("push.breaker-max-failures", push.breakerMaxFailures)
      .put("push.breaker-reset-ms", push.breakerResetMs)
      .put("push.rate-send-content", push.rateSendContent)
      .put("push.rate-subscriber", push.rateSubscriber)
      .put("admin.token", admin.token)
      .put("conversation.ttl-days", state.conversationTtlDays)
      .put("dead-letters.max", state.deadLettersMax)
      .put("dead-letters.max-age-days", state.deadLettersMaxAgeDays)
      .put("redis.url", state.redisUrl)
      .put("redis.prefix", state.redisPrefix)
      .put("instance.id", state.instanceId)
      .put("shutdown.grace-seconds", shutdownGraceSeconds)
      .put("node.verticles", String.join(",", node.verticles))
      .put("cluster.enabled", cluster.enabled)
      .put("cluster.name", cluster.name)
      .put("cluster.members", cluster.members)
      .put("cluster.host", cluster.host)
      .put("cluster.port", cluster.port)
      .put("cluster.bus-port", cluster.busPort)
      .put("cluster.config", cluster.configFile);
  }

  /**
   * Reads the flat form. Values must already have their types (the loader converts text); a missing key takes
   * its {@link Setting} default, so tests can pass only what they change.
   */
  public static MirtConfig fromJson(JsonObject json) {
    JsonObject j = defaults().mergeIn(json == null ? new JsonObject() : json);
    return new MirtConfig(
      new Http(j.getInteger("http.port"), j.getString("http.host"), j.getString("http.public-url"),
        j.getInteger("http.store-timeout-ms")),
      new ManyChat(j.getString("manychat.api-url"), j.getString("manychat.api-key"),
        j.getString("manychat.verify-token"), j.getBoolean("manychat.push-mode"), j.getInteger("manychat.timeout-ms"),
        j.getString("manychat.quick-reply-flow"), names(j.getString("manychat.names"))),
      new Debounce(j.getDouble("debounce.quiet-seconds"), j.getDouble("debounce.max-wait-seconds"),
        j.getInteger("debounce.sweep-ms"), j.getBoolean("debounce.supersede-in-flight"),
        j.getInteger("debounce.max-reruns"), j.getInteger("debounce.max-in-flight"), j.getDouble("debounce.lease-seconds"),
        j.getInteger("debounce.max-attempts"), j.getInteger("debounce.dedupe-max-entries")),
      new Agent(j.getString("agent.catalog"), j.getString("agent.openai-api-key"), j.getString("agent.openai-base-url"),
        j.getString("agent.openai-model"), j.getInteger("agent.timeout-seconds"), j.getDouble("agent.temperature"),
        j.getInteger("agent.history-messages"), j.getString("agent.shop"), j.getString("agent.prompts"),
        j.getInteger("agent.budget-seconds"), j.getInteger("agent.budget-images-seconds"),
        j.getInteger("agent.interim-after-seconds"), j.getBoolean("agent.escalate-on-failure"),
        j.getInteger("agent.breaker-max-failures"), j.getInteger("agent.breaker-reset-ms"),
        j.getInteger("agent.limit-per-minute"), j.getInteger("agent.limit-per-hour")),
      new Push(j.getInteger("delivery.max-age-seconds"), j.getInteger("push.backoff-ms"),
        j.getInteger("push.backoff-max-ms"), j.getInteger("push.outbox-size"), j.getInteger("push.sweep-ms"),
        j.getInteger("push.breaker-max-failures"), j.getInteger("push.breaker-reset-ms"),
        j.getInteger("push.rate-send-content"), j.getInteger("push.rate-subscriber")),
      new Admin(j.getString("admin.token")),
      new State(j.getString("redis.url"), j.getString("redis.prefix"), j.getString("instance.id"),
        j.getInteger("conversation.ttl-days"), j.getInteger("dead-letters.max"), j.getInteger("dead-letters.max-age-days")),
      j.getInteger("shutdown.grace-seconds"),
      new Node(list(j.getString("node.verticles"))),
      new Cluster(j.getBoolean("cluster.enabled"), j.getString("cluster.name"), j.getString("cluster.members"),
        j.getString("cluster.host"), j.getInteger("cluster.port"), j.getInteger("cluster.bus-port"),
        j.getString("cluster.config")),
      new Orders(j.getString("orders.webhook-url")),
      new ResponseMode(j.getDouble("response-mode.deadline-seconds"), j.getString("response-mode.interim-text")),
      new Handover(j.getDouble("handover.pause-hours")),
      new Schedule(j.getString("schedule.timezone"), j.getString("schedule.mode"), j.getString("schedule.hours"),
        j.getString("schedule.holidays"), j.getString("schedule.away-text")),
      new FollowUp(j.getDouble("followup.after-hours")));
  }

  /**
   * The {@code manychat.names} setting as a map: {@code "ai_state=bot_state, needs_human=manager"}.
   *
   * @throws IllegalArgumentException naming the entry that is not {@code default=name}
   */
  public static java.util.Map<String, String> names(String text) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String entry : list(text == null ? "" : text)) {
      int eq = entry.indexOf('=');
      String from = eq < 0 ? "" : entry.substring(0, eq).trim();
      String to = eq < 0 ? "" : entry.substring(eq + 1).trim();
      if (from.isEmpty() || to.isEmpty() || !to.matches("[\\p{L}\\p{N}_ .-]{1,100}")) {
        throw new IllegalArgumentException("expected default=name pairs separated by commas, got '" + entry + "'");
      }
      out.put(from, to);
    }
    return out;
  }

  /** A comma-separated setting split into its entries, blanks dropped, each entry once. */
  public static java.util.List<String> list(String text) {
    return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(n -> !n.isEmpty()).distinct().toList();
  }

  /** Every setting at its default, typed. */
  public static JsonObject defaults() {
    JsonObject out = new JsonObject();
    for (Setting s : Setting.ALL) {
      out.put(s.path(), typed(s, s.defaultValue()));
    }
    return out;
  }

  /** Converts the text form of a setting to its type; the message of the exception says what was expected. */
  public static Object typed(Setting s, String raw) {
    String v = raw == null ? "" : raw.trim();
    return switch (s.type()) {
      case INT -> {
        try {
          yield Integer.parseInt(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("expected a whole number, got '" + v + "'");
        }
      }
      case DECIMAL -> {
        try {
          double d = Double.parseDouble(v);
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new NumberFormatException();
          }
          yield d;
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("expected a number, got '" + v + "'");
        }
      }
      case BOOL -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
        case "true", "1", "yes", "on" -> true;
        case "false", "0", "no", "off" -> false;
        default -> throw new IllegalArgumentException("expected true or false, got '" + v + "'");
      };
      case STRING, URL, SECRET -> v;
    };
  }
}
