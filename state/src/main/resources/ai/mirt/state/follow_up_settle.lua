-- Moves or forgets a claimed follow-up, if its claim still holds (its time is still the claim's token).
-- KEYS: fu
-- ARGV: now (unused), sub, token, new due time ('' forgets it)
-- Returns 1 when done, 0 when the claim was replaced.
local score = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not score or tonumber(score) ~= tonumber(ARGV[3]) then
  return 0
end
if ARGV[4] == '' then
  redis.call('ZREM', KEYS[1], ARGV[2])
else
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
end
return 1
