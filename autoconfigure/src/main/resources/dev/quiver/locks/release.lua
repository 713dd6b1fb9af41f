-- Deletes the lock key only while it still holds the caller's token, then wakes the waiters.
-- KEYS[1]: the lock key, which is also the release channel; KEYS[2]: the lock's fence key (see fence.lua);
-- ARGV[1]: the caller's token; ARGV[2]: the wake-up command, 'publish' on a standalone Redis, 'spublish' on Redis
-- Cluster (a sharded publish stays on the shard that owns the key's slot instead of being broadcast to every node);
-- ARGV[3]: the releasing client's id; ARGV[4]: how long the fence key lives when this release has to give it a lifetime,
-- in milliseconds.
-- When waiters of other clients wait, the turn goes to the one that has waited longest: until it takes the lock, or
-- stops counting as waiting, every other client's tries (the releaser's too) find the lock taken. So clients take
-- turns in the order they began to wait, and none is starved by others that are quicker to try.
-- Returns 1 when released, 0 when the key is gone or holds another token (left untouched).
-- Idempotent: the fence key remembers the last 16 tokens released, so a release that runs again (a command re-sent
-- after a reconnect) answers 1 again, even if another holder took the lock in between.
if redis.call('get', KEYS[1]) == ARGV[1] then
    redis.call('del', KEYS[1])
    local fields = redis.call('hmget', KEYS[2], 'r', 'wmax', 'n')
    local released = releasedWith(fields[1], ARGV[1])
    -- the turn goes to the other client that has waited longest, for as long as it counts as waiting
    local next, nextUntil = nil, nil
    if fields[2] then
        next, nextUntil = longestWaiting(KEYS[2], ARGV[3], fields[2])
    end
    if next then
        redis.call('hset', KEYS[2], 'r', released, 'ti', next, 'tu', decimal(nextUntil))
    else
        redis.call('hset', KEYS[2], 'r', released)
    end
    if not fields[3] then
        -- the fence key expired under a long hold (or never had a token): this write made it anew, without a
        -- lifetime, and it must not outlive its use
        redis.call('pexpire', KEYS[2], ARGV[4])
    end
    -- every waiter is woken, also those whose waiting record lapsed: a waiter that takes the lock at a wake-up makes
    -- no record, so a record shows only waiters that found the lock taken lately
    redis.call(ARGV[2], KEYS[1], 'released')
    return 1
end
if wasReleased(KEYS[2], ARGV[1]) then
    return 1
end
return 0
