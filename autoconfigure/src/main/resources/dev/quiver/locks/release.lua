-- Deletes the lock key only while it still holds the caller's token, then wakes the waiters.
-- KEYS[1]: the lock key, which is also the release channel; KEYS[2]: the lock's fence key (see acquire.lua);
-- ARGV[1]: the caller's token; ARGV[2]: the wake-up command, 'publish' on a standalone Redis, 'spublish' on Redis
-- Cluster (a sharded publish stays on the shard that owns the key's slot instead of being broadcast to every node);
-- ARGV[3]: the releasing client's id.
-- When waiters of other clients wait, the releasing client stands back until they have had their turn: its own tries
-- find the lock taken until one of them took it or until the last of them counts as gone.
-- Returns 1 when released, 0 when the key is gone or holds another token (left untouched).
-- Idempotent: the fence key remembers the last 16 tokens released, so a release that runs again (a command re-sent
-- after a reconnect) answers 1 again, even if another holder took the lock in between.
if redis.call('get', KEYS[1]) == ARGV[1] then
    redis.call('del', KEYS[1])
    local released = redis.call('hget', KEYS[2], 'r') or ''
    redis.call('hset', KEYS[2], 'r', ARGV[1] .. ',' .. string.sub(released, 1, 15 * (#ARGV[1] + 1)))
    local latest = tonumber(redis.call('hget', KEYS[2], 'wmax'))
    if latest then
        local now = redis.call('time')
        local nowMillis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
        local othersUntil = 0
        local fields = redis.call('hgetall', KEYS[2])
        for i = 1, #fields, 2 do
            local field = fields[i]
            if string.sub(field, 1, 2) == 'w:' then
                local waitsUntil = tonumber(fields[i + 1])
                if waitsUntil <= nowMillis then
                    redis.call('hdel', KEYS[2], field)
                elseif field ~= 'w:' .. ARGV[3] and waitsUntil > othersUntil then
                    othersUntil = waitsUntil
                end
            end
        end
        if othersUntil > 0 then
            redis.call('hset', KEYS[2], 'xi', ARGV[3], 'xu', string.format('%.0f', othersUntil))
        end
        if latest <= nowMillis then
            redis.call('hdel', KEYS[2], 'wmax')
        end
    end
    redis.call(ARGV[2], KEYS[1], 'released')
    return 1
end
local released = redis.call('hget', KEYS[2], 'r')
if released and string.find(released, ARGV[1] .. ',', 1, true) then
    return 1
end
return 0
