-- Releases the lock by handing it straight to the next waiter of the releasing client, unless waiters of another
-- client may be waiting too and the releasing client has used up its turn (TURN_PASSES passes since it took the lock
-- by a try): then it releases as release.lua does, the turn going to the other client that has waited longest.
-- KEYS[1]: the lock key, which is also the release channel; KEYS[2]: the lock's fence key (see fence.lua);
-- ARGV[1]: the releaser's token; ARGV[2]: the token of the next waiter's try; ARGV[3]: the key's lifetime for the next
-- waiter, in milliseconds; ARGV[4]: the fence key's lifetime in milliseconds; ARGV[5]: the releasing client's id.
-- Other clients' waiters are known by their tries, which leave a 'w:<client>' record in the fence key whether they
-- subscribe or not, and by subscriptions to the channel beyond the releasing client's own.
-- Returns the next waiter's fencing token (> 0) when passed (the key now holds ARGV[2]), -1 when released, 0 when the
-- key is gone or holds another token (left untouched).
-- Idempotent: a pass that runs again (a command re-sent after a reconnect) finds the key holding the next waiter's
-- token, or its own token among those released, and answers as the first run did.
local holder = redis.call('get', KEYS[1])
if holder == ARGV[2] then
    return givenAgain(redis.call('hget', KEYS[2], 'n'), KEYS[2], ARGV[4])
end
if holder ~= ARGV[1] then
    -- released here, or passed to a try whose key expired since: the next waiter tries again either way
    if wasReleased(KEYS[2], ARGV[1]) then
        return -1
    end
    return 0
end
local fields = redis.call('hmget', KEYS[2], 'n', 'r', 'wmax', 'b')
-- the other client that has waited longest, if any still counts as waiting
local next, nextUntil = nil, nil
if fields[3] then
    next, nextUntil = longestWaiting(KEYS[2], ARGV[5], fields[3])
end
local released = releasedWith(fields[2], ARGV[1])
local passes = nil
if next or redis.call('pubsub', 'numsub', KEYS[1])[2] > 1 then
    -- others wait: the releasing client's turn ends after TURN_PASSES passes within it (the count, in 'b', starts
    -- when the client takes the lock by a try), which spares most hand-offs a trip to another process
    passes = passesInTurn(fields[4], ARGV[5])
    if passes >= TURN_PASSES then
        redis.call('del', KEYS[1])
        if next then
            redis.call('hset', KEYS[2], 'r', released, 'ti', next, 'tu', decimal(nextUntil))
        else
            redis.call('hset', KEYS[2], 'r', released)
        end
        redis.call('publish', KEYS[1], 'released')
        return -1
    end
end
local fence = nextFence(fields[1])
redis.call('set', KEYS[1], ARGV[2], 'px', ARGV[3])
if passes then
    redis.call('hset', KEYS[2], 'n', decimal(fence), 'r', released, 'b', ARGV[5] .. ':' .. (passes + 1))
else
    redis.call('hset', KEYS[2], 'n', decimal(fence), 'r', released)
end
redis.call('pexpire', KEYS[2], ARGV[4])
return fence
