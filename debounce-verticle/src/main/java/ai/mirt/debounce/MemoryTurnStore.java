package ai.mirt.debounce;

import ai.mirt.common.Commands;
import ai.mirt.common.HandoffDecision;
import ai.mirt.common.InboundMessage;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.Turn;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@link TurnStore} in the memory of one process: used when no Redis is configured. Confined to the debounce
 * verticle's event loop, so plain collections suffice.
 */
public final class MemoryTurnStore implements TurnStore {

  private static final long DEDUPE_TTL_MS = 24 * 3600 * 1000L;

  private final MirtConfig.Debounce cfg;
  private final Map<String, Slot> slots = new HashMap<>();
  private final LinkedHashMap<String, Long> seen;

  /** Messages waiting for the subscriber's next turn, and the turn in flight. */
  private static final class Slot {
    final List<InboundMessage> pending = new ArrayList<>();
    long firstAt;
    long dueAt;
    int attempt = 1;
    int reruns;
    InFlight inFlight;

    boolean empty() {
      return pending.isEmpty() && inFlight == null;
    }
  }

  private record InFlight(Turn turn, List<InboundMessage> messages, long leaseUntil, boolean handed) {
  }

  public MemoryTurnStore(MirtConfig.Debounce cfg) {
    this.cfg = cfg;
    int max = cfg.dedupeMaxEntries();
    this.seen = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > max;
      }
    };
  }

  @Override
  public Future<AppendResult> append(InboundMessage m, long now) {
    if (m.messageId() != null) {
      String key = m.subscriberId() + '\u0000' + m.messageId();
      Long until = seen.get(key);
      if (until != null && until > now) {
        return Future.succeededFuture(AppendResult.DUPLICATE);
      }
      seen.remove(key);
      seen.put(key, now + DEDUPE_TTL_MS);
    }
    Slot slot = slots.computeIfAbsent(m.subscriberId(), k -> new Slot());
    if (Commands.isRestart(m.text()) && !slot.pending.isEmpty()) {
      slot.pending.clear();
      slot.attempt = 1;
      slot.reruns = 0;
    }
    if (slot.pending.isEmpty()) {
      slot.firstAt = now;
    }
    slot.pending.add(m);
    slot.dueAt = Math.min(now + cfg.quietMs(), slot.firstAt + cfg.maxWaitMs());
    return Future.succeededFuture(AppendResult.STORED);
  }

  @Override
  public Future<List<Turn>> claimDue(long now, int limit, boolean drainAll) {
    // Oldest due first, so that under load no subscriber waits behind later ones.
    List<Map.Entry<String, Slot>> due = new ArrayList<>();
    for (Map.Entry<String, Slot> e : slots.entrySet()) {
      Slot slot = e.getValue();
      if (slot.inFlight == null && !slot.pending.isEmpty() && (drainAll || slot.dueAt <= now)) {
        due.add(e);
      }
    }
    due.sort(Comparator.comparingLong(e -> e.getValue().dueAt));
    List<Turn> claimed = new ArrayList<>();
    for (Map.Entry<String, Slot> e : due.subList(0, Math.min(limit, due.size()))) {
      Slot slot = e.getValue();
      List<InboundMessage> messages = List.copyOf(slot.pending);
      Turn turn = TurnAssembler.assemble(UUID.randomUUID().toString(), messages, slot.attempt, slot.reruns);
      slot.inFlight = new InFlight(turn, messages, now + cfg.leaseMs(), false);
      slot.pending.clear();
      slot.attempt = 1;
      slot.reruns = 0;
      claimed.add(turn);
    }
    return Future.succeededFuture(claimed);
  }

  @Override
  public Future<HandoffDecision> handoff(String subscriberId, String turnId, long now) {
    Slot slot = slots.get(subscriberId);
    InFlight f = slot == null ? null : slot.inFlight;
    if (f == null || !f.turn().turnId().equals(turnId)) {
      return Future.succeededFuture(new HandoffDecision(false, "turn is no longer in flight"));
    }
    if (cfg.supersedeInFlight() && !slot.pending.isEmpty() && f.turn().reruns() < cfg.maxReruns()) {
      boolean restart = Commands.isRestart(slot.pending.get(0).text());
      List<InboundMessage> merged = new ArrayList<>(restart ? List.of() : f.messages());
      merged.addAll(slot.pending);
      slot.pending.clear();
      slot.pending.addAll(merged);
      slot.reruns = f.turn().reruns() + 1;
      slot.attempt = 1;
      slot.firstAt = merged.get(0).receivedAt();
      long last = merged.get(merged.size() - 1).receivedAt();
      slot.dueAt = Math.min(last + cfg.quietMs(), slot.firstAt + cfg.maxWaitMs());
      slot.inFlight = null;
      return Future.succeededFuture(new HandoffDecision(false, "superseded by newer messages"));
    }
    slot.inFlight = new InFlight(f.turn(), f.messages(), f.leaseUntil(), true);
    return Future.succeededFuture(new HandoffDecision(true, "in flight"));
  }

  @Override
  public Future<Void> complete(String subscriberId, String turnId) {
    Slot slot = slots.get(subscriberId);
    if (slot != null && slot.inFlight != null && slot.inFlight.turn().turnId().equals(turnId)) {
      slot.inFlight = null;
      if (slot.empty()) {
        slots.remove(subscriberId);
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Turn> fail(String subscriberId, String turnId, long now) {
    Slot slot = slots.get(subscriberId);
    if (slot == null || slot.inFlight == null || !slot.inFlight.turn().turnId().equals(turnId)) {
      return Future.succeededFuture(null);
    }
    return Future.succeededFuture(retryOrDrop(subscriberId, slot, now));
  }

  private Turn retryOrDrop(String subscriberId, Slot slot, long now) {
    InFlight f = slot.inFlight;
    slot.inFlight = null;
    if (f.turn().attempt() >= cfg.maxAttempts()) {
      if (slot.empty()) {
        slots.remove(subscriberId);
      }
      return f.turn();
    }
    List<InboundMessage> merged = new ArrayList<>(f.messages());
    merged.addAll(slot.pending);
    slot.pending.clear();
    slot.pending.addAll(merged);
    slot.attempt = f.turn().attempt() + 1;
    slot.reruns = f.turn().reruns();
    slot.firstAt = merged.get(0).receivedAt();
    slot.dueAt = now;
    return null;
  }

  @Override
  public Future<List<Turn>> expireLeases(long now) {
    List<Turn> dropped = new ArrayList<>();
    Iterator<Map.Entry<String, Slot>> it = slots.entrySet().iterator();
    List<String> handedAndExpired = new ArrayList<>();
    List<String> retry = new ArrayList<>();
    while (it.hasNext()) {
      Map.Entry<String, Slot> e = it.next();
      InFlight f = e.getValue().inFlight;
      if (f != null && f.leaseUntil() < now) {
        (f.handed() ? handedAndExpired : retry).add(e.getKey());
      }
    }
    for (String sub : handedAndExpired) {
      Slot slot = slots.get(sub);
      slot.inFlight = null;
      if (slot.empty()) {
        slots.remove(sub);
      }
    }
    for (String sub : retry) {
      Turn t = retryOrDrop(sub, slots.get(sub), now);
      if (t != null) {
        dropped.add(t);
      }
    }
    return Future.succeededFuture(dropped);
  }

  @Override
  public Future<Stats> stats() {
    int subs = 0;
    int msgs = 0;
    int inFlight = 0;
    for (Slot s : slots.values()) {
      if (!s.pending.isEmpty()) {
        subs++;
        msgs += s.pending.size();
      }
      if (s.inFlight != null) {
        inFlight++;
      }
    }
    return Future.succeededFuture(new Stats(subs, msgs, inFlight));
  }
}
