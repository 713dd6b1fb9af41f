-- Adds time to the remaining lifetime of the lock key while it still holds the caller's token.
-- KEYS[1]: the lock key; KEYS[2]: the lock's fence key (see fence.lua); ARGV[1]: the caller's token; ARGV[2]: the
-- milliseconds to add; ARGV[3]: an id of this call; ARGV[4]: how long the fence key outlives the lock key, in
-- milliseconds (it lives as long as the extended key, and that much longer).
-- Returns 1 when extended, 0 when the key is gone or holds another token, -1 when it has no expiry to add to.
-- Idempotent: the fence key remembers the last call that extended, so a call that runs again (a command re-sent after
-- a reconnect) answers 1 without adding its time twice.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
if redis.call('hget', KEYS[2], 'x') == ARGV[3] then
    return 1
end
local remaining = redis.call('pttl', KEYS[1])
if remaining < 0 then
    return -1
end
redis.call('pexpire', KEYS[1], remaining + tonumber(ARGV[2]))
redis.call('hset', KEYS[2], 'x', ARGV[3])
redis.call('pexpire', KEYS[2], remaining + tonumber(ARGV[2]) + tonumber(ARGV[4]))
return 1
