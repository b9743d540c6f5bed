-- Gives the current claim up: the reply is due again after the delay, with the attempts and timeouts recorded.
-- KEYS: out, outbox
-- ARGV: now, sub, claim, turnId, attempts, timeouts, delayMs
local now = clock()
local o = redis.call('HMGET', KEYS[1], 'claim', 'turnId')
if ARGV[3] == '' or o[1] ~= ARGV[3] or o[2] ~= ARGV[4] then
  return 0
end
redis.call('HSET', KEYS[1], 'attempts', ARGV[5], 'timeouts', ARGV[6], 'claim', '')
redis.call('ZADD', KEYS[2], num(now + math.max(0, tonumber(ARGV[7]))), ARGV[2])
return 1
