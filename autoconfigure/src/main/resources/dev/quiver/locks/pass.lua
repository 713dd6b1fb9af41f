-- Releases the lock by handing it straight to the next waiter of the releasing process, unless another process may
-- be waiting too: then it releases as release.lua does, and every waiter may try.
-- KEYS[1]: the lock key, which is also the release channel; ARGV[1]: the releaser's token; ARGV[2]: the next
-- waiter's token; ARGV[3]: the key's lifetime for the next waiter, in milliseconds.
-- The releasing process is subscribed to the channel while it has waiters; any other subscriber is another
-- process that has (or had a moment ago) waiters of its own.
-- Returns 2 when passed (the key now holds ARGV[2]), 1 when released, 0 when the key is gone or holds another token
-- (left untouched).
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
if redis.call('pubsub', 'numsub', KEYS[1])[2] > 1 then
    redis.call('del', KEYS[1])
    redis.call('publish', KEYS[1], 'released')
    return 1
end
redis.call('set', KEYS[1], ARGV[2], 'px', ARGV[3])
return 2
