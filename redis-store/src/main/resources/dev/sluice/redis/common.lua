-- Shared by every Sluice script: the loader inserts this file right after each script's "#!lua" line.
-- KEYS[1] is the store's key base, "{<prefix>}": every key below starts with it, so all keys of one store
-- share one hash tag (one Cluster slot) and a script never touches two slots.
local B = KEYS[1]

-- "now" in epoch millis: the caller's clock when it passed one, else Redis's own clock.
local function now_millis(arg)
  if arg ~= nil and arg ~= '' then
    return tonumber(arg)
  end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function job_key(id) return B .. 'job:' .. id end
local function ready_key(q, w) return B .. 'ready:' .. q .. ':' .. w end
local function sched_key(q) return B .. 'sched:' .. q end
local function count_key(q) return B .. 'count:' .. q end
local RUNNING = B .. 'running'
local FINISHED = B .. 'finished'
local IDS = B .. 'ids'
local UNIQUE = B .. 'unique'
local QUEUES = B .. 'queues'
local PAUSED = B .. 'paused'
local TOKEN = B .. 'token'
local WORK_CHANNEL = B .. 'work'

-- ZREM of many members, in chunks small enough for unpack.
local function zrem_all(key, members)
  for i = 1, #members, 500 do
    redis.call('ZREM', key, unpack(members, i, math.min(i + 499, #members)))
  end
end

-- Moves n jobs of queue q from one state to another in the per-queue counts (false: none).
local function move_count(q, from, to, n)
  n = n or 1
  if from then redis.call('HINCRBY', count_key(q), from, -n) end
  if to then redis.call('HINCRBY', count_key(q), to, n) end
end

-- READY with the given ready-at (the caller moves the count).
local function make_ready(id, jk, q, w, ready_at)
  redis.call('HSET', jk, 's', 'READY', 'ra', ready_at)
  redis.call('ZADD', ready_key(q, w), ready_at, id)
end

local function schedule(id, jk, q, run_at)
  redis.call('HSET', jk, 's', 'SCHEDULED', 'r', run_at)
  redis.call('ZADD', sched_key(q), run_at, id)
end

-- Ends a job that is in no ready, scheduled or running set: SUCCEEDED, DEAD or CANCELLED; frees its unique key.
local function finish(id, jk, state, now)
  redis.call('HSET', jk, 's', state, 'f', now)
  local u = redis.call('HGET', jk, 'u')
  if u and redis.call('HGET', UNIQUE, u) == id then
    redis.call('HDEL', UNIQUE, u)
  end
  if state ~= 'DEAD' then
    redis.call('ZADD', FINISHED, now, id)
  end
end

-- Drops the oldest-finished SUCCEEDED and CANCELLED jobs beyond `retain`, at most `budget` per call.
local function trim_finished(retain, budget)
  local over = redis.call('ZCARD', FINISHED) - retain
  if over <= 0 then return end
  if over > budget then over = budget end
  local old = redis.call('ZRANGE', FINISHED, 0, over - 1)
  for _, id in ipairs(old) do
    local jk = job_key(id)
    local v = redis.call('HMGET', jk, 'q', 's')
    if v[1] then
      move_count(v[1], v[2], false)
      redis.call('UNLINK', jk)
    end
    redis.call('ZREM', IDS, id)
  end
  redis.call('ZREMRANGEBYRANK', FINISHED, 0, over - 1)
end

-- Moves the queue's SCHEDULED jobs whose run-at has come to READY; each keeps its run-at as ready-at.
local function promote_due(q, now)
  local sk = sched_key(q)
  local due = redis.call('ZRANGEBYSCORE', sk, '-inf', now, 'WITHSCORES', 'LIMIT', 0, 1000)
  local n = #due / 2
  if n == 0 then return end
  for i = 1, #due, 2 do
    local id = due[i]
    local jk = job_key(id)
    local w = redis.call('HGET', jk, 'p')
    make_ready(id, jk, q, w, due[i + 1])
  end
  local ids = {}
  for i = 1, #due, 2 do ids[#ids + 1] = due[i] end
  zrem_all(sk, ids)
  move_count(q, 'SCHEDULED', 'READY', n)
end
