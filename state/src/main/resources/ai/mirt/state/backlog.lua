-- KEYS: stored
-- ARGV: now (unused)
-- Returns {stored replies, storedAt of the oldest or 0}.
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {redis.call('ZCARD', KEYS[1]), oldest[2] or '0'}
