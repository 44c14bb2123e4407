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
local function waiting_key(q) return B .. 'waiting:' .. q end
local function children_key(id) return B .. 'children:' .. id end
local function history_key(id) return B .. 'history:' .. id end
local function done_key(state, t) return B .. 'done:' .. state .. ':' .. t end
local RUNNING = B .. 'running'
local FINISHED = B .. 'finished'
local IDS = B .. 'ids'
local UNIQUE = B .. 'unique'
local UNIQUE_HOLDS = B .. 'unique-holds'
local QUEUES = B .. 'queues'
local PAUSED = B .. 'paused'
local TOKEN = B .. 'token'
local WORK_CHANNEL = B .. 'work'
local DONE_TYPES = B .. 'done-types'

-- ZREM of many members, in chunks small enough for unpack.
local function zrem_all(key, members)
  for i = 1, #members, 500 do
    redis.call('ZREM', key, unpack(members, i, math.min(i + 499, #members)))
  end
end

-- Writes gathered while a script runs and applied together by apply_later(): one command per key and script
-- instead of one per job (the hot paths end thousands of jobs per call). Nothing a script reads goes through
-- them except FINISHED and the finished-job indexes, which trim_finished() applies before reading. Every script
-- that changes jobs ends with apply_later().
local later_zadd, later_zrem, later_counts, later_unlink = {}, {}, {}, {}

local function zadd_later(key, score, member)
  local args = later_zadd[key]
  if not args then args = {} later_zadd[key] = args end
  args[#args + 1] = score
  args[#args + 1] = member
end

local function zrem_later(key, member)
  local members = later_zrem[key]
  if not members then members = {} later_zrem[key] = members end
  members[#members + 1] = member
end

local function unlink_later(key)
  later_unlink[#later_unlink + 1] = key
end

-- Moves n jobs of queue q from one state to another in the per-queue counts (false: none).
local function move_count(q, from, to, n)
  n = n or 1
  local deltas = later_counts[q]
  if not deltas then deltas = {} later_counts[q] = deltas end
  if from then deltas[from] = (deltas[from] or 0) - n end
  if to then deltas[to] = (deltas[to] or 0) + n end
end

local function apply_later()
  for key, args in pairs(later_zadd) do
    for i = 1, #args, 1000 do redis.call('ZADD', key, unpack(args, i, math.min(i + 999, #args))) end
  end
  for key, members in pairs(later_zrem) do zrem_all(key, members) end
  for q, deltas in pairs(later_counts) do
    local ck = count_key(q)
    for state, delta in pairs(deltas) do
      if delta ~= 0 then redis.call('HINCRBY', ck, state, delta) end
    end
  end
  for i = 1, #later_unlink, 500 do
    redis.call('UNLINK', unpack(later_unlink, i, math.min(i + 499, #later_unlink)))
  end
  later_zadd, later_zrem, later_counts, later_unlink = {}, {}, {}, {}
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

-- Types whose finished-job index this script has already noted in DONE_TYPES (one SADD per type per call).
local noted_types = {}

-- Ends a job that is in no ready, scheduled or running set: SUCCEEDED, DEAD or CANCELLED, with the extra fields
-- given (name, value, ...) in the same HSET. Frees its unique key `u` (false: none), unless it SUCCEEDED with a
-- hold (`hold` millis, false: none): then the key stays its own until now + hold (unique-holds). Indexes the job
-- by finish time per state and type `t` (for purge) and, unless DEAD, in FINISHED (for retention). The caller
-- moves the count.
local function finish_known(id, jk, state, now, u, t, hold, ...)
  redis.call('HSET', jk, 's', state, 'f', now, ...)
  if u and redis.call('HGET', UNIQUE, u) == id then
    if hold and state == 'SUCCEEDED' then
      zadd_later(UNIQUE_HOLDS, now + tonumber(hold), u)
    else
      redis.call('HDEL', UNIQUE, u)
    end
  end
  zadd_later(done_key(state, t), now, id)
  if not noted_types[t] then
    noted_types[t] = true
    redis.call('SADD', DONE_TYPES, t)
  end
  if state ~= 'DEAD' then zadd_later(FINISHED, now, id) end
end

-- The job holding unique key `u` now, or false; then true as second value when the key is free because its hold
-- after success ran out (whoever takes the key drops that hold; release_holds() sweeps the others).
local function unique_holder(u, now)
  local holder = redis.call('HGET', UNIQUE, u)
  if not holder then return false, false end
  local until_at = redis.call('ZSCORE', UNIQUE_HOLDS, u)
  if until_at and tonumber(until_at) <= now then return false, true end
  return holder, false
end

-- Frees up to `budget` keys whose hold after success ran out before now.
local function release_holds(now, budget)
  local over = redis.call('ZRANGEBYSCORE', UNIQUE_HOLDS, '-inf', '(' .. now, 'LIMIT', 0, budget)
  if #over == 0 then return end
  redis.call('HDEL', UNIQUE, unpack(over))
  redis.call('ZREM', UNIQUE_HOLDS, unpack(over))
end

-- finish_known() for a job whose unique key and type the caller has not read.
local function finish(id, jk, state, now)
  local v = redis.call('HMGET', jk, 'u', 't')
  finish_known(id, jk, state, now, v[1], v[2], false)
end

-- The parent ids named in a job's 'dp' field ("<id>:<policy>,<id>:<policy>...").
local function parent_ids(dp)
  local ids = {}
  for pid in string.gmatch(dp, '([^:,]+):%a') do ids[#ids + 1] = pid end
  return ids
end

-- The 'dp' field without the edge to `parent` (false when none is left).
local function without_parent(dp, parent)
  local kept = {}
  for edge in string.gmatch(dp, '[^,]+') do
    if string.sub(edge, 1, #parent + 1) ~= parent .. ':' then kept[#kept + 1] = edge end
  end
  if #kept == 0 then return false end
  return table.concat(kept, ',')
end

-- Deletes a finished job with its edges (both directions) and history; the caller takes it out of FINISHED.
-- Returns false when the job was gone already.
local function forget(id)
  local jk = job_key(id)
  local v = redis.call('HMGET', jk, 'q', 's', 't', 'dp', 'ch')
  zrem_later(IDS, id)
  if not v[2] then return false end
  move_count(v[1], v[2], false)
  zrem_later(done_key(v[2], v[3]), id)
  if v[4] then
    for _, pid in ipairs(parent_ids(v[4])) do redis.call('HDEL', children_key(pid), id) end
  end
  if v[5] then
    local ck = children_key(id)
    for _, child in ipairs(redis.call('HKEYS', ck)) do
      local cjk = job_key(child)
      local dp = redis.call('HGET', cjk, 'dp')
      if dp then
        local rest = without_parent(dp, id)
        if rest then redis.call('HSET', cjk, 'dp', rest) else redis.call('HDEL', cjk, 'dp') end
      end
    end
    unlink_later(ck)
  end
  unlink_later(jk)
  unlink_later(history_key(id))
  return true
end

-- Drops the oldest-finished SUCCEEDED and CANCELLED jobs beyond `retain`, at most `budget` per call. Applies
-- the writes gathered so far first (jobs this script finished are in FINISHED only then), and its own after.
local function trim_finished(retain, budget)
  apply_later()
  local over = redis.call('ZCARD', FINISHED) - retain
  if over <= 0 then return end
  if over > budget then over = budget end
  local old = redis.call('ZRANGE', FINISHED, 0, over - 1)
  for _, id in ipairs(old) do forget(id) end
  redis.call('ZREMRANGEBYRANK', FINISHED, 0, over - 1)
  apply_later()
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

-- WAITING -> READY, or SCHEDULED when its run-at is still ahead: the last unresolved parent was resolved.
local function release_waiting(id, jk, q, w, run_at, now)
  redis.call('ZREM', waiting_key(q), id)
  redis.call('HDEL', jk, 'w')
  if run_at and tonumber(run_at) > now then
    schedule(id, jk, q, tonumber(run_at))
    move_count(q, 'WAITING', 'SCHEDULED')
  else
    make_ready(id, jk, q, w, now)
    move_count(q, 'WAITING', 'READY')
  end
end

-- Applies the edges of a job that just ended in `state` (SUCCEEDED, DEAD or CANCELLED) to its WAITING
-- dependents: an edge is resolved by SUCCEEDED, or by DEAD/CANCELLED under RUN_DEPENDENTS ('R') or IGNORE ('I');
-- under CANCEL_DEPENDENTS ('C') the dependent is CANCELLED and its own edges are applied in turn. Each edge is
-- applied once: its policy letter is stored lower-case from then on, so a parent retried by hand and ending
-- again does not count twice. Returns how many jobs became READY or SCHEDULED.
local function release_dependents(id, state, now)
  local todo, states, i, released = { id }, { state }, 1, 0
  while i <= #todo do
    local pid, pstate = todo[i], states[i]
    local ck = children_key(pid)
    local edges = redis.call('HGETALL', ck)
    for e = 1, #edges, 2 do
      local child, policy = edges[e], edges[e + 1]
      if policy == 'C' or policy == 'R' or policy == 'I' then
        redis.call('HSET', ck, child, string.lower(policy))
        local cjk = job_key(child)
        local v = redis.call('HMGET', cjk, 's', 'q', 'p', 'r', 'ch')
        if v[1] == 'WAITING' then
          if pstate ~= 'SUCCEEDED' and policy == 'C' then
            redis.call('ZREM', waiting_key(v[2]), child)
            redis.call('HDEL', cjk, 'w')
            redis.call('HSET', cjk, 'e', 'cancelled: parent ' .. pid .. ' is ' .. pstate)
            finish(child, cjk, 'CANCELLED', now)
            move_count(v[2], 'WAITING', 'CANCELLED')
            if v[5] then
              todo[#todo + 1] = child
              states[#states + 1] = 'CANCELLED'
            end
          elseif redis.call('HINCRBY', cjk, 'w', -1) <= 0 then
            release_waiting(child, cjk, v[2], v[3], v[4], now)
            released = released + 1
          end
        end
      end
    end
    i = i + 1
  end
  return released
end
