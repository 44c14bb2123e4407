#!lua flags=
-- Saves a result in the shared result cache (ResultCacheStore), replacing any earlier one: one string per
-- (type, key), "<expiresAt>:b<bytes>" or "<expiresAt>:n" for a handler that returned null, with a PX so that
-- Redis frees it. Refused when memory is full (it adds caller data).
-- ARGV: now, entry name ("<type>:<digest of key>", made by the store), ttlMillis, has-result flag, result bytes.
local now = now_millis(ARGV[1])
local ttl = tonumber(ARGV[3])
local value = (now + ttl) .. (ARGV[4] == '1' and ':b' or ':n') .. ARGV[5]
redis.call('SET', B .. 'cache:' .. ARGV[2], value, 'PX', px_after(ARGV[1], ttl))
return 1
