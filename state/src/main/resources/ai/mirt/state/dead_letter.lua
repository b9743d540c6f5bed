-- KEYS: dead, counts
-- ARGV: now, dead letter JSON, deadLettersMax, deadLettersMaxAgeMs
local now = clock()
bury(KEYS[1], KEYS[2], ARGV[2], false, now, tonumber(ARGV[3]), tonumber(ARGV[4]))
return 1
