-- No token is handed out from the bucket before now + ms.
-- KEYS: rate
-- ARGV: now, ms, graceMs
local now = clock()
local next_at = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now + tonumber(ARGV[2]))
redis.call('SET', KEYS[1], num(next_at), 'PX', num(math.max(0, next_at - now) + tonumber(ARGV[3])))
return 1
