package ai.mirt.state;

import ai.mirt.common.HandoffDecision;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Reply;
import ai.mirt.common.Turn;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Every store in this process's memory: the default when no Redis is configured, for one instance. What it holds is
 * lost with the process. One object implements every interface because a handoff writes the turn, the outbox
 * and the conversation in one step (and a reply stored on Mirt's own settles a follow-up in the same step); every
 * method holds the object's lock, since the agent's worker threads and the event loops of debounce and push call it
 * at once.
 */
public final class MemoryStore implements TurnStore, OutboxStore, ConversationStore, DeadLetterStore, RateLimiter,
  FollowUpStore {

  private final TurnRules rules;
  private final MirtConfig.State cfg;
  private final LongSupplier clock;
  private final Map<String, Slot> slots = new HashMap<>();
  /**
   * The slots whose buffer waits for its due time (messages and no turn in flight), earliest due first: a sweep
   * takes what is due from the head instead of looking at every subscriber.
   */
  private final TreeSet<Slot> queue = new TreeSet<>(Comparator.comparingLong((Slot s) -> s.queuedAt)
    .thenComparing(s -> s.id));
  /** The slots with a turn in flight, where ended leases are looked for. */
  private final Set<Slot> flying = new HashSet<>();
  /** Buffered messages, and subscribers with a buffer, kept as slots change so that counting is free. */
  private int pendingMessages;
  private int pendingSubscribers;
  private final Map<String, Out> outbox = new LinkedHashMap<>();
  private final Map<String, Conversation> conversations = new HashMap<>();
  /** Dead letters by id, oldest first. */
  private final LinkedHashMap<String, Dead> dead = new LinkedHashMap<>();
  private long deadSeq;
  private final LinkedHashMap<String, Long> seen;
  /** When each subscriber's latest message was accepted, the longest-silent first: the head is what ages out. */
  private final LinkedHashMap<String, Long> lastInbound = new LinkedHashMap<>();
  /** When each rate bucket's token is back. */
  private final Map<String, Long> rates = new HashMap<>();
  /** When each subscriber's follow-up is due; a claimed one's lease end, which is the claim's token. */
  private final Map<String, Long> followUps = new HashMap<>();

  /** A subscriber's buffer and its turn in flight. */
  private static final class Slot {
    final String id;
    final List<InboundMessage> pending = new ArrayList<>();
    long firstAt;
    long lastAt;
    long dueAt;
    int attempt = 1;
    int reruns;
    /** The buffer starts with a {@code /restart}: a re-run over it does not bring back older messages. */
    boolean restartHead;
    InFlight inFlight;
    /** Its due time while in {@link #queue}, {@link #NOT_QUEUED} otherwise; the queue's order must not move. */
    long queuedAt = NOT_QUEUED;
    /** The buffered messages, and whether a turn was in flight, when the counts last took this slot in. */
    int countedMessages;
    boolean countedFlying;

    Slot(String id) {
      this.id = id;
    }

    boolean empty() {
      return pending.isEmpty() && inFlight == null;
    }
  }

  private static final class InFlight {
    final Turn turn;
    final List<InboundMessage> messages;
    String owner;
    long leaseUntil;
    boolean handed;

    InFlight(Turn turn, List<InboundMessage> messages, String owner, long leaseUntil) {
      this.turn = turn;
      this.messages = messages;
      this.owner = owner;
      this.leaseUntil = leaseUntil;
    }
  }

  private static final class Out {
    final Reply reply;
    final long storedAt;
    int accepted;
    int attempts;
    int timeouts;
    String claim;
    long availableAt;

    Out(Reply reply, long storedAt) {
      this.reply = reply;
      this.storedAt = storedAt;
      this.availableAt = storedAt;
    }
  }

  private static final long NOT_QUEUED = Long.MIN_VALUE;

  private record Conversation(String json, long expiresAt) {
  }

  /** A dead letter and when this store recorded it, by its own clock: age is counted from then. */
  private record Dead(DeadLetter letter, long storedAt) {
  }

  public MemoryStore(MirtConfig config, LongSupplier clock) {
    this.rules = new TurnRules(config.debounce());
    this.cfg = config.state();
    this.clock = clock;
    int max = rules.dedupeMaxEntries();
    this.seen = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > max;
      }
    };
  }

  /** Subscribers with a buffer or a turn kept for them: an idle subscriber has none. */
  synchronized int slotCount() {
    return slots.size();
  }

  /** Subscribers whose last inbound time is kept. */
  synchronized int lastInboundCount() {
    return lastInbound.size();
  }

  // ---- TurnStore ----

  @Override
  public synchronized Future<AppendResult> append(InboundMessage m) {
    long now = clock.getAsLong();
    if (m.messageId() != null) {
      String key = m.subscriberId() + '\u0000' + m.messageId();
      Long until = seen.get(key);
      if (until != null && until > now) {
        return Future.succeededFuture(AppendResult.DUPLICATE);
      }
      seen.remove(key);
      seen.put(key, now + TurnRules.DEDUPE_TTL_MS);
    }
    wrote(m.subscriberId(), now);
    Slot slot = slots.computeIfAbsent(m.subscriberId(), Slot::new);
    boolean startsOver = rules.startsOver(m);
    if (startsOver) {
      slot.pending.clear();
      slot.attempt = 1;
      slot.reruns = 0;
    }
    if (slot.pending.isEmpty()) {
      slot.firstAt = now;
      slot.restartHead = startsOver;
    }
    slot.pending.add(m);
    slot.lastAt = now;
    slot.dueAt = rules.dueAt(slot.firstAt, now);
    index(slot);
    return Future.succeededFuture(AppendResult.STORED);
  }

  /** Records the subscriber's latest message and forgets those who have been silent for longer than the TTL. */
  private void wrote(String subscriberId, long now) {
    lastInbound.remove(subscriberId);
    lastInbound.put(subscriberId, now);
    Iterator<Long> it = lastInbound.values().iterator();
    while (it.hasNext() && !inboundKept(it.next(), now)) {
      it.remove();
    }
  }

  private static boolean inboundKept(long at, long now) {
    return at + TurnRules.LAST_INBOUND_TTL_MS > now;
  }

  @Override
  public synchronized Future<List<Turn>> claimDue(int limit, String owner, boolean drainAll) {
    long now = clock.getAsLong();
    List<Turn> claimed = new ArrayList<>();
    // Oldest due first, so that under load no subscriber waits behind later ones.
    Iterator<Slot> due = queue.iterator();
    while (claimed.size() < limit && due.hasNext()) {
      Slot slot = due.next();
      if (!drainAll && slot.queuedAt > now) {
        break;
      }
      due.remove();
      slot.queuedAt = NOT_QUEUED;
      List<InboundMessage> messages = List.copyOf(slot.pending);
      Turn turn = TurnAssembler.assemble(UUID.randomUUID().toString(), messages, slot.attempt, slot.reruns,
        slot.firstAt, slot.dueAt);
      slot.inFlight = new InFlight(turn, messages, owner, now + rules.leaseMs());
      slot.pending.clear();
      slot.attempt = 1;
      slot.reruns = 0;
      slot.restartHead = false;
      index(slot);
      claimed.add(turn);
    }
    return Future.succeededFuture(claimed);
  }

  /**
   * Brings the due-time queue, the in-flight set and the counts up to date with a slot that changed; called after
   * every change of a slot's buffer, due time or turn in flight, and before a slot is dropped.
   */
  private void index(Slot slot) {
    if (slot.queuedAt != NOT_QUEUED) {
      queue.remove(slot);
      slot.queuedAt = NOT_QUEUED;
    }
    if (slot.inFlight == null && !slot.pending.isEmpty()) {
      slot.queuedAt = slot.dueAt;
      queue.add(slot);
    }
    int messages = slot.pending.size();
    pendingMessages += messages - slot.countedMessages;
    pendingSubscribers += (messages > 0 ? 1 : 0) - (slot.countedMessages > 0 ? 1 : 0);
    slot.countedMessages = messages;
    boolean inFlight = slot.inFlight != null;
    if (inFlight != slot.countedFlying) {
      if (inFlight) {
        flying.add(slot);
      } else {
        flying.remove(slot);
      }
      slot.countedFlying = inFlight;
    }
  }

  @Override
  public synchronized Future<Boolean> renew(String subscriberId, String turnId, String owner) {
    InFlight f = inFlight(subscriberId, turnId);
    if (f == null || f.handed) {
      return Future.succeededFuture(false);
    }
    f.leaseUntil = clock.getAsLong() + rules.leaseMs();
    f.owner = owner;
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<HandoffDecision> handoff(Turn turn, Reply reply, String conversation) {
    long now = clock.getAsLong();
    String sub = turn.subscriberId();
    InFlight f = inFlight(sub, turn.turnId());
    if (f == null) {
      return Future.succeededFuture(new HandoffDecision(false, "turn is no longer in flight"));
    }
    if (f.handed) {
      return Future.succeededFuture(new HandoffDecision(true, "reply already stored"));
    }
    Slot slot = slots.get(sub);
    if (!slot.pending.isEmpty() && rules.mayRerun(turn)) {
      requeue(slot, f, 1, turn.reruns() + 1);
      slot.dueAt = rules.dueAt(slot.firstAt, slot.lastAt);
      index(slot);
      return Future.succeededFuture(new HandoffDecision(false, "superseded by newer messages"));
    }
    storeReply(f, reply, now);
    saveConversation(sub, conversation, now);
    return Future.succeededFuture(new HandoffDecision(true, "reply stored"));
  }

  /** Keeps the conversation for its TTL; {@code null} or empty clears it. */
  private void saveConversation(String sub, String conversation, long now) {
    if (conversation == null || conversation.isEmpty()) {
      conversations.remove(sub);
    } else {
      conversations.put(sub, new Conversation(conversation, now + cfg.conversationTtlDays() * 86_400_000L));
    }
  }

  /** The turn is handed over: it holds the subscriber until its reply, claimable at once, is finished. */
  private void storeReply(InFlight f, Reply reply, long now) {
    f.handed = true;
    outbox.put(f.turn.subscriberId(), new Out(reply, now));
  }

  @Override
  public synchronized Future<FailOutcome> fail(Turn turn, String reason) {
    return Future.succeededFuture(giveBack(turn, "agent_failed", reason, false));
  }

  @Override
  public synchronized Future<FailOutcome> expire(Turn turn, String reason) {
    return Future.succeededFuture(giveBack(turn, "lease_expired", reason, true));
  }

  @Override
  public synchronized Future<Boolean> release(Turn turn) {
    InFlight f = inFlight(turn.subscriberId(), turn.turnId());
    if (f == null || f.handed) {
      return Future.succeededFuture(false);
    }
    Slot slot = slots.get(turn.subscriberId());
    requeue(slot, f, turn.attempt(), turn.reruns());
    slot.dueAt = clock.getAsLong();
    index(slot);
    return Future.succeededFuture(true);
  }

  private FailOutcome giveBack(Turn turn, String code, String reason, boolean onlyIfExpired) {
    long now = clock.getAsLong();
    String sub = turn.subscriberId();
    InFlight f = inFlight(sub, turn.turnId());
    if (f == null || f.handed || (onlyIfExpired && f.leaseUntil >= now)) {
      return FailOutcome.UNCHANGED;
    }
    if (rules.exhausted(turn)) {
      // The messages live on in the dead letter; the notice goes out in the turn's place, as a reply would.
      storeReply(f, TurnRules.needsHuman(turn), now);
      addDead(TurnRules.deadTurn(turn, code, reason, now), now);
      return FailOutcome.DEAD_LETTERED;
    }
    Slot slot = slots.get(sub);
    requeue(slot, f, turn.attempt() + 1, turn.reruns());
    slot.dueAt = now;
    index(slot);
    return FailOutcome.RETRY;
  }

  /** Puts the in-flight turn's messages back in front of the buffer (unless it starts over) and frees the slot. */
  private static void requeue(Slot slot, InFlight f, int attempt, int reruns) {
    if (!slot.restartHead) {
      List<InboundMessage> merged = new ArrayList<>(f.messages);
      merged.addAll(slot.pending);
      slot.pending.clear();
      slot.pending.addAll(merged);
      slot.firstAt = f.turn.firstAt();
    }
    slot.attempt = attempt;
    slot.reruns = reruns;
    slot.inFlight = null;
  }

  @Override
  public synchronized Future<OwnReplyResult> storeOwnReply(Reply reply, String conversation, FollowUp followUp) {
    String sub = reply.subscriberId();
    if (followUp != null) {
      if (!followUp.subscriberId().equals(sub)) {
        return Future.failedFuture(new IllegalArgumentException("the follow-up of subscriber "
          + followUp.subscriberId() + " cannot settle a reply to subscriber " + sub));
      }
      if (!Long.valueOf(followUp.token()).equals(followUps.get(sub))) {
        return Future.succeededFuture(OwnReplyResult.GONE);
      }
      // Whatever happens now, the follow-up is settled: the customer is not quiet, or it is sent.
      followUps.remove(sub);
    }
    Slot slot = slots.get(sub);
    if (slot != null && (slot.inFlight != null || (followUp != null && !slot.pending.isEmpty()))) {
      return Future.succeededFuture(OwnReplyResult.BUSY);
    }
    long now = clock.getAsLong();
    InFlight f = new InFlight(ownTurn(reply, now), List.of(), "", now);
    Slot own = slots.computeIfAbsent(sub, Slot::new);
    own.inFlight = f;
    index(own);
    storeReply(f, reply, now);
    if (conversation != null) {
      saveConversation(sub, conversation, now);
    }
    return Future.succeededFuture(OwnReplyResult.STORED);
  }

  /**
   * The turn a reply stored on Mirt's own answers: it has no messages and never reaches an agent, it only holds the
   * subscriber until the reply is finished.
   */
  private static Turn ownTurn(Reply reply, long now) {
    return new Turn(reply.subscriberId(), reply.turnId(), reply.channel(), "", List.of(), null, 0, now, 1, 0,
      reply.traceId(), reply.replyTo());
  }

  @Override
  public synchronized Future<List<InboundMessage>> pending(String subscriberId) {
    Slot slot = slots.get(subscriberId);
    List<InboundMessage> out = new ArrayList<>();
    if (slot != null) {
      if (slot.inFlight != null && !slot.inFlight.handed) {
        out.addAll(slot.inFlight.messages);
      }
      out.addAll(slot.pending);
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<List<Turn>> expiredLeases(int limit) {
    long now = clock.getAsLong();
    List<Turn> out = new ArrayList<>();
    for (Slot slot : flying) {
      InFlight f = slot.inFlight;
      if (f != null && !f.handed && f.leaseUntil < now && out.size() < limit) {
        out.add(f.turn);
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Stats> stats() {
    return Future.succeededFuture(new Stats(pendingSubscribers, pendingMessages, flying.size()));
  }

  @Override
  public synchronized Future<Long> nextDueIn() {
    long now = clock.getAsLong();
    Slot after = new Slot("");
    after.queuedAt = now + 1;
    Slot next = queue.ceiling(after);
    return Future.succeededFuture(next == null ? -1L : next.queuedAt - now);
  }

  private InFlight inFlight(String subscriberId, String turnId) {
    Slot slot = slots.get(subscriberId);
    InFlight f = slot == null ? null : slot.inFlight;
    return f != null && f.turn.turnId().equals(turnId) ? f : null;
  }

  // ---- OutboxStore ----

  @Override
  public synchronized Future<Optional<OutboxEntry>> claim(String subscriberId, String owner) {
    Out o = outbox.get(subscriberId);
    long now = clock.getAsLong();
    return Future.succeededFuture(o == null || o.availableAt > now ? Optional.empty() : Optional.of(claim(o, now)));
  }

  @Override
  public synchronized Future<List<OutboxEntry>> claimDue(int limit, String owner) {
    long now = clock.getAsLong();
    List<Out> due = outbox.values().stream().filter(o -> o.availableAt <= now)
      .sorted(Comparator.comparingLong((Out o) -> o.availableAt).thenComparingLong(o -> o.storedAt))
      .limit(Math.max(0, limit)).toList();
    List<OutboxEntry> out = new ArrayList<>();
    for (Out o : due) {
      out.add(claim(o, now));
    }
    return Future.succeededFuture(out);
  }

  private OutboxEntry claim(Out o, long now) {
    o.claim = UUID.randomUUID().toString();
    o.availableAt = now + rules.leaseMs();
    Long wrote = lastInbound.get(o.reply.subscriberId());
    long lastInboundAt = wrote != null && inboundKept(wrote, now) ? wrote : 0;
    return new OutboxEntry(o.reply, o.accepted, o.attempts, o.timeouts, o.storedAt, lastInboundAt, o.claim);
  }

  @Override
  public synchronized Future<Boolean> accepted(OutboxEntry entry, int accepted) {
    Out o = claimed(entry);
    if (o == null) {
      return Future.succeededFuture(false);
    }
    o.accepted = accepted;
    o.availableAt = clock.getAsLong() + rules.leaseMs();
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Boolean> retryLater(OutboxEntry entry, int attempts, int timeouts, long delayMs) {
    Out o = claimed(entry);
    if (o == null) {
      return Future.succeededFuture(false);
    }
    o.attempts = attempts;
    o.timeouts = timeouts;
    o.claim = null;
    o.availableAt = clock.getAsLong() + Math.max(0, delayMs);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Boolean> finish(OutboxEntry entry, DeadLetter deadLetter) {
    Out o = claimed(entry);
    if (o == null) {
      return Future.succeededFuture(false);
    }
    long now = clock.getAsLong();
    String sub = entry.subscriberId();
    outbox.remove(sub);
    if (deadLetter != null) {
      addDead(deadLetter, now);
    }
    Slot slot = slots.get(sub);
    if (slot != null && slot.inFlight != null && slot.inFlight.turn.turnId().equals(entry.turnId())) {
      slot.inFlight = null;
      index(slot);
      if (slot.empty()) {
        slots.remove(sub);
      }
    }
    return Future.succeededFuture(true);
  }

  private Out claimed(OutboxEntry entry) {
    Out o = outbox.get(entry.subscriberId());
    return o != null && entry.claim() != null && entry.claim().equals(o.claim)
      && o.reply.turnId().equals(entry.turnId()) ? o : null;
  }

  @Override
  public synchronized Future<Backlog> backlog() {
    long oldest = outbox.values().stream().mapToLong(o -> o.storedAt).min().orElse(0);
    return Future.succeededFuture(new Backlog(outbox.size(), oldest));
  }

  // ---- ConversationStore ----

  @Override
  public synchronized Future<String> load(String subscriberId) {
    Conversation c = conversations.get(subscriberId);
    if (c != null && c.expiresAt <= clock.getAsLong()) {
      conversations.remove(subscriberId);
      c = null;
    }
    return Future.succeededFuture(c == null ? "" : c.json);
  }

  // ---- DeadLetterStore ----

  @Override
  public synchronized Future<Void> add(DeadLetter deadLetter) {
    addDead(deadLetter, clock.getAsLong());
    return Future.succeededFuture();
  }

  private void addDead(DeadLetter d, long now) {
    String id = Long.toString(++deadSeq);
    dead.put(id, new Dead(d.withId(id), now));
    Iterator<Dead> it = dead.values().iterator();
    for (int excess = dead.size() - cfg.deadLettersMax(); excess > 0; excess--) {
      it.next();
      it.remove();
    }
    long oldest = now - cfg.deadLettersMaxAgeDays() * 86_400_000L;
    it = dead.values().iterator();
    while (it.hasNext() && it.next().storedAt() < oldest) {
      it.remove();
    }
  }

  @Override
  public synchronized Future<List<DeadLetter>> recent(int limit) {
    List<Dead> all = new ArrayList<>(dead.values());
    List<DeadLetter> out = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
      out.add(all.get(i).letter());
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Optional<DeadLetter>> get(String id) {
    return Future.succeededFuture(Optional.ofNullable(dead.get(id)).map(Dead::letter));
  }

  @Override
  public synchronized Future<Boolean> remove(String id) {
    return Future.succeededFuture(dead.remove(id) != null);
  }

  // ---- FollowUpStore ----

  @Override
  public synchronized Future<Void> schedule(String subscriberId, long dueAt) {
    followUps.put(subscriberId, dueAt);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> cancel(String subscriberId) {
    followUps.remove(subscriberId);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Optional<Long>> scheduled(String subscriberId) {
    return Future.succeededFuture(Optional.ofNullable(followUps.get(subscriberId)));
  }

  @Override
  public synchronized Future<List<FollowUp>> claimDue(int limit, long leaseMs) {
    long now = clock.getAsLong();
    long token = now + leaseMs;
    // Earliest first, and by subscriber id among the equally due, as Redis orders a sorted set.
    List<FollowUp> out = followUps.entrySet().stream().filter(e -> e.getValue() <= now)
      .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
      .limit(Math.max(0, limit)).map(e -> new FollowUp(e.getKey(), e.getValue(), token)).toList();
    for (FollowUp f : out) {
      followUps.put(f.subscriberId(), token);
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Boolean> reschedule(FollowUp claimed, long dueAt) {
    return Future.succeededFuture(followUps.replace(claimed.subscriberId(), claimed.token(), dueAt));
  }

  @Override
  public synchronized Future<Boolean> drop(FollowUp claimed) {
    return Future.succeededFuture(followUps.remove(claimed.subscriberId(), claimed.token()));
  }

  // ---- RateLimiter ----

  @Override
  public synchronized Future<Long> take(String bucket, long intervalMs) {
    long now = clock.getAsLong();
    long next = rates.getOrDefault(bucket, 0L);
    if (next > now) {
      return Future.succeededFuture(next - now);
    }
    rates.put(bucket, now + intervalMs);
    return Future.succeededFuture(0L);
  }

  @Override
  public synchronized Future<Void> pause(String bucket, long ms) {
    rates.merge(bucket, clock.getAsLong() + ms, Math::max);
    return Future.succeededFuture();
  }
}
