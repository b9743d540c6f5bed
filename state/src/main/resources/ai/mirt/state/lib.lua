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

-- Dead letter ids are sequence numbers in decimal, so letters of one millisecond sort as text in the index ("10"
-- before "9"). The n oldest (or newest) are taken by time, and by number among the letters of the millisecond at
-- the edge.
local function dead_ids(dl, n, newest)
  if n <= 0 then
    return {}
  end
  local range = redis.call(newest and 'ZREVRANGE' or 'ZRANGE', dl, 0, n - 1, 'WITHSCORES')
  if #range == 0 then
    return {}
  end
  local edge = range[#range]
  local out = {}
  for i = 1, #range, 2 do
    if range[i + 1] ~= edge then
      out[#out + 1] = range[i]
    end
  end
  local ties = redis.call('ZRANGEBYSCORE', dl, edge, edge)
  table.sort(ties, function(a, b)
    if newest then
      return tonumber(a) > tonumber(b)
    end
    return tonumber(a) < tonumber(b)
  end)
  for i = 1, math.min(n - #out, #ties) do
    out[#out + 1] = ties[i]
  end
  return out
end

local function unbury(dl, dl_json, ids)
  for _, id in ipairs(ids) do
    redis.call('ZREM', dl, id)
    redis.call('HDEL', dl_json, id)
  end
end

-- Records a dead letter under the next id, indexed by the store's time, and trims the letters to the newest max,
-- none older than max_age. With stamp, the JSON comes without its "at" and gets the store's time.
local function bury(dl, dl_json, counts, json, stamp, now, max, max_age)
  if stamp then
    json = '{"at":' .. num(now) .. ',' .. string.sub(json, 2)
  end
  local id = tostring(redis.call('HINCRBY', counts, 'dead', 1))
  redis.call('ZADD', dl, num(now), id)
  redis.call('HSET', dl_json, id, json)
  unbury(dl, dl_json, redis.call('ZRANGEBYSCORE', dl, '-inf', '(' .. num(now - max_age)))
  unbury(dl, dl_json, dead_ids(dl, redis.call('ZCARD', dl) - max, false))
  return id
end

-- Stores a reply in the outbox, claimable at once, and holds the subscriber until it is finished: the turn is
-- handed over, its messages are no longer needed, and it never expires.
local function store_reply(sub, turn, tm, out, busy, outbox, stored, reply, turn_id, now)
  redis.call('HSET', turn, 'handed', '1')
  redis.call('DEL', tm)
  redis.call('ZADD', busy, '+inf', sub)
  redis.call('DEL', out)
  redis.call('HSET', out, 'reply', reply, 'turnId', turn_id, 'accepted', '0', 'attempts', '0', 'timeouts', '0',
    'claim', '', 'storedAt', num(now))
  redis.call('ZADD', outbox, num(now), sub)
  redis.call('ZADD', stored, num(now), sub)
end

-- Saves the subscriber's conversation until its TTL ends ('' clears it); the expiry is kept in the hash too, so an
-- explicit test clock decides like Redis's own TTL does.
local function save_conversation(conv, json, now, ttl)
  if json == '' then
    redis.call('DEL', conv)
  else
    redis.call('HSET', conv, 'json', json, 'until', num(now + ttl))
    redis.call('PEXPIRE', conv, ttl)
  end
end
