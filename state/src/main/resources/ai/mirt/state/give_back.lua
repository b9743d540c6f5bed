-- The turn failed or its lease ended: retry it due now, or, when it is exhausted, record it as a dead letter and
-- store the needs_human notice in its place, as a handoff stores a reply (the conversation stays as it was).
-- KEYS: turn, tm, in, meta, buf, busy, counts, dl, dl:json, out, outbox, stored
-- ARGV: now, sub, turnId, onlyIfExpired (1/0), exhausted (1/0), next attempt, reruns, dead letter JSON without
--       "at", deadLettersMax, deadLettersMaxAgeMs, notice reply JSON
-- Returns 0 unchanged, 1 retry, 2 dead-lettered.
local now = clock()
local sub = ARGV[2]
local t = redis.call('HMGET', KEYS[1], 'id', 'handed', 'leaseUntil')
if t[1] ~= ARGV[3] or t[2] == '1' then
  return 0
end
if ARGV[4] == '1' and tonumber(t[3]) >= now then
  return 0
end
if ARGV[5] == '1' then
  store_reply(sub, KEYS[1], KEYS[2], KEYS[10], KEYS[6], KEYS[11], KEYS[12], ARGV[11], ARGV[3], now)
  bury(KEYS[8], KEYS[9], KEYS[7], ARGV[8], true, now, tonumber(ARGV[9]), tonumber(ARGV[10]))
  return 2
end
requeue(sub, KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[6], KEYS[7], ARGV[6], ARGV[7])
redis.call('ZADD', KEYS[5], num(now), sub)
return 1
