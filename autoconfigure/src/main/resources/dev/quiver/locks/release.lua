-- Deletes the lock key only while it still holds the caller's token, then wakes the waiters.
-- KEYS[1]: the lock key, which is also the release channel; ARGV[1]: the caller's token; ARGV[2]: the wake-up
-- command, 'publish' on a standalone Redis, 'spublish' on Redis Cluster (a sharded publish stays on the shard that
-- owns the key's slot instead of being broadcast to every node).
-- Returns 1 when released, 0 when the key is gone or holds another token (left untouched).
if redis.call('get', KEYS[1]) == ARGV[1] then
    redis.call('del', KEYS[1])
    redis.call(ARGV[2], KEYS[1], 'released')
    return 1
end
return 0
