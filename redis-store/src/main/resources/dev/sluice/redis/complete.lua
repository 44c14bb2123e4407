#!lua flags=
-- Records the end of N attempts, each fenced: it applies only when its job is RUNNING under its token.
-- A RETRY or RELEASED completion of a job whose cancellation was requested ends it CANCELLED instead.
-- A job that ends releases or cancels its WAITING dependents in the same step (release_dependents).
-- ARGV: now, retainFinished, n, then per completion 8 fields: id, token, outcome, hasResult ('1'/'0'),
--       result, hasError ('1'/'0'), error, runAt.
-- Returns one integer per completion: 1 accepted, 0 stale.
local now = now_millis(ARGV[1])
local retain = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local F = 8
local out = {}
local made_work = false

local function wait_again(id, jk, q, w, run_at, keep_place, cancel)
  if cancel then
    finish(id, jk, 'CANCELLED', now)
    return 'CANCELLED'
  end
  if run_at > now then
    schedule(id, jk, q, run_at)
    made_work = true
    return 'SCHEDULED'
  end
  local ready_at = now
  if keep_place then ready_at = redis.call('HGET', jk, 'ra') end
  make_ready(id, jk, q, w, ready_at)
  made_work = true
  return 'READY'
end

for i = 0, n - 1 do
  local b = 4 + i * F
  local id = ARGV[b]
  local jk = job_key(id)
  local v = redis.call('HMGET', jk, 's', 'k', 'q', 'p', 'x', 'ch')
  if v[1] ~= 'RUNNING' or v[2] ~= ARGV[b + 1] then
    out[i + 1] = 0
  else
    local q, w, cancel = v[3], v[4], v[5] == '1'
    local outcome = ARGV[b + 2]
    redis.call('ZREM', RUNNING, id)
    redis.call('HDEL', jk, 'o', 'le')
    if ARGV[b + 5] == '1' then redis.call('HSET', jk, 'e', ARGV[b + 6]) end
    local state
    if outcome == 'SUCCEEDED' then
      if ARGV[b + 3] == '1' then redis.call('HSET', jk, 'res', ARGV[b + 4]) else redis.call('HDEL', jk, 'res') end
      redis.call('HSET', jk, 'pg', 1)
      state = 'SUCCEEDED'
      finish(id, jk, state, now)
    elseif outcome == 'DEAD' or outcome == 'CANCELLED' then
      if ARGV[b + 5] ~= '1' then redis.call('HDEL', jk, 'e') end
      state = outcome
      finish(id, jk, state, now)
    elseif outcome == 'RETRY' then
      if ARGV[b + 5] ~= '1' then redis.call('HDEL', jk, 'e') end
      state = wait_again(id, jk, q, w, tonumber(ARGV[b + 7]), false, cancel)
    else -- RELEASED: the attempt is not counted
      redis.call('HINCRBY', jk, 'a', -1)
      state = wait_again(id, jk, q, w, tonumber(ARGV[b + 7]), true, cancel)
    end
    move_count(q, 'RUNNING', state)
    -- only parents carry 'ch': a job without dependents pays nothing here
    if v[6] and (state == 'SUCCEEDED' or state == 'DEAD' or state == 'CANCELLED') then
      if release_dependents(id, state, now) > 0 then made_work = true end
    end
    out[i + 1] = 1
  end
end
trim_finished(retain, 2 * n + 100)
if made_work then redis.call('PUBLISH', WORK_CHANNEL, 'complete') end
return out
