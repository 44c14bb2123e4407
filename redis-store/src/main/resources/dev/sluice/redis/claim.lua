#!lua flags=allow-oom
-- Claims due jobs of the asked, not paused queues, best sort key first (readyAt - weight * agingStep, ties by
-- ascending id), within the per-queue, per-tenant and total bounds. Each becomes RUNNING under a new fencing
-- token (INCR) and a lease. Due SCHEDULED jobs of the asked queues are promoted first.
-- ARGV: now, agingStep, nodeId, leaseMillis, maxTotal, nQueues, then per queue: name, max, maxPerTenant
--       (-1 for none), nTenants, then nTenants pairs (tenant, jobs in flight).
-- Returns {nextRunAt, then 13 fields per job: id, type, queue, weight, tenant ('' none), payload, attempt,
--          maxAttempts, timeoutMillis, token, leaseExpiresAt, createdAt, readyAt}.
local now = now_millis(ARGV[1])
local step = tonumber(ARGV[2])
local node = ARGV[3]
local lease_expires = now + tonumber(ARGV[4])
local remaining = tonumber(ARGV[5])
local nq = tonumber(ARGV[6])

local next_run_at = 0
local cursors = {}
local queues = {}
local seen = {}
local a = 7
for _ = 1, nq do
  local q, max, per_tenant, nt = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local budgets = {}
  for t = 0, nt - 1 do
    budgets[ARGV[a + 4 + 2 * t]] = per_tenant - tonumber(ARGV[a + 5 + 2 * t])
  end
  a = a + 4 + 2 * nt
  -- a queue named twice in one request is served once, under its first bounds
  if not seen[q] and redis.call('SISMEMBER', PAUSED, q) == 0 then
    seen[q] = true
    promote_due(q, now)
    local first = redis.call('ZRANGE', sched_key(q), 0, 0, 'WITHSCORES')
    if first[2] then
      local at = tonumber(first[2])
      if next_run_at == 0 or at < next_run_at then next_run_at = at end
    end
    if max > 0 then
      local queue = { name = q, max = max, taken = 0, per_tenant = per_tenant, budgets = budgets }
      queues[#queues + 1] = queue
      for w = 0, 3 do
        cursors[#cursors + 1] = { queue = queue, w = w, key = ready_key(q, w), offset = 0, buf = {}, pos = 1,
                                  done = false, taken = {} }
      end
    end
  end
end

local out = { next_run_at }
if remaining <= 0 then
  apply_later()
  return out
end

-- The cursor's head as (sort key, id), reading the next chunk when needed; nil when exhausted.
local function head(c)
  if c.done then return nil end
  if c.pos > #c.buf then
    local chunk = math.max(remaining * 2, 16)
    local got = redis.call('ZRANGE', c.key, c.offset, c.offset + chunk - 1, 'WITHSCORES')
    c.offset = c.offset + #got / 2
    c.buf, c.pos = got, 1
    if #got == 0 then c.done = true return nil end
  end
  return tonumber(c.buf[c.pos + 1]) - c.w * step, c.buf[c.pos]
end

-- Bounds the work spent skipping jobs of tenants at their limit.
local skips_left = 10000
while remaining > 0 do
  local best, best_key, best_id = nil, nil, nil
  for _, c in ipairs(cursors) do
    if not c.done and c.queue.taken < c.queue.max then
      local key, id = head(c)
      if key and (best == nil or key < best_key or (key == best_key and id < best_id)) then
        best, best_key, best_id = c, key, id
      end
    end
  end
  if best == nil then break end
  best.pos = best.pos + 2
  local queue = best.queue
  local jk = job_key(best_id)
  local take = true
  local tenant = false
  if queue.per_tenant >= 0 then
    tenant = redis.call('HGET', jk, 'n')
    if tenant then
      local budget = queue.budgets[tenant]
      if budget == nil then budget = queue.per_tenant end
      if budget <= 0 then
        take = false
        skips_left = skips_left - 1
        if skips_left <= 0 then break end
      else
        queue.budgets[tenant] = budget - 1
      end
    end
  end
  if take then
    local token = redis.call('INCR', TOKEN)
    local v = redis.call('HMGET', jk, 't', 'n', 'd', 'm', 'to', 'c', 'ra', 'a', 'us', 'u')
    local attempt = tonumber(v[8]) + 1
    redis.call('HSET', jk, 's', 'RUNNING', 'a', attempt, 'k', token, 'o', node, 'le', lease_expires, 'st', now)
    if v[9] then
      -- scope WHILE_WAITING: the key is free from the first claim on, and a retry does not take it back
      if redis.call('HGET', UNIQUE, v[10]) == best_id then redis.call('HDEL', UNIQUE, v[10]) end
      redis.call('HDEL', jk, 'us')
    end
    zadd_later(RUNNING, lease_expires, best_id)
    best.taken[#best.taken + 1] = best_id
    queue.taken = queue.taken + 1
    remaining = remaining - 1
    local o = #out
    out[o + 1] = best_id
    out[o + 2] = v[1]
    out[o + 3] = queue.name
    out[o + 4] = best.w
    out[o + 5] = v[2] or ''
    out[o + 6] = v[3]
    out[o + 7] = attempt
    out[o + 8] = v[4]
    out[o + 9] = v[5]
    out[o + 10] = token
    out[o + 11] = lease_expires
    out[o + 12] = v[6]
    out[o + 13] = v[7]
  end
end

for _, c in ipairs(cursors) do
  if #c.taken > 0 then
    zrem_all(c.key, c.taken)
    move_count(c.queue.name, 'READY', 'RUNNING', #c.taken)
  end
end
apply_later()
return out
