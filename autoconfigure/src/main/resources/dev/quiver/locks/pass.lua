-- Releases the lock by handing it straight to the next waiter of the releasing process, unless another process may
-- be waiting too: then it releases as release.lua does, and every waiter may try.
-- KEYS[1]: the lock key, which is also the release channel; KEYS[2]: the lock's fence key (see acquire.lua);
-- ARGV[1]: the releaser's token; ARGV[2]: the token of the next waiter's try; ARGV[3]: the key's lifetime for the next
-- waiter, in milliseconds; ARGV[4]: the fence key's lifetime in milliseconds.
-- The releasing process is subscribed to the channel while it has waiters; any other subscriber is another
-- process that has (or had a moment ago) waiters of its own.
-- Returns the next waiter's fencing token (> 0) when passed (the key now holds ARGV[2]), -1 when released, 0 when the
-- key is gone or holds another token (left untouched).
-- Idempotent: a pass that runs again (a command re-sent after a reconnect) finds the key holding the next waiter's
-- token, or its own token among those released, and answers as the first run did.
local holder = redis.call('get', KEYS[1])
if holder == ARGV[2] then
    local given = tonumber(redis.call('hget', KEYS[2], 'n'))
    if given then
        return given
    end
end
if holder ~= ARGV[1] then
    -- released here, or passed to a try whose key expired since: the next waiter tries again either way
    local released = redis.call('hget', KEYS[2], 'r')
    if released and string.find(released, ARGV[1] .. ',', 1, true) then
        return -1
    end
    return 0
end
if redis.call('pubsub', 'numsub', KEYS[1])[2] > 1 then
    redis.call('del', KEYS[1])
    local released = redis.call('hget', KEYS[2], 'r') or ''
    redis.call('hset', KEYS[2], 'r', ARGV[1] .. ',' .. string.sub(released, 1, 15 * (#ARGV[1] + 1)))
    redis.call('publish', KEYS[1], 'released')
    return -1
end
local now = redis.call('time')
local fence = tonumber(now[1]) * 1000000 + tonumber(now[2])
local last = tonumber(redis.call('hget', KEYS[2], 'n'))
if last and last >= fence then
    fence = last + 1
end
redis.call('set', KEYS[1], ARGV[2], 'px', ARGV[3])
local released = redis.call('hget', KEYS[2], 'r') or ''
redis.call('hset', KEYS[2], 'n', string.format('%.0f', fence), 'r',
    ARGV[1] .. ',' .. string.sub(released, 1, 15 * (#ARGV[1] + 1)))
redis.call('pexpire', KEYS[2], ARGV[4])
return fence
