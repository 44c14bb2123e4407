#!lua flags=allow-oom
-- Puts a DEAD or CANCELLED job back to READY with attempts reset to 0, taking its unique key again; refused
-- (0, no change) for a job in another state, or whose key another live job holds now. Dependents already
-- released or cancelled stay so (its edges were applied when it ended).
-- ARGV: now, id. Returns 1 or 0.
local now = now_millis(ARGV[1])
local id = ARGV[2]
local jk = job_key(id)
local v = redis.call('HMGET', jk, 's', 'q', 'p', 'u', 't')
local state, q, u = v[1], v[2], v[4]
if state ~= 'DEAD' and state ~= 'CANCELLED' then return 0 end
if u then
  local holder, hold_ran_out = unique_holder(u, now)
  if holder and holder ~= id then return 0 end
  redis.call('HSET', UNIQUE, u, id)
  if hold_ran_out then redis.call('ZREM', UNIQUE_HOLDS, u) end
end
if state == 'CANCELLED' then redis.call('ZREM', FINISHED, id) end
redis.call('ZREM', done_key(state, v[5]), id)
redis.call('HSET', jk, 'a', 0, 'x', '0')
redis.call('HDEL', jk, 'f', 'res', 'w')
make_ready(id, jk, q, v[3], now)
move_count(q, state, 'READY')
apply_later()
redis.call('PUBLISH', WORK_CHANNEL, 'retry')
return 1
