-- Adds time to the remaining lifetime of the lock key while it still holds the caller's token.
-- KEYS[1]: the lock key; ARGV[1]: the caller's token; ARGV[2]: the milliseconds to add.
-- Returns 1 when extended, 0 when the key is gone or holds another token, -1 when it has no expiry to add to.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
local remaining = redis.call('pttl', KEYS[1])
if remaining < 0 then
    return -1
end
redis.call('pexpire', KEYS[1], remaining + tonumber(ARGV[2]))
return 1
