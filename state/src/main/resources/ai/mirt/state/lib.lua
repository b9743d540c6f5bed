-- Prepended to every script. Policy is decided in Java and arrives as flags in ARGV; these helpers only carry out
-- mechanics. ARGV[1] is always the time: empty in production (Redis TIME), explicit in tests.

local function clock()
  if ARGV[1] ~= '' then
    return tonumber(ARGV[1])
  end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Epoch millis as plain digits, the form Java parses back (never 1.7e+12).
local function num(x)
  return string.format('%.0f', x)
end

-- When a buffer is due: min(lastAt + quiet, firstAt + maxWait).
local function due_at(meta, quiet, max_wait)
  local m = redis.call('HMGET', meta, 'firstAt', 'lastAt')
  return math.min(tonumber(m[2]) + quiet, tonumber(m[1]) + max_wait)
end

-- Puts the in-flight turn's messages back in front of the buffer (unless the buffer starts over with a /restart),
-- records the attempt and reruns the next claim carries, and frees the subscriber's slot. The caller indexes the
-- buffer's due time.
local function requeue(sub, turn, tm, inbox, meta, busy, counts, attempt, reruns)
  if redis.call('HGET', meta, 'restartHead') == '1' then
    redis.call('DEL', tm)
  else
    local n = redis.call('LLEN', tm)
    if n > 0 then
      if redis.call('LLEN', inbox) == 0 then
        redis.call('RENAME', tm, inbox)
      else
        local msgs = redis.call('LRANGE', tm, 0, -1)
        for i = #msgs, 1, -1 do
          redis.call('LPUSH', inbox, msgs[i])
        end
        redis.call('DEL', tm)
      end
      redis.call('HINCRBY', counts, 'messages', n)
    end
    redis.call('HSET', meta, 'firstAt', redis.call('HGET', turn, 'firstAt'))
  end
  redis.call('HSET', meta, 'attempt', attempt, 'reruns', reruns)
  redis.call('DEL', turn)
  redis.call('ZREM', busy, sub)
end

-- Ends the subscriber's turn without a requeue; an idle subscriber keeps no buffer state.
local function drop_turn(sub, turn, tm, inbox, meta, busy)
  redis.call('DEL', turn, tm)
  redis.call('ZREM', busy, sub)
  if redis.call('LLEN', inbox) == 0 then
    redis.call('DEL', meta)
  end
end

-- Records a dead letter scored by the store's time and trims the set to the newest max, none older than max_age.
-- A sequence number in front of the JSON keeps equal letters apart and letters of one millisecond in order.
-- With stamp, the JSON comes without its "at" and gets the store's time.
local function bury(dead, counts, json, stamp, now, max, max_age)
  if stamp then
    json = '{"at":' .. num(now) .. ',' .. string.sub(json, 2)
  end
  local seq = redis.call('HINCRBY', counts, 'dead', 1)
  redis.call('ZADD', dead, num(now), string.format('%016d', seq) .. json)
  redis.call('ZREMRANGEBYSCORE', dead, '-inf', '(' .. num(now - max_age))
  redis.call('ZREMRANGEBYRANK', dead, 0, -(max + 1))
end
