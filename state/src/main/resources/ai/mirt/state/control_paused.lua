-- The subscriber's pause if it is in force now (the end is kept in the hash so an explicit test clock decides too).
-- KEYS: pause
-- ARGV: now
-- Returns nil, or {since, until ('' until resumed), reason}.
local now = clock()
local p = redis.call('HMGET', KEYS[1], 'since', 'until', 'reason')
if not p[1] or (p[2] ~= '' and tonumber(p[2]) <= now) then
  return false
end
return p
