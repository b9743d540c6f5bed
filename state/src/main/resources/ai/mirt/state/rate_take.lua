-- Takes the bucket's token if it is there (a bucket of one token, refilled every interval: GCRA).
-- KEYS: rate
-- ARGV: now, intervalMs, graceMs
-- Returns 0 when taken, otherwise the ms until the token is back (nothing changes then).
local now = clock()
local next_at = tonumber(redis.call('GET', KEYS[1]) or '0')
if next_at > now then
  return next_at - now
end
local interval = tonumber(ARGV[2])
-- The key outlives the time it holds by the grace, so an idle bucket vanishes on its own.
redis.call('SET', KEYS[1], num(now + interval), 'PX', num(math.max(0, interval) + tonumber(ARGV[3])))
return 0
