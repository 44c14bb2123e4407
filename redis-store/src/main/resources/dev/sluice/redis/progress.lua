#!lua flags=
-- Saves progress (and checkpoints) of running jobs, each fenced by its token.
-- ARGV: n, then per update: id, token, progress, hasCheckpoint ('1'/'0'), checkpoint.
-- Returns one integer per update: 1 accepted, 0 stale.
local n = tonumber(ARGV[1])
local out = {}
for i = 0, n - 1 do
  local b = 2 + 5 * i
  local jk = job_key(ARGV[b])
  local v = redis.call('HMGET', jk, 's', 'k')
  if v[1] == 'RUNNING' and v[2] == ARGV[b + 1] then
    redis.call('HSET', jk, 'pg', ARGV[b + 2])
    if ARGV[b + 3] == '1' then redis.call('HSET', jk, 'cp', ARGV[b + 4]) end
    out[i + 1] = 1
  else
    out[i + 1] = 0
  end
end
return out
