-- Makes the subscriber's buffer its in-flight turn, if it still has no turn in flight and the buffer is due.
-- KEYS: in, meta, tm, turn, buf, busy, counts
-- ARGV: now, sub, turnId, owner, leaseMs, drainAll (1/0)
-- Returns nil, or {attempt, reruns, firstAt, {message JSON…}, dueAt}.
local now = clock()
local sub = ARGV[2]
if redis.call('EXISTS', KEYS[4]) == 1 then
  return false
end
local n = redis.call('LLEN', KEYS[1])
if n == 0 then
  return false
end
local due = redis.call('ZSCORE', KEYS[5], sub)
if ARGV[6] ~= '1' and due and tonumber(due) > now then
  return false
end
local m = redis.call('HMGET', KEYS[2], 'attempt', 'reruns', 'firstAt')
local attempt = m[1] or '1'
local reruns = m[2] or '0'
local first_at = m[3] or num(now)
local lease_until = num(now + tonumber(ARGV[5]))
redis.call('RENAME', KEYS[1], KEYS[3])
local due_at = due and num(tonumber(due)) or '0'
redis.call('HSET', KEYS[4], 'id', ARGV[3], 'owner', ARGV[4], 'leaseUntil', lease_until, 'attempt', attempt,
  'reruns', reruns, 'firstAt', first_at, 'dueAt', due_at, 'handed', '0')
redis.call('HSET', KEYS[2], 'attempt', '1', 'reruns', '0', 'restartHead', '0')
redis.call('ZREM', KEYS[5], sub)
redis.call('ZADD', KEYS[6], lease_until, sub)
redis.call('HINCRBY', KEYS[7], 'messages', -n)
return {attempt, reruns, first_at, redis.call('LRANGE', KEYS[3], 0, -1), due_at}
