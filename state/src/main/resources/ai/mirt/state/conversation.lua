-- The subscriber's conversation while its TTL runs (the expiry is kept in the hash so a test clock decides too).
-- KEYS: conv
-- ARGV: now
local now = clock()
local c = redis.call('HMGET', KEYS[1], 'json', 'until')
if not c[1] or tonumber(c[2]) <= now then
  return ''
end
return c[1]
