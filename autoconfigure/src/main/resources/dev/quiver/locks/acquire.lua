-- Takes the lock for one try of an acquisition if it is free, and gives that try its fencing token.
-- KEYS[1]: the lock key; KEYS[2]: the lock's fence key (see fence.lua); while another client has the turn (see
-- release.lua), the other clients find the lock taken.
-- ARGV[1]: the try's token; ARGV[2]: the key's lifetime in milliseconds; ARGV[3]: the fence key's lifetime in
-- milliseconds; ARGV[4]: the trying client's id; ARGV[5]: how long the client's waiters count as waiting after this
-- try, in milliseconds.
-- Returns the try's fencing token (> 0) when the key holds ARGV[1], 0 when it is taken (left untouched).
-- Idempotent: a try that runs again (a command re-sent after a reconnect) finds its own token and answers the same.
local fields = redis.call('hmget', KEYS[2], 'n', 'ti', 'tu', 's:' .. ARGV[4], 'b', 'wmax')
local last, turnTo, turnUntil, since, passes, latest = fields[1], fields[2], fields[3], fields[4], fields[5], fields[6]
local nowMillis = nil
local standBack = false
if turnTo and turnTo ~= ARGV[4] then
    nowMillis = millisOf(redis.call('time'))
    standBack = tonumber(turnUntil) > nowMillis
end
local holder = false
if not standBack then
    -- takes the key if it is free, and tells who held it if not
    holder = redis.call('set', KEYS[1], ARGV[1], 'nx', 'px', ARGV[2], 'get')
    if holder == ARGV[1] then
        return givenAgain(last, KEYS[2], ARGV[3])
    end
end
if standBack or holder then
    -- taken: make this client's waiters visible to releases of other clients, whether they subscribe or not, and
    -- queue the client for its turn (unless it is queued already)
    if not nowMillis then
        nowMillis = millisOf(redis.call('time'))
    end
    local waitsUntil = nowMillis + tonumber(ARGV[5])
    local newest = tonumber(latest)
    if not newest or newest < waitsUntil then
        newest = waitsUntil
    end
    if since then
        redis.call('hset', KEYS[2], 'w:' .. ARGV[4], decimal(waitsUntil), 'wmax', decimal(newest))
    else
        redis.call('hset', KEYS[2], 'w:' .. ARGV[4], decimal(waitsUntil), 'wmax', decimal(newest),
            's:' .. ARGV[4], decimal(nowMillis))
    end
    redis.call('pexpire', KEYS[2], ARGV[3])
    return 0
end
-- the key holds this try's token now. This client's turn, if it had it, is used: it queues again behind the others
-- when its waiters next find the lock taken, and its passes within itself count from here
if turnTo or since or passes then
    redis.call('hdel', KEYS[2], 'ti', 'tu', 's:' .. ARGV[4], 'b')
end
local fence = nextFence(last)
redis.call('hset', KEYS[2], 'n', decimal(fence))
redis.call('pexpire', KEYS[2], ARGV[3])
return fence
