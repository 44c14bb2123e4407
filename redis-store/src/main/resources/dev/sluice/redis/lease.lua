#!lua flags=allow-oom
-- Leader leases, one hash per role: o owner, k fencing token, e expiry (epoch millis on the store's clock).
-- 'take': granted when no lease is held, when it has expired, or when the node holds it already; the token grows
-- (HINCRBY, kept across resigns) only when the lease changes hands. Returns {owner, token, expiresAt} when the
-- node holds it now, else an empty list.
-- 'resign': ends the lease when the node holds it (the token stays, so the next holder's is greater).
-- ARGV: 'take' or 'resign', now, role, nodeId, leaseMillis.
local op, role, node = ARGV[1], ARGV[3], ARGV[4]
local key = B .. 'lease:' .. role
local v = redis.call('HMGET', key, 'o', 'k', 'e')
if op == 'resign' then
  if v[1] == node then redis.call('HDEL', key, 'o', 'e') end
  return {}
end
local now = now_millis(ARGV[2])
local expires = now + tonumber(ARGV[5])
local token = v[2]
if v[1] ~= node then
  if v[1] and tonumber(v[3]) > now then return {} end
  token = redis.call('HINCRBY', key, 'k', 1)
end
redis.call('HSET', key, 'o', node, 'e', expires)
return { node, token, expires }
