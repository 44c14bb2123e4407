#!lua flags=allow-oom
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

local function wait_again(id, jk, q, w, u, t, run_at, keep_place, cancel)
  if cancel then
    finish_known(id, jk, 'CANCELLED', now, u, t, false)
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
  local v = redis.call('HMGET', jk, 's', 'k', 'q', 'p', 'x', 'ch', 'u', 't', 'uh')
  if v[1] ~= 'RUNNING' or v[2] ~= ARGV[b + 1] then
    out[i + 1] = 0
  else
    local q, w, cancel, u, t, hold = v[3], v[4], v[5] == '1', v[7], v[8], v[9]
    local outcome, has_error = ARGV[b + 2], ARGV[b + 5] == '1'
    zrem_later(RUNNING, id)
    local state
    if outcome == 'SUCCEEDED' then
      state = 'SUCCEEDED'
      local has_result = ARGV[b + 3] == '1'
      if has_result then redis.call('HDEL', jk, 'o', 'le') else redis.call('HDEL', jk, 'o', 'le', 'res') end
      if has_result and has_error then
        finish_known(id, jk, state, now, u, t, hold, 'pg', 1, 'res', ARGV[b + 4], 'e', ARGV[b + 6])
      elseif has_result then
        finish_known(id, jk, state, now, u, t, hold, 'pg', 1, 'res', ARGV[b + 4])
      elseif has_error then
        finish_known(id, jk, state, now, u, t, hold, 'pg', 1, 'e', ARGV[b + 6])
      else
        finish_known(id, jk, state, now, u, t, hold, 'pg', 1)
      end
    elseif outcome == 'DEAD' or outcome == 'CANCELLED' then
      state = outcome
      if has_error then
        redis.call('HDEL', jk, 'o', 'le')
        finish_known(id, jk, state, now, u, t, false, 'e', ARGV[b + 6])
      else
        redis.call('HDEL', jk, 'o', 'le', 'e')
        finish_known(id, jk, state, now, u, t, false)
      end
    else
      redis.call('HDEL', jk, 'o', 'le')
      if has_error then redis.call('HSET', jk, 'e', ARGV[b + 6]) end
      if outcome == 'RETRY' then
        if not has_error then redis.call('HDEL', jk, 'e') end
        state = wait_again(id, jk, q, w, u, t, tonumber(ARGV[b + 7]), false, cancel)
      else -- RELEASED: the attempt is not counted
        redis.call('HINCRBY', jk, 'a', -1)
        state = wait_again(id, jk, q, w, u, t, tonumber(ARGV[b + 7]), true, cancel)
      end
    end
    move_count(q, 'RUNNING', state)
    -- only parents carry 'ch': a job without dependents pays nothing here
    if v[6] and (state == 'SUCCEEDED' or state == 'DEAD' or state == 'CANCELLED') then
      if release_dependents(id, state, now) > 0 then made_work = true end
    end
    out[i + 1] = 1
  end
end
release_holds(now, 100)
trim_finished(retain, 2 * n + 100)
if made_work then redis.call('PUBLISH', WORK_CHANNEL, 'complete') end
return out
