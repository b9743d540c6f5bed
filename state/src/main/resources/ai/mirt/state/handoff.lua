-- The agent answered the turn: discard the reply for newer messages, or store it with the conversation.
-- KEYS: turn, tm, in, meta, out, conv, buf, busy, outbox, counts, stored
-- ARGV: now, sub, turnId, mayRerun (1/0), reruns of the re-run, reply JSON, conversation ('' clears it), quietMs,
--       maxWaitMs, conversationTtlMs
-- Returns 0 not in flight, 1 reply already stored, 2 superseded, 3 reply stored.
local now = clock()
local sub = ARGV[2]
local t = redis.call('HMGET', KEYS[1], 'id', 'handed')
if t[1] ~= ARGV[3] then
  return 0
end
if t[2] == '1' then
  return 1
end
if ARGV[4] == '1' and redis.call('LLEN', KEYS[3]) > 0 then
  requeue(sub, KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[8], KEYS[10], '1', ARGV[5])
  redis.call('ZADD', KEYS[7], num(due_at(KEYS[4], tonumber(ARGV[8]), tonumber(ARGV[9]))), sub)
  return 2
end
store_reply(sub, KEYS[1], KEYS[2], KEYS[5], KEYS[8], KEYS[9], KEYS[11], ARGV[6], ARGV[3], now)
save_conversation(KEYS[6], ARGV[7], now, tonumber(ARGV[10]))
return 3
