-- Adds to a key's count in the current window; the window's key expires when the window ends.
-- KEYS: the window keys' common start ("<prefix>count:<key>:"); the window index completes it. Mirt runs against one
-- Redis, so the name may be completed here.
-- ARGV: now, n, windowMs
-- Returns the count after adding.
local now = clock()
local window = tonumber(ARGV[3])
local index = math.floor(now / window)
local key = KEYS[1] .. num(index)
local count = redis.call('INCRBY', key, ARGV[2])
redis.call('PEXPIRE', key, num((index + 1) * window - now))
return count
