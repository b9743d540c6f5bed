-- The subscriber's messages not yet answered: the in-flight turn's (until it is handed over), then the buffer's.
-- KEYS: tm, in
-- ARGV: now (unused)
-- Returns {message JSON…}.
local out = redis.call('LRANGE', KEYS[1], 0, -1)
for _, m in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  out[#out + 1] = m
end
return out
