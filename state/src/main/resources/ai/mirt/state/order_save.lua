-- Stores an order, or a changed one as its next version, due at once (or when the lease of the version being posted
-- ends); the same JSON again changes nothing. Then drops the orders past their age and the oldest beyond the count.
-- The trimmed orders' keys are named here from the prefix: Mirt runs against one Redis, not a Redis Cluster.
-- KEYS: order, orders, due
-- ARGV: now, id, order JSON, its digest, maxOrders, maxAgeMs, key prefix of an order ("<prefix>order:")
-- Returns {json, version, posted, attempts, createdAt, updatedAt, next, error}.
local now = clock()
local id = ARGV[2]
local o = redis.call('HMGET', KEYS[1], 'sum', 'version', 'posted', 'createdAt', 'leaseUntil')
if o[1] and tonumber(o[4]) < now - tonumber(ARGV[6]) then
  -- Past its age, as good as trimmed already: stored anew.
  redis.call('DEL', KEYS[1])
  o = {}
end
if o[1] ~= ARGV[4] then
  local version, posted, created, next_at = 1, 0, now, now
  if o[1] then
    version = tonumber(o[2]) + 1
    posted = tonumber(o[3])
    created = tonumber(o[4])
    next_at = math.max(now, tonumber(o[5] or '0'))
  end
  redis.call('HSET', KEYS[1], 'json', ARGV[3], 'sum', ARGV[4], 'version', version, 'posted', posted,
    'attempts', 0, 'createdAt', num(created), 'updatedAt', num(now), 'next', num(next_at), 'error', '')
  redis.call('PEXPIRE', KEYS[1], num(created + tonumber(ARGV[6]) - now))
  redis.call('ZADD', KEYS[2], num(created), id)
  redis.call('ZADD', KEYS[3], num(next_at), id)
  local function drop(ids)
    for _, gone in ipairs(ids) do
      redis.call('UNLINK', ARGV[7] .. gone)
      redis.call('ZREM', KEYS[2], gone)
      redis.call('ZREM', KEYS[3], gone)
    end
  end
  drop(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. num(now - tonumber(ARGV[6]))))
  local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
  if excess > 0 then
    drop(redis.call('ZRANGE', KEYS[2], 0, excess - 1))
  end
end
return redis.call('HMGET', KEYS[1], 'json', 'version', 'posted', 'attempts', 'createdAt', 'updatedAt', 'next',
  'error')
