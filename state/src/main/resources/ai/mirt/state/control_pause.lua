-- Pauses the assistant for the subscriber, replacing a pause there was. A finite pause expires with its end; the
-- TTL is set relative to the store's clock, so that an explicit test clock and Redis agree on it.
-- KEYS: pause
-- ARGV: now, until ('' until resumed), reason
local now = clock()
redis.call('DEL', KEYS[1])
if ARGV[2] ~= '' and tonumber(ARGV[2]) <= now then
  return 0
end
redis.call('HSET', KEYS[1], 'since', num(now), 'until', ARGV[2], 'reason', ARGV[3])
if ARGV[2] ~= '' then
  redis.call('PEXPIRE', KEYS[1], num(tonumber(ARGV[2]) - now))
end
return 1
