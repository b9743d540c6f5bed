-- Buffers one message and records when the subscriber last wrote.
-- KEYS: in, meta, buf, counts, last[, seen]
-- ARGV: now, sub, message JSON, startsOver (1/0), quietMs, maxWaitMs, dedupeTtlMs, lastInboundTtlMs
-- Returns 1 when stored, 0 for a duplicate.
local now = clock()
local sub = ARGV[2]
if KEYS[6] then
  -- The expiry is kept as the value too, so an explicit test clock decides like Redis's own TTL does.
  local ttl = tonumber(ARGV[7])
  local seen_until = redis.call('GET', KEYS[6])
  if seen_until and tonumber(seen_until) > now then
    return 0
  end
  redis.call('SET', KEYS[6], num(now + ttl), 'PX', ttl)
end
redis.call('SET', KEYS[5], num(now), 'PX', ARGV[8])
local starts_over = ARGV[4] == '1'
if starts_over then
  local dropped = redis.call('LLEN', KEYS[1])
  if dropped > 0 then
    redis.call('DEL', KEYS[1])
    redis.call('HINCRBY', KEYS[4], 'messages', -dropped)
  end
  redis.call('HSET', KEYS[2], 'attempt', '1', 'reruns', '0')
end
if redis.call('LLEN', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[2], 'firstAt', num(now), 'restartHead', starts_over and '1' or '0')
end
redis.call('RPUSH', KEYS[1], ARGV[3])
redis.call('HINCRBY', KEYS[4], 'messages', 1)
redis.call('HSET', KEYS[2], 'lastAt', num(now))
redis.call('ZADD', KEYS[3], num(due_at(KEYS[2], tonumber(ARGV[5]), tonumber(ARGV[6]))), sub)
return 1
