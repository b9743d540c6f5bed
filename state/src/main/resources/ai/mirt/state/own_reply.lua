-- Stores a reply Mirt sends on its own as the handed-over reply of a new turn, unless a turn of the subscriber is in
-- flight (or, for a follow-up, its claim was replaced or messages wait in the buffer).
-- KEYS: turn, tm, in, out, conv, busy, outbox, stored, fu
-- ARGV: now, sub, turnId, followUp (1/0), the follow-up's token, reply JSON, saveConversation (1/0), conversation
--       ('' clears it), conversationTtlMs
-- Returns 0 gone, 1 busy, 2 stored.
local now = clock()
local sub = ARGV[2]
local follow_up = ARGV[4] == '1'
if follow_up then
  local score = redis.call('ZSCORE', KEYS[9], sub)
  if not score or tonumber(score) ~= tonumber(ARGV[5]) then
    return 0
  end
  -- Whatever happens now, the follow-up is settled: the customer is not quiet, or it is sent.
  redis.call('ZREM', KEYS[9], sub)
end
if redis.call('EXISTS', KEYS[1]) == 1 or (follow_up and redis.call('LLEN', KEYS[3]) > 0) then
  return 1
end
-- A turn without messages, so that everything that reads a turn (renew, give back, expiry) sees one handed over.
redis.call('HSET', KEYS[1], 'id', ARGV[3], 'owner', '', 'leaseUntil', num(now), 'attempt', '1', 'reruns', '0',
  'firstAt', num(now))
store_reply(sub, KEYS[1], KEYS[2], KEYS[4], KEYS[6], KEYS[7], KEYS[8], ARGV[6], ARGV[3], now)
if ARGV[7] == '1' then
  save_conversation(KEYS[5], ARGV[8], now, tonumber(ARGV[9]))
end
return 2
