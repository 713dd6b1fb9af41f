-- Renews the lease of the lock key to its full lifetime while it still holds the caller's token.
-- KEYS[1]: the lock key; KEYS[2]: the lock's fence key (see fence.lua; unused, named for the cluster slot);
-- ARGV[1]: the caller's token; ARGV[2]: the key's lifetime in milliseconds.
-- Returns 1 when renewed, 0 when the key is gone or holds another token (left untouched).
-- Idempotent: a renewal that runs again sets the same lifetime again.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
redis.call('pexpire', KEYS[1], ARGV[2])
return 1
