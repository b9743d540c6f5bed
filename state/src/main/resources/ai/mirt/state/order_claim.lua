-- Leases the order's current version to the owner if it is due.
-- KEYS: order, due
-- ARGV: now, id, owner, leaseMs
-- Returns nil, or {json, version, posted, attempts, createdAt, updatedAt, next, error}.
local now = clock()
local o = redis.call('HMGET', KEYS[1], 'version', 'posted', 'next')
if not o[1] then
  -- Expired with its age: the index forgets it too.
  redis.call('ZREM', KEYS[2], ARGV[2])
  return false
end
local next_at = tonumber(o[3])
if tonumber(o[1]) <= tonumber(o[2]) or next_at == 0 or next_at > now then
  return false
end
local lease = num(now + tonumber(ARGV[4]))
redis.call('HSET', KEYS[1], 'next', lease, 'leaseUntil', lease, 'leasedVersion', o[1], 'owner', ARGV[3])
redis.call('ZADD', KEYS[2], lease, ARGV[2])
return redis.call('HMGET', KEYS[1], 'json', 'version', 'posted', 'attempts', 'createdAt', 'updatedAt', 'next',
  'error')
