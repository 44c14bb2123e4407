#!lua flags=allow-oom
-- Pauses or resumes a queue (store-wide). Idempotent; a paused queue is listed in stats even without jobs.
-- ARGV: 'pause' or 'resume', queue.
local q = ARGV[2]
if ARGV[1] == 'pause' then
  redis.call('SADD', PAUSED, q)
  redis.call('SADD', QUEUES, q)
  return 0
end
local resumed = redis.call('SREM', PAUSED, q)
if resumed == 1 then redis.call('PUBLISH', WORK_CHANNEL, 'resume') end
return resumed
