-- Extends the lease of the subscriber's in-flight turn and records its owner.
-- KEYS: turn, busy
-- ARGV: now, sub, turnId, owner, leaseMs
-- Returns 1, or 0 when the turn is no longer in flight or was handed over.
local now = clock()
local t = redis.call('HMGET', KEYS[1], 'id', 'handed')
if t[1] ~= ARGV[3] or t[2] == '1' then
  return 0
end
local lease_until = num(now + tonumber(ARGV[5]))
redis.call('HSET', KEYS[1], 'leaseUntil', lease_until, 'owner', ARGV[4])
redis.call('ZADD', KEYS[2], lease_until, ARGV[2])
return 1
