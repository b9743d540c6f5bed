-- Subscribers whose buffer is due (every buffer with drainAll) and who have no turn in flight, oldest due first.
-- KEYS: buf, busy
-- ARGV: now, limit, drainAll (1/0)
local now = clock()
local limit = tonumber(ARGV[2])
local max = ARGV[3] == '1' and '+inf' or num(now)
local out = {}
local offset = 0
while #out < limit do
  local page = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', max, 'LIMIT', offset, limit)
  if #page == 0 then
    break
  end
  for _, sub in ipairs(page) do
    if #out < limit and not redis.call('ZSCORE', KEYS[2], sub) then
      out[#out + 1] = sub
    end
  end
  offset = offset + #page
end
return out
