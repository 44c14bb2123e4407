#!lua flags=
-- Cancels a job: at once when it waits, by request (seen at its next lease renewal) when it runs.
-- ARGV: now, retainFinished, id.
-- Returns CANCELLED, CANCEL_REQUESTED, ALREADY_FINISHED or NOT_FOUND.
local now = now_millis(ARGV[1])
local id = ARGV[3]
local jk = job_key(id)
local v = redis.call('HMGET', jk, 's', 'q', 'p')
local state, q = v[1], v[2]
if not state then return 'NOT_FOUND' end
if state == 'READY' then
  redis.call('ZREM', ready_key(q, v[3]), id)
elseif state == 'SCHEDULED' then
  redis.call('ZREM', sched_key(q), id)
elseif state == 'RUNNING' then
  redis.call('HSET', jk, 'x', '1')
  return 'CANCEL_REQUESTED'
elseif state ~= 'WAITING' then
  return 'ALREADY_FINISHED'
end
finish(id, jk, 'CANCELLED', now)
move_count(q, state, 'CANCELLED')
trim_finished(tonumber(ARGV[2]), 100)
return 'CANCELLED'
