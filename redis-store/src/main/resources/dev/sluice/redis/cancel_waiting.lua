#!lua flags=allow-oom
-- Cancels up to `max` jobs of a queue that have not started (WAITING, SCHEDULED, READY), smallest id first,
-- each cancelling or releasing its own WAITING dependents by their edges (release_dependents).
-- Candidates come from the queue's six sets (waiting, scheduled, four ready levels): a set of at most
-- `exactUpTo` jobs is read whole, so the choice is exactly by id; a larger one gives its first `max` jobs in its
-- own order (run-at or ready-at), which follows id order for jobs that were never retried or delayed.
-- ARGV: now, retainFinished, queue, max, exactUpTo.
-- Returns how many of the chosen jobs this call cancelled.
local now = now_millis(ARGV[1])
local retain, q, max, exact_up_to = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
if max <= 0 then return 0 end

local sets = { waiting_key(q), sched_key(q) }
for w = 0, 3 do sets[#sets + 1] = ready_key(q, w) end
local candidates = {}
for _, key in ipairs(sets) do
  local last = max - 1
  if redis.call('ZCARD', key) <= exact_up_to then last = -1 end
  for _, id in ipairs(redis.call('ZRANGE', key, 0, last)) do candidates[#candidates + 1] = id end
end
table.sort(candidates)

local cancelled, released = 0, 0
for i = 1, math.min(max, #candidates) do
  local id = candidates[i]
  local jk = job_key(id)
  local v = redis.call('HMGET', jk, 's', 'p', 'ch')
  local state = v[1]
  if state == 'WAITING' or state == 'SCHEDULED' or state == 'READY' then
    if state == 'WAITING' then
      redis.call('ZREM', waiting_key(q), id)
      redis.call('HDEL', jk, 'w')
    elseif state == 'SCHEDULED' then
      redis.call('ZREM', sched_key(q), id)
    else
      redis.call('ZREM', ready_key(q, v[2]), id)
    end
    finish(id, jk, 'CANCELLED', now)
    move_count(q, state, 'CANCELLED')
    if v[3] then released = released + release_dependents(id, 'CANCELLED', now) end
  end
  -- a job cancelled by an earlier one's cascade counts too: it was chosen, and it is cancelled
  cancelled = cancelled + 1
end
trim_finished(retain, cancelled + 100)
if released > 0 then redis.call('PUBLISH', WORK_CHANNEL, 'cancel') end
return cancelled
