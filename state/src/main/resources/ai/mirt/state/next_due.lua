-- Milliseconds until the earliest buffer due time still ahead, or -1 when none is.
-- KEYS: buf
-- ARGV: now
local now = clock()
local next = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. num(now), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
if #next == 0 then
  return -1
end
return tonumber(next[2]) - now
