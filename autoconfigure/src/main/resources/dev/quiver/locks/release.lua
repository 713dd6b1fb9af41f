-- Deletes the lock key only while it still holds the caller's token, then wakes the waiters.
-- KEYS[1]: the lock key, which is also the release channel; KEYS[2]: the lock's fence key (see acquire.lua);
-- ARGV[1]: the caller's token; ARGV[2]: the wake-up command, 'publish' on a standalone Redis, 'spublish' on Redis
-- Cluster (a sharded publish stays on the shard that owns the key's slot instead of being broadcast to every node);
-- ARGV[3]: the releasing client's id.
-- When waiters of other clients wait, the turn goes to the one that has waited longest: until it takes the lock, or
-- stops counting as waiting, every other client's tries (the releaser's too) find the lock taken. So clients take
-- turns in the order they began to wait, and none is starved by others that are quicker to try.
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
        -- the turn goes to the other client that has waited longest, for as long as it counts as waiting
        local fields = redis.call('hgetall', KEYS[2])
        local hash = {}
        for i = 1, #fields, 2 do
            hash[fields[i]] = fields[i + 1]
        end
        local next, nextSince, nextUntil = nil, nil, nil
        for field, value in pairs(hash) do
            if string.sub(field, 1, 2) == 'w:' then
                local client = string.sub(field, 3)
                local waitsUntil = tonumber(value)
                if waitsUntil <= nowMillis then
                    redis.call('hdel', KEYS[2], field, 's:' .. client)
                elseif client ~= ARGV[3] then
                    local since = tonumber(hash['s:' .. client]) or nowMillis
                    if not next or since < nextSince then
                        next, nextSince, nextUntil = client, since, waitsUntil
                    end
                end
            end
        end
        if next then
            redis.call('hset', KEYS[2], 'ti', next, 'tu', string.format('%.0f', nextUntil))
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
