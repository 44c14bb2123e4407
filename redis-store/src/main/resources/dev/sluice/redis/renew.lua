#!lua flags=allow-oom
-- Extends the leases of running jobs, each fenced by its token.
-- ARGV: now, leaseMillis, n, then per lease: id, token.
-- Returns one integer per lease: 1 renewed, 2 renewed and cancellation requested, 0 lost.
local now = now_millis(ARGV[1])
local expires = now + tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local out = {}
for i = 0, n - 1 do
  local id, token = ARGV[4 + 2 * i], ARGV[5 + 2 * i]
  local jk = job_key(id)
  local v = redis.call('HMGET', jk, 's', 'k', 'x')
  if v[1] == 'RUNNING' and v[2] == token then
    redis.call('HSET', jk, 'le', expires)
    redis.call('ZADD', RUNNING, expires, id)
    if v[3] == '1' then out[i + 1] = 2 else out[i + 1] = 1 end
  else
    out[i + 1] = 0
  end
end
return out
