-- KEYS: dl, dl:json, counts
-- ARGV: now, dead letter JSON, deadLettersMax, deadLettersMaxAgeMs
-- Returns the letter's id.
local now = clock()
return bury(KEYS[1], KEYS[2], KEYS[3], ARGV[2], false, now, tonumber(ARGV[3]), tonumber(ARGV[4]))
