-- Claims the subscriber's stored reply if it is due, under a new claim token and a lease.
-- KEYS: out, outbox
-- ARGV: now, sub, claim, owner, leaseMs
-- Returns nil, or {reply JSON, accepted, attempts}.
local now = clock()
local due = redis.call('ZSCORE', KEYS[2], ARGV[2])
if not due or tonumber(due) > now then
  return false
end
local o = redis.call('HMGET', KEYS[1], 'reply', 'accepted', 'attempts')
if not o[1] then
  return false
end
redis.call('HSET', KEYS[1], 'claim', ARGV[3], 'owner', ARGV[4])
redis.call('ZADD', KEYS[2], num(now + tonumber(ARGV[5])), ARGV[2])
return o
