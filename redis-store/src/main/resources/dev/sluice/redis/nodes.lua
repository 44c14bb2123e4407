#!lua flags=no-writes
-- The registered nodes whose latest heartbeat is within its time to live (see node.lua): their entries.
-- ARGV: now.
local now = now_millis(ARGV[1])
local alive = redis.call('ZRANGEBYSCORE', B .. 'node-expiry', now, '+inf')
if #alive == 0 then return {} end
return redis.call('HMGET', B .. 'nodes', unpack(alive))
