-- Takes the lock for one try of an acquisition if it is free, and gives that try its fencing token.
-- KEYS[1]: the lock key; KEYS[2]: the lock's fence key (a hash in the same slot: 'n' the last fencing token given,
-- 'r' the tokens released last); ARGV[1]: the try's token; ARGV[2]: the key's lifetime in milliseconds; ARGV[3]: the
-- fence key's lifetime in milliseconds.
-- Returns the try's fencing token (> 0) when the key holds ARGV[1], 0 when it holds another token (left untouched).
-- Idempotent: a try that runs again (a command re-sent after a reconnect) finds its own token and answers the same.
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then
    local given = tonumber(redis.call('hget', KEYS[2], 'n'))
    if given then
        return given
    end
elseif holder then
    return 0
end
-- never below Redis's clock in microseconds, so that the tokens keep growing when a restart lost the fence key
local now = redis.call('time')
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
