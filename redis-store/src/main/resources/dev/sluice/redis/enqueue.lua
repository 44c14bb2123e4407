#!lua flags=
-- Stores N jobs: all of them, or none (an id already stored, or named twice, fails the whole call before any
-- write). A job whose unique key a live job (or an earlier job of the list) holds is not stored.
-- ARGV: now, n, then per job 11 fields: id, type, queue, weight, payload, runAt, maxAttempts, timeoutMillis,
--       uniqueKey ('' none), tenant ('' none), createdAt.
-- Returns one entry per job: '' when stored, else the id of the job holding its unique key.
local now = now_millis(ARGV[1])
local n = tonumber(ARGV[2])
local F = 11
local seen = {}
local keys_of_list = {}
local result = {}
for i = 0, n - 1 do
  local b = 3 + i * F
  local id = ARGV[b]
  if seen[id] or redis.call('EXISTS', job_key(id)) == 1 then
    return redis.error_reply('SLUICE_DUPLICATE_ID job id ' .. id .. ' (type \'' .. ARGV[b + 1]
        .. '\') is already in the store or named twice; nothing of this enqueue was stored')
  end
  seen[id] = true
  local u = ARGV[b + 8]
  result[i + 1] = ''
  if u ~= '' then
    local holder = redis.call('HGET', UNIQUE, u)
    if not holder then
      holder = keys_of_list[u]
      if not holder then keys_of_list[u] = id end
    end
    if holder then result[i + 1] = holder end
  end
end
local stored = 0
for i = 0, n - 1 do
  if result[i + 1] == '' then
    local b = 3 + i * F
    local id, q, w = ARGV[b], ARGV[b + 2], ARGV[b + 3]
    local jk = job_key(id)
    redis.call('HSET', jk, 't', ARGV[b + 1], 'q', q, 'p', w, 'd', ARGV[b + 4], 'a', 0, 'm', ARGV[b + 6],
        'to', ARGV[b + 7], 'c', ARGV[b + 10], 'k', 0)
    local u, tenant = ARGV[b + 8], ARGV[b + 9]
    if u ~= '' then
      redis.call('HSET', jk, 'u', u)
      redis.call('HSET', UNIQUE, u, id)
    end
    if tenant ~= '' then redis.call('HSET', jk, 'n', tenant) end
    local run_at = tonumber(ARGV[b + 5])
    if run_at > now then
      schedule(id, jk, q, run_at)
      move_count(q, false, 'SCHEDULED')
    else
      make_ready(id, jk, q, w, now)
      move_count(q, false, 'READY')
    end
    redis.call('ZADD', IDS, 0, id)
    redis.call('SADD', QUEUES, q)
    stored = stored + 1
  end
end
if stored > 0 then redis.call('PUBLISH', WORK_CHANNEL, 'enqueue') end
return result
