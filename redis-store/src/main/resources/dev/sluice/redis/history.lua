#!lua flags=
-- Appends entries to jobs' audit trails (one list per job, oldest first; entries are never changed).
-- ARGV: n, then per entry: job id, entry (encoded by the store, see PackedText).
local n = tonumber(ARGV[1])
for i = 0, n - 1 do
  redis.call('RPUSH', history_key(ARGV[2 + 2 * i]), ARGV[3 + 2 * i])
end
return n
