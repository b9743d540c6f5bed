-- The turn failed or its lease ended: retry it due now, or drop it as a dead letter when it is exhausted.
-- KEYS: turn, tm, in, meta, buf, busy, counts, dead
-- ARGV: now, sub, turnId, onlyIfExpired (1/0), exhausted (1/0), next attempt, reruns, dead letter JSON without
--       "at", deadLettersMax, deadLettersMaxAgeMs
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
  drop_turn(sub, KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[6])
  bury(KEYS[8], KEYS[7], ARGV[8], true, now, tonumber(ARGV[9]), tonumber(ARGV[10]))
  return 2
end
requeue(sub, KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[6], KEYS[7], ARGV[6], ARGV[7])
redis.call('ZADD', KEYS[5], num(now), sub)
return 1
