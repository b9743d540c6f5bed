-- What became of posting one version: posted, retry (after a delay) or abandon. The lease of that version ends; a
-- newer version that waited for it becomes due now. Retry and abandon only touch the current version while it is
-- still to be posted.
-- KEYS: order, due
-- ARGV: now, id, version, kind (posted|retry|abandon), attempts, delayMs, error
local now = clock()
local id = ARGV[2]
local o = redis.call('HMGET', KEYS[1], 'version', 'posted', 'next', 'leasedVersion')
if not o[1] then
  return 0
end
local reported = tonumber(ARGV[3])
local version = tonumber(o[1])
local posted = tonumber(o[2])
local next_at = tonumber(o[3])
if tonumber(o[4] or '0') == reported then
  redis.call('HSET', KEYS[1], 'leaseUntil', 0, 'leasedVersion', 0)
  if version > reported and version > posted and next_at > now then
    next_at = now
    redis.call('HSET', KEYS[1], 'next', num(now))
    redis.call('ZADD', KEYS[2], num(now), id)
  end
end
local kind = ARGV[4]
local current = reported == version and version > posted and next_at ~= 0
if kind == 'posted' and reported > posted then
  redis.call('HSET', KEYS[1], 'posted', reported)
  if reported >= version then
    redis.call('HSET', KEYS[1], 'next', 0, 'error', '')
    redis.call('ZREM', KEYS[2], id)
  end
elseif kind == 'retry' and current then
  next_at = now + math.max(0, tonumber(ARGV[6]))
  redis.call('HSET', KEYS[1], 'attempts', ARGV[5], 'error', ARGV[7], 'next', num(next_at))
  redis.call('ZADD', KEYS[2], num(next_at), id)
elseif kind == 'abandon' and current then
  redis.call('HSET', KEYS[1], 'error', ARGV[7], 'next', 0)
  redis.call('ZREM', KEYS[2], id)
end
return 1
