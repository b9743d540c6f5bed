-- Members of an index whose score has come: up to now, or before now when exclusive.
-- KEYS: index
-- ARGV: now, limit, exclusive (1/0)
local now = clock()
local max = (ARGV[3] == '1' and '(' or '') .. num(now)
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', max, 'LIMIT', 0, tonumber(ARGV[2]))
