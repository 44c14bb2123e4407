#!lua flags=allow-oom
-- Deletes up to `limit` finished jobs in the given states, with their edges and history: those finished before
-- `before`, and those beyond the `keep` most recently finished of their type in those states (ties by id, the
-- newest id kept). Reads the per-state, per-type indexes done:<state>:<type> (score = finish time) kept by finish().
-- ARGV: limit, keep (-1 none), before (epoch millis, '' none), nStates, then the states.
-- Returns how many jobs were deleted.
local limit, keep = tonumber(ARGV[1]), tonumber(ARGV[2])
local before = false
if ARGV[3] ~= '' then before = tonumber(ARGV[3]) end
local states = {}
for i = 1, tonumber(ARGV[4]) do states[i] = ARGV[4 + i] end

local deleted = 0
local function delete(id, state, t)
  -- the index entries go even when the job is gone already, so that no stale entry is met twice
  redis.call('ZREM', done_key(state, t), id)
  if state ~= 'DEAD' then redis.call('ZREM', FINISHED, id) end
  if forget(id) then deleted = deleted + 1 end
end

for _, t in ipairs(redis.call('SMEMBERS', DONE_TYPES)) do
  if deleted >= limit then break end
  if keep >= 0 then
    local total = 0
    for _, s in ipairs(states) do total = total + redis.call('ZCARD', done_key(s, t)) end
    local take = math.min(total - keep, limit - deleted)
    if take > 0 then
      -- the `take` oldest of the type over all asked states: merge each state's oldest
      local oldest = {}
      for _, s in ipairs(states) do
        local got = redis.call('ZRANGE', done_key(s, t), 0, take - 1, 'WITHSCORES')
        for i = 1, #got, 2 do oldest[#oldest + 1] = { tonumber(got[i + 1]), got[i], s } end
      end
      table.sort(oldest, function(a, b)
        if a[1] ~= b[1] then return a[1] < b[1] end
        return a[2] < b[2]
      end)
      for i = 1, take do delete(oldest[i][2], oldest[i][3], t) end
    end
  end
  if before then
    for _, s in ipairs(states) do
      if deleted >= limit then break end
      local old = redis.call('ZRANGEBYSCORE', done_key(s, t), '-inf', '(' .. before, 'LIMIT', 0, limit - deleted)
      for _, id in ipairs(old) do delete(id, s, t) end
    end
  end
  if redis.call('EXISTS', done_key('SUCCEEDED', t), done_key('DEAD', t), done_key('CANCELLED', t)) == 0 then
    redis.call('SREM', DONE_TYPES, t)
  end
end
apply_later()
return deleted
