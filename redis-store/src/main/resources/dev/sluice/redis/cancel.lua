#!lua flags=allow-oom
-- Cancels a job: at once when it waits, by request (seen at its next lease renewal) when it runs. A job
-- cancelled at once cancels or releases its WAITING dependents in the same step, by their edges.
-- ARGV: now, retainFinished, id.
-- Returns CANCELLED, CANCEL_REQUESTED, ALREADY_FINISHED or NOT_FOUND.
local now = now_millis(ARGV[1])
local id = ARGV[3]
local jk = job_key(id)
local v = redis.call('HMGET', jk, 's', 'q', 'p', 'ch')
local state, q = v[1], v[2]
if not state then return 'NOT_FOUND' end
if state == 'READY' then
  redis.call('ZREM', ready_key(q, v[3]), id)
elseif state == 'SCHEDULED' then
  redis.call('ZREM', sched_key(q), id)
elseif state == 'WAITING' then
  redis.call('ZREM', waiting_key(q), id)
  redis.call('HDEL', jk, 'w')
elseif state == 'RUNNING' then
  redis.call('HSET', jk, 'x', '1')
  return 'CANCEL_REQUESTED'
else
  return 'ALREADY_FINISHED'
end
finish(id, jk, 'CANCELLED', now)
move_count(q, state, 'CANCELLED')
if v[4] and release_dependents(id, 'CANCELLED', now) > 0 then redis.call('PUBLISH', WORK_CHANNEL, 'cancel') end
trim_finished(tonumber(ARGV[2]), 100)
return 'CANCELLED'
