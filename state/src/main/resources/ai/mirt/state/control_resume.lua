-- Lifts the subscriber's pause.
-- KEYS: pause
-- ARGV: now
-- Returns 1 when a pause was in force, else 0.
local now = clock()
local u = redis.call('HGET', KEYS[1], 'until')
redis.call('DEL', KEYS[1])
if not u or (u ~= '' and tonumber(u) <= now) then
  return 0
end
return 1
