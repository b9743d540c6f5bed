-- Up to limit dead letters, newest first.
-- KEYS: dl, dl:json
-- ARGV: now (unused), limit
-- Returns {id, JSON, id, JSON, …}.
local out = {}
for _, id in ipairs(dead_ids(KEYS[1], tonumber(ARGV[2]), true)) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', KEYS[2], id)
end
return out
