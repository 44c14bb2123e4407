#!lua flags=
-- Stores N jobs: all of them, or none (an id already stored or named twice, or a parent neither stored nor
-- stored earlier in the list, fails the whole call before any write). A job whose unique key a live job (or an
-- earlier job of the list) holds is not stored. A job with parents is WAITING while any is unresolved; a parent
-- already DEAD or CANCELLED under a CANCEL_DEPENDENTS edge makes it CANCELLED at once (see release_dependents).
-- With a schedule id, the call is one fire of a recurring job: it stores nothing and returns an empty list unless
-- fireTime is later than the schedule's latest fire, which it then records.
-- ARGV: now, retainFinished, scheduleId ('' none), fireTime, n, then per job 14 + 2 * nParents fields: id, type,
--       queue, weight, payload, runAt, maxAttempts, timeoutMillis, uniqueKey ('' none), tenant ('' none),
--       createdAt, uniqueScope ('W' while waiting, '' until finished), uniqueHoldMillis, nParents, then per
--       parent: id, policy ('C' cancel, 'R' run, 'I' ignore dependents).
-- Returns one entry per job: '' when stored, else the id of the job holding its unique key.
local now = now_millis(ARGV[1])
local retain = tonumber(ARGV[2])
local schedule_id, fire_time = ARGV[3], tonumber(ARGV[4])
local n = tonumber(ARGV[5])
local FIRES = B .. 'fires'

if schedule_id ~= '' then
  local last = redis.call('HGET', FIRES, schedule_id)
  if last and tonumber(last) >= fire_time then return {} end
end

local function invalid(message)
  return redis.error_reply('SLUICE_INVALID ' .. message .. '; nothing of this enqueue was stored')
end

-- Pass 1, no writes: where each job starts, which edges are still open, which key holders make duplicates.
-- in_list: id -> 'LIVE' (will be stored waiting/ready), 'CANCELLED' (will be stored cancelled) or 'DUP'.
local in_list = {}
local keys_of_list = {}
local plans = {}
local result = {}
local b = 6
for i = 1, n do
  local id = ARGV[b]
  if in_list[id] or redis.call('EXISTS', job_key(id)) == 1 then
    return invalid('job id ' .. id .. ' (type \'' .. ARGV[b + 1] .. '\') is already in the store or named twice')
  end
  local np = tonumber(ARGV[b + 13])
  local plan = { b = b, np = np, open = 0, cancel = false }
  if np > 0 then plan.edges = {} end
  for j = 0, np - 1 do
    local pid, policy = ARGV[b + 14 + 2 * j], ARGV[b + 15 + 2 * j]
    local state = in_list[pid]
    if state == 'DUP' then
      return invalid('job ' .. id .. ' names parent ' .. pid .. ', which this enqueue does not store (its unique '
          .. 'key is held by a live job)')
    elseif state == 'LIVE' then
      state = 'WAITING'
    elseif state == nil then
      state = redis.call('HGET', job_key(pid), 's')
      if not state then
        return invalid('job ' .. id .. ' names parent ' .. pid .. ', which is neither stored nor earlier in the list')
      end
    end
    local open = state ~= 'SUCCEEDED' and state ~= 'DEAD' and state ~= 'CANCELLED'
    if open then
      plan.open = plan.open + 1
    elseif state ~= 'SUCCEEDED' and policy == 'C' and not plan.cancel then
      plan.cancel = 'cancelled: parent ' .. pid .. ' is ' .. state
    end
    plan.edges[j + 1] = { pid, policy, open }
  end
  result[i] = ''
  local u = ARGV[b + 8]
  if u ~= '' then
    local holder, hold_ran_out = unique_holder(u, now)
    holder = holder or keys_of_list[u]
    if holder then
      result[i] = holder
    elseif not plan.cancel then
      keys_of_list[u] = id
      plan.drop_hold = hold_ran_out
    end
  end
  if result[i] ~= '' then
    in_list[id] = 'DUP'
  elseif plan.cancel then
    in_list[id] = 'CANCELLED'
  else
    in_list[id] = 'LIVE'
  end
  plans[i] = plan
  b = b + 14 + 2 * np
end

if schedule_id ~= '' then redis.call('HSET', FIRES, schedule_id, fire_time) end

-- Pass 2: the writes, one HSET per job; set members and counts go through the *_later writes.
local made_work, cancelled = false, false
local queues_noted = {}
for i = 1, n do
  if result[i] == '' then
    local plan = plans[i]
    local b = plan.b
    local id, t, q, w = ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3]
    local u, tenant, run_at = ARGV[b + 8], ARGV[b + 9], tonumber(ARGV[b + 5])
    local jk = job_key(id)
    local fields = { 't', t, 'q', q, 'p', w, 'd', ARGV[b + 4], 'a', 0, 'm', ARGV[b + 6], 'to', ARGV[b + 7],
                     'c', ARGV[b + 10], 'k', 0 }
    if u ~= '' then
      fields[#fields + 1] = 'u'
      fields[#fields + 1] = u
      if not plan.cancel then
        redis.call('HSET', UNIQUE, u, id)
        if plan.drop_hold then zrem_later(UNIQUE_HOLDS, u) end
        -- 'us': gives the key up at its first claim; 'uh': holds it on this long after success
        if ARGV[b + 11] == 'W' then
          fields[#fields + 1] = 'us'
          fields[#fields + 1] = 'W'
        end
        if ARGV[b + 12] ~= '0' then
          fields[#fields + 1] = 'uh'
          fields[#fields + 1] = ARGV[b + 12]
        end
      end
    end
    if tenant ~= '' then
      fields[#fields + 1] = 'n'
      fields[#fields + 1] = tenant
    end
    if plan.np > 0 then
      local dp = {}
      for j, edge in ipairs(plan.edges) do
        local pid, policy = edge[1], edge[2]
        dp[j] = pid .. ':' .. policy
        -- an edge to a parent that has already ended is applied now: stored lower-case (see release_dependents)
        if not edge[3] then policy = string.lower(policy) end
        redis.call('HSET', children_key(pid), id, policy)
        redis.call('HSET', job_key(pid), 'ch', 1)
      end
      fields[#fields + 1] = 'dp'
      fields[#fields + 1] = table.concat(dp, ',')
    end
    local state
    if plan.cancel then
      state = 'CANCELLED'
      fields[#fields + 1] = 'e'
      fields[#fields + 1] = plan.cancel
      redis.call('HSET', jk, unpack(fields))
      -- it never took its unique key
      finish_known(id, jk, state, now, false, t, false)
      cancelled = true
    else
      -- the fields each state needs: WAITING its parents left and run-at, SCHEDULED its run-at, READY ready-at
      local n0 = #fields
      if plan.open > 0 then
        state = 'WAITING'
        fields[n0 + 1], fields[n0 + 2], fields[n0 + 3], fields[n0 + 4] = 'w', plan.open, 'r', run_at
        zadd_later(waiting_key(q), 0, id)
      elseif run_at > now then
        state = 'SCHEDULED'
        fields[n0 + 1], fields[n0 + 2] = 'r', run_at
        zadd_later(sched_key(q), run_at, id)
        made_work = true
      else
        state = 'READY'
        fields[n0 + 1], fields[n0 + 2] = 'ra', now
        zadd_later(ready_key(q, w), now, id)
        made_work = true
      end
      fields[#fields + 1] = 's'
      fields[#fields + 1] = state
      redis.call('HSET', jk, unpack(fields))
    end
    move_count(q, false, state)
    zadd_later(IDS, 0, id)
    if not queues_noted[q] then
      queues_noted[q] = true
      redis.call('SADD', QUEUES, q)
    end
  end
end
if cancelled then trim_finished(retain, 100) else apply_later() end
if made_work then redis.call('PUBLISH', WORK_CHANNEL, 'enqueue') end
return result
