-- Records a value under a name for the subscriber unless that value is recorded there already.
-- KEYS: once
-- ARGV: now, value, keptMs
-- Returns 1 when recorded now, 0 when it was already.
local now = clock()
-- The expiry is kept in the hash too, so an explicit test clock decides like Redis's own TTL does.
local o = redis.call('HMGET', KEYS[1], 'value', 'until')
if o[1] == ARGV[2] and tonumber(o[2]) > now then
  return 0
end
local kept = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'value', ARGV[2], 'until', num(now + kept))
redis.call('PEXPIRE', KEYS[1], kept)
return 1
