-- KEYS: buf, counts, busy
-- Returns {subscribers with a buffer, buffered messages, turns in flight}.
return {redis.call('ZCARD', KEYS[1]), tonumber(redis.call('HGET', KEYS[2], 'messages') or '0'),
  redis.call('ZCARD', KEYS[3])}
