-- The subscriber's in-flight turn, if it was not handed over and its lease has ended.
-- KEYS: turn, tm
-- ARGV: now
-- Returns nil, or {turnId, attempt, reruns, firstAt, {message JSON…}, dueAt}.
local now = clock()
local t = redis.call('HMGET', KEYS[1], 'id', 'handed', 'leaseUntil', 'attempt', 'reruns', 'firstAt', 'dueAt')
if not t[1] or t[2] == '1' or tonumber(t[3]) >= now then
  return false
end
return {t[1], t[4], t[5], t[6], redis.call('LRANGE', KEYS[2], 0, -1), t[7] or '0'}
