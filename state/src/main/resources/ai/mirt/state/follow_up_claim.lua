-- Claims up to limit due follow-ups, earliest first: each is due again when its lease ends, and that time is the
-- claim's token.
-- KEYS: fu
-- ARGV: now, limit, leaseMs
-- Returns {sub, dueAt, token, …}.
local now = clock()
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', num(now), 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local token = num(now + tonumber(ARGV[3]))
local out = {}
for i = 1, #due, 2 do
  redis.call('ZADD', KEYS[1], token, due[i])
  out[#out + 1] = due[i]
  out[#out + 1] = num(tonumber(due[i + 1]))
  out[#out + 1] = token
end
return out
