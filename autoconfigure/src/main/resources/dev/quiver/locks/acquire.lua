-- Takes the lock for one try of an acquisition if it is free, and gives that try its fencing token.
-- KEYS[1]: the lock key; KEYS[2]: the lock's fence key (see fence.lua); while another client has the turn (see
-- release.lua), the other clients find the lock taken.
-- ARGV[1]: the try's token; ARGV[2]: the key's lifetime in milliseconds; ARGV[3]: the fence key's lifetime in
-- milliseconds; ARGV[4]: the trying client's id; ARGV[5]: how long the client's waiters count as waiting after this
-- try, in milliseconds.
-- Returns the try's fencing token (> 0) when the key holds ARGV[1], 0 when it is taken (left untouched).
-- Idempotent: a try that runs again (a command re-sent after a reconnect) finds its own token and answers the same.
local holder = redis.call('get', KEYS[1])
local given = givenTo(holder, ARGV[1], KEYS[2])
if given then
    return given
end
local now = redis.call('time')
local nowMillis = millisOf(now)
local standBack = false
if not holder then
    local turn = redis.call('hmget', KEYS[2], 'ti', 'tu')
    if turn[1] then
        if turn[1] ~= ARGV[4] and tonumber(turn[2]) > nowMillis then
            standBack = true
        else
            redis.call('hdel', KEYS[2], 'ti', 'tu')
        end
    end
end
if (holder and holder ~= ARGV[1]) or standBack then
    -- taken: make this client's waiters visible to releases of other clients, whether they subscribe or not, and
    -- queue the client for its turn (unless it is queued already)
    local waitsUntil = nowMillis + tonumber(ARGV[5])
    local latest = tonumber(redis.call('hget', KEYS[2], 'wmax'))
    if not latest or latest < waitsUntil then
        latest = waitsUntil
    end
    redis.call('hset', KEYS[2], 'w:' .. ARGV[4], string.format('%.0f', waitsUntil), 'wmax',
        string.format('%.0f', latest))
    redis.call('hsetnx', KEYS[2], 's:' .. ARGV[4], string.format('%.0f', nowMillis))
    redis.call('pexpire', KEYS[2], ARGV[3])
    return 0
end
-- this client's turn is used: it queues again behind the others when its waiters next find the lock taken, and its
-- passes within itself count from here
redis.call('hdel', KEYS[2], 's:' .. ARGV[4], 'b')
local fence = nextFence(KEYS[2], now)
if not holder then
    redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2])
end
redis.call('hset', KEYS[2], 'n', string.format('%.0f', fence))
redis.call('pexpire', KEYS[2], ARGV[3])
return fence
