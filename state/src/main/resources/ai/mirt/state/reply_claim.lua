-- Claims the subscriber's stored reply if it is due, under a new claim token and a lease.
-- KEYS: out, outbox, last
-- ARGV: now, sub, claim, owner, leaseMs, lastInboundTtlMs
-- Returns nil, or {reply JSON, accepted, attempts, timeouts, storedAt, lastInboundAt (0 when unknown)}.
local now = clock()
local due = redis.call('ZSCORE', KEYS[2], ARGV[2])
if not due or tonumber(due) > now then
  return false
end
local o = redis.call('HMGET', KEYS[1], 'reply', 'accepted', 'attempts', 'timeouts', 'storedAt')
if not o[1] then
  return false
end
redis.call('HSET', KEYS[1], 'claim', ARGV[3], 'owner', ARGV[4])
redis.call('ZADD', KEYS[2], num(now + tonumber(ARGV[5])), ARGV[2])
-- The time is kept as the value and checked against its TTL, so an explicit test clock decides like Redis's own TTL.
local last = redis.call('GET', KEYS[3])
if not last or tonumber(last) + tonumber(ARGV[6]) <= now then
  last = '0'
end
return {o[1], o[2], o[3], o[4] or '0', o[5] or '0', last}
