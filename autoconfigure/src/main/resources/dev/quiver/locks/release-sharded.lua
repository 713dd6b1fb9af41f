-- The release script for Redis Cluster: the same as release.lua, but the wake-up is a sharded publish, which
-- stays on the shard that owns the key's slot instead of being broadcast to every node.
-- KEYS[1]: the lock key, which is also the release shard channel; ARGV[1]: the caller's token.
-- Returns 1 when released, 0 when the key is gone or holds another token (left untouched).
if redis.call('get', KEYS[1]) == ARGV[1] then
    redis.call('del', KEYS[1])
    redis.call('spublish', KEYS[1], 'released')
    return 1
end
return 0
