#!lua flags=allow-oom
-- Shared rate limits (SharedRateLimits): one string per limit, "<window>:<used>", where windows of `period`
-- follow each other from the epoch on the store's clock; a key of an earlier window counts nothing. Grants
-- min(wanted, limit - used) and expires the key after its window. allow-oom: the key is small, one per limit, and
-- a limiter that cannot take permits starts nothing, which would keep a full Redis from draining.
-- ARGV: now, limit name, wanted, limit, periodMillis. Returns {granted, millisLeftInWindow}.
local now = now_millis(ARGV[1])
local wanted, limit, period = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local window = math.floor(now / period)
local left = (window + 1) * period - now
local key = B .. 'rate:' .. ARGV[2]
local used = 0
local value = redis.call('GET', key)
if value then
  local colon = string.find(value, ':', 1, true)
  if tonumber(string.sub(value, 1, colon - 1)) == window then
    used = tonumber(string.sub(value, colon + 1))
  end
end
local granted = math.max(0, math.min(wanted, limit - used))
if granted > 0 then
  redis.call('SET', key, window .. ':' .. (used + granted), 'PX', px_after(ARGV[1], left))
end
return { granted, left }
