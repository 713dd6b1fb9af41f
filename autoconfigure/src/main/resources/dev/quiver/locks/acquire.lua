-- Takes the lock for one try of an acquisition if it is free, and gives that try its fencing token.
-- KEYS[1]: the lock key; KEYS[2]: the lock's fence key, a hash in the same slot: 'n' the last fencing token given,
-- 'r' the tokens released last, 'x' the last extend call, 'w:<client>' until when (Redis's clock, ms) a client's
-- waiters count as waiting, 's:<client>' since when the client waits for its turn, 'wmax' the latest 'w:', 'ti' and
-- 'tu' the client whose turn it is until 'tu' (see release.lua): the other clients find the lock taken meanwhile.
-- ARGV[1]: the try's token; ARGV[2]: the key's lifetime in milliseconds; ARGV[3]: the fence key's lifetime in
-- milliseconds; ARGV[4]: the trying client's id; ARGV[5]: how long the client's waiters count as waiting after this
-- try, in milliseconds.
-- Returns the try's fencing token (> 0) when the key holds ARGV[1], 0 when it is taken (left untouched).
-- Idempotent: a try that runs again (a command re-sent after a reconnect) finds its own token and answers the same.
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then
    local given = tonumber(redis.call('hget', KEYS[2], 'n'))
    if given then
        return given
    end
end
local now = redis.call('time')
local nowMillis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
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
-- this client's turn is used: it queues again behind the others when its waiters next find the lock taken
redis.call('hdel', KEYS[2], 's:' .. ARGV[4])
-- never below Redis's clock in microseconds, so that the tokens keep growing when a restart lost the fence key
local fence = tonumber(now[1]) * 1000000 + tonumber(now[2])
local last = tonumber(redis.call('hget', KEYS[2], 'n'))
if last and last >= fence then
    fence = last + 1
end
if not holder then
    redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2])
end
redis.call('hset', KEYS[2], 'n', string.format('%.0f', fence))
redis.call('pexpire', KEYS[2], ARGV[3])
return fence
