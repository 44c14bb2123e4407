#!lua flags=allow-oom
-- Changes the priority of a job that has not started (WAITING, SCHEDULED, READY); a READY job moves to the
-- ready set of its new priority and keeps its ready-at.
-- ARGV: id, weight. Returns 1 when changed, 0 when unknown or not waiting.
local id, w = ARGV[1], ARGV[2]
local jk = job_key(id)
local v = redis.call('HMGET', jk, 's', 'q', 'p', 'ra')
local state = v[1]
if state == 'READY' then
  redis.call('ZREM', ready_key(v[2], v[3]), id)
  redis.call('ZADD', ready_key(v[2], w), v[4], id)
elseif state ~= 'WAITING' and state ~= 'SCHEDULED' then
  return 0
end
redis.call('HSET', jk, 'p', w)
return 1
