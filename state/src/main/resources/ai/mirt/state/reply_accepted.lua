-- Records how many calls of the reply were accepted and extends the lease, for the current claim only.
-- KEYS: out, outbox
-- ARGV: now, sub, claim, turnId, accepted, leaseMs
local now = clock()
local o = redis.call('HMGET', KEYS[1], 'claim', 'turnId')
if ARGV[3] == '' or o[1] ~= ARGV[3] or o[2] ~= ARGV[4] then
  return 0
end
redis.call('HSET', KEYS[1], 'accepted', ARGV[5])
redis.call('ZADD', KEYS[2], num(now + tonumber(ARGV[6])), ARGV[2])
return 1
