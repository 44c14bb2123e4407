#!lua flags=allow-oom
-- The node registry: hash nodes (node id -> "<lastSeen> <description>") and sorted set node-expiry (score =
-- lastSeen + ttl). 'beat' records a heartbeat at the store's now and deletes up to 100 entries expired before
-- now; 'remove' deletes one node.
-- ARGV: 'beat' or 'remove', now, nodeId, ttlMillis, description (packed by the store).
local NODES, EXPIRY = B .. 'nodes', B .. 'node-expiry'
local node = ARGV[3]
if ARGV[1] == 'remove' then
  redis.call('HDEL', NODES, node)
  redis.call('ZREM', EXPIRY, node)
  return 0
end
local now = now_millis(ARGV[2])
local gone = redis.call('ZRANGEBYSCORE', EXPIRY, '-inf', '(' .. now, 'LIMIT', 0, 100)
if #gone > 0 then
  redis.call('HDEL', NODES, unpack(gone))
  redis.call('ZREM', EXPIRY, unpack(gone))
end
redis.call('HSET', NODES, node, now .. ' ' .. ARGV[5])
redis.call('ZADD', EXPIRY, now + tonumber(ARGV[4]), node)
return now
