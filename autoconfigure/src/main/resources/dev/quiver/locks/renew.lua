-- Renews the lease of the lock key to its full lifetime while it still holds the caller's token, and keeps the fence
-- key for as long and then the linger, so that a long renewed hold keeps its fencing token and released tokens.
-- KEYS[1]: the lock key; KEYS[2]: the lock's fence key (see fence.lua);
-- ARGV[1]: the caller's token; ARGV[2]: the key's lifetime in milliseconds; ARGV[3]: how long the fence key outlives
-- the lock key, in milliseconds.
-- Returns 1 when renewed, 0 when the key is gone or holds another token (left untouched).
-- Idempotent: a renewal that runs again sets the same lifetimes again.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
redis.call('pexpire', KEYS[1], ARGV[2])
redis.call('pexpire', KEYS[2], tonumber(ARGV[2]) + tonumber(ARGV[3]))
return 1
