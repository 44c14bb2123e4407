#!lua flags=allow-oom
-- Takes back up to `max` RUNNING jobs whose lease expired before now: READY when attempts are left (the
-- expired attempt counts), else DEAD naming the lease owner; CANCELLED when a cancel was requested. A job
-- that ends releases or cancels its WAITING dependents in the same step.
-- ARGV: now, max, retainFinished.
-- Returns 6 fields per job: id, type, queue, attempts, newState, leaseOwner.
local now = now_millis(ARGV[1])
local max = tonumber(ARGV[2])
local retain = tonumber(ARGV[3])
local out = {}
if max <= 0 then return out end
local expired = redis.call('ZRANGEBYSCORE', RUNNING, '-inf', '(' .. now, 'LIMIT', 0, max)
local made_work = false
for _, id in ipairs(expired) do
  local jk = job_key(id)
  local v = redis.call('HMGET', jk, 'o', 'a', 'm', 'x', 'q', 't', 'p', 'ch')
  local owner, attempts, q = v[1] or '', tonumber(v[2]), v[5]
  redis.call('ZREM', RUNNING, id)
  redis.call('HDEL', jk, 'o', 'le')
  redis.call('HSET', jk, 'e', 'lease expired on node ' .. owner .. ' during attempt ' .. attempts)
  local state
  if v[4] == '1' then
    state = 'CANCELLED'
    finish(id, jk, state, now)
  elseif attempts >= tonumber(v[3]) then
    state = 'DEAD'
    finish(id, jk, state, now)
  else
    state = 'READY'
    make_ready(id, jk, q, v[7], now)
    made_work = true
  end
  move_count(q, 'RUNNING', state)
  if v[8] and state ~= 'READY' and release_dependents(id, state, now) > 0 then made_work = true end
  local o = #out
  out[o + 1] = id
  out[o + 2] = v[6]
  out[o + 3] = q
  out[o + 4] = attempts
  out[o + 5] = state
  out[o + 6] = owner
end
if #expired > 0 then trim_finished(retain, 2 * #expired + 100) end
if made_work then redis.call('PUBLISH', WORK_CHANNEL, 'recover') end
return out
