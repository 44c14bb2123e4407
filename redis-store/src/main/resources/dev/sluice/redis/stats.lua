#!lua flags=no-writes
-- Counts per queue and state, without scanning jobs (counts are kept by every script).
-- Returns {now, then per queue: name, paused (0/1), oldestReadyAt (-1 none), {state, count, ...}}.
local now = now_millis(ARGV[1])
local out = { now }
local queues = redis.call('SUNION', QUEUES, PAUSED)
for _, q in ipairs(queues) do
  local oldest = -1
  for w = 0, 3 do
    local first = redis.call('ZRANGE', ready_key(q, w), 0, 0, 'WITHSCORES')
    if first[2] then
      local at = tonumber(first[2])
      if oldest < 0 or at < oldest then oldest = at end
    end
  end
  local o = #out
  out[o + 1] = q
  out[o + 2] = redis.call('SISMEMBER', PAUSED, q)
  out[o + 3] = oldest
  out[o + 4] = redis.call('HGETALL', count_key(q))
end
return out
