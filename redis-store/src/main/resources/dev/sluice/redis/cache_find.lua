#!lua flags=no-writes
-- Reads an entry of the shared result cache (see cache_save.lua) that has not expired on the store's clock:
-- {'b<bytes>'} or {'n'} (a null result), else an empty list.
-- ARGV: now, entry name.
local now = now_millis(ARGV[1])
local value = redis.call('GET', B .. 'cache:' .. ARGV[2])
if not value then return {} end
local colon = string.find(value, ':', 1, true)
if tonumber(string.sub(value, 1, colon - 1)) <= now then return {} end
return { string.sub(value, colon + 1) }
