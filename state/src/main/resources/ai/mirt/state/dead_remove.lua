-- KEYS: dl, dl:json
-- ARGV: now (unused), id
-- Returns 1 when the letter was kept, 0 when there was none of that id.
redis.call('HDEL', KEYS[2], ARGV[2])
return redis.call('ZREM', KEYS[1], ARGV[2])
