#!lua flags=no-writes
-- The lease of a role when one is held and not expired (see lease.lua): {owner, token, expiresAt}, else empty.
-- ARGV: now, role.
local now = now_millis(ARGV[1])
local v = redis.call('HMGET', B .. 'lease:' .. ARGV[2], 'o', 'k', 'e')
if not v[1] or tonumber(v[3]) <= now then return {} end
return { v[1], v[2], v[3] }
