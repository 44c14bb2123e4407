#!lua flags=no-writes
-- A page of job ids in ascending id order, filtered by state, queue and type ('' for any), after an id
-- ('' for the first page). Examines at most `budget` jobs, so a very selective filter may return a short page.
-- ARGV: afterId, limit, state, queue, type, budget.
local after, limit, state, queue, jtype = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local budget = tonumber(ARGV[6])
local from = '-'
if after ~= '' then from = '(' .. after end
local out = {}
local chunk = math.max(limit, 100)
while #out < limit and budget > 0 do
  local ids = redis.call('ZRANGEBYLEX', IDS, from, '+', 'LIMIT', 0, chunk)
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    budget = budget - 1
    local v = redis.call('HMGET', job_key(id), 's', 'q', 't')
    if v[1] and (state == '' or v[1] == state) and (queue == '' or v[2] == queue)
        and (jtype == '' or v[3] == jtype) then
      out[#out + 1] = id
      if #out >= limit then break end
    end
  end
  from = '(' .. ids[#ids]
end
return out
