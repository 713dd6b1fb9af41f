-- Deletes the lock key only while it still holds the caller's token, then wakes the waiters.
-- KEYS[1]: the lock key, which is also the release channel; ARGV[1]: the caller's token.
-- Returns 1 when released, 0 when the key is gone or holds another token (left untouched).
if redis.call('get', KEYS[1]) == ARGV[1] then
    redis.call('del', KEYS[1])
    redis.call('publish', KEYS[1], 'released')
    return 1
end
return 0
