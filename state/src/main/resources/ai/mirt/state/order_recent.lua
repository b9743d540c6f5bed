-- The newest orders first. Orders whose key expired with its age are skipped.
-- KEYS: orders
-- ARGV: now, limit, key prefix of an order ("<prefix>order:")
-- Returns {{id, json, version, posted, attempts, createdAt, updatedAt, next, error}, …}.
local out = {}
local limit = tonumber(ARGV[2])
local start = 0
while #out < limit do
  local ids = redis.call('ZREVRANGE', KEYS[1], start, start + limit - 1)
  if #ids == 0 then
    break
  end
  for _, id in ipairs(ids) do
    local o = redis.call('HMGET', ARGV[3] .. id, 'json', 'version', 'posted', 'attempts', 'createdAt', 'updatedAt',
      'next', 'error')
    if o[1] and #out < limit then
      table.insert(o, 1, id)
      out[#out + 1] = o
    end
  end
  start = start + limit
end
return out
