-- The reply is finished (delivered, or dead-lettered when a dead letter is given); the subscriber's turn ends with
-- it, so its next buffered turn may start. Current claim only.
-- KEYS: out, outbox, turn, tm, in, meta, busy, dl, dl:json, counts, stored
-- ARGV: now, sub, claim, turnId, dead letter JSON or '', deadLettersMax, deadLettersMaxAgeMs
local now = clock()
local sub = ARGV[2]
local o = redis.call('HMGET', KEYS[1], 'claim', 'turnId')
if ARGV[3] == '' or o[1] ~= ARGV[3] or o[2] ~= ARGV[4] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], sub)
redis.call('ZREM', KEYS[11], sub)
if redis.call('HGET', KEYS[3], 'id') == ARGV[4] then
  drop_turn(sub, KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
end
if ARGV[5] ~= '' then
  bury(KEYS[8], KEYS[9], KEYS[10], ARGV[5], false, now, tonumber(ARGV[6]), tonumber(ARGV[7]))
end
return 1
