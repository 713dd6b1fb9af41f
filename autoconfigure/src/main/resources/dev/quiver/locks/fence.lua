-- The fence key's bookkeeping that several lock scripts share; RedisLockScripts puts it in front of each script.
-- The fence key (KEYS[2] of every script, a hash in the lock key's slot) holds 'n' the last fencing token given,
-- 'r' the tokens released last, 'x' the last extend call, 'w:<client>' until when (Redis's clock, ms) a client's
-- waiters count as waiting, 's:<client>' since when the client waits for its turn, 'wmax' the latest 'w:', and
-- 'ti'/'tu' the client whose turn it is and until when, and 'b' '<client>:<passes>' how many times the holding client
-- passed the lock within itself while others waited, since it took the lock by a try.
-- Each server call inside a script costs about as much as a command of its own, so the scripts read the fields they
-- need with one HMGET and touch the rest only on the paths that need them: an uncontended acquire makes four calls,
-- a release five.

-- How many times a client may pass the lock to its own next waiter while other clients wait, before its turn ends.
local TURN_PASSES = 8

-- Redis's clock in milliseconds, from a TIME reply.
local function millisOf(time)
    return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- A whole number as the decimal text a hash field keeps.
local function decimal(number)
    return string.format('%.0f', number)
end

-- The fencing token of a new holder, from the last one given ('n', nil if none): one more than it, or Redis's clock in
-- microseconds when the fence key has none (new, expired, or lost with a restart). No two acquisitions run in one
-- microsecond, so tokens never run ahead of the clock, and one read from the clock after the fence key was lost is
-- above every token given before.
local function nextFence(last)
    if last then
        return tonumber(last) + 1
    end
    local time = redis.call('time')
    return tonumber(time[1]) * 1000000 + tonumber(time[2])
end

-- The fencing token to answer a try or pass with when it runs again (the lock key holds its token already): the one
-- it was given (`last`, the fence key's 'n'), or, when the fence key is gone since (it expired under a long hold, or a
-- restart lost it), a new one from the clock, kept in a fence key that lives `fenceMillis`.
local function givenAgain(last, fenceKey, fenceMillis)
    if last then
        return tonumber(last)
    end
    local fence = nextFence(nil)
    redis.call('hset', fenceKey, 'n', decimal(fence))
    redis.call('pexpire', fenceKey, fenceMillis)
    return fence
end

-- The released tokens (`released`, the fence key's 'r', nil if none) with `token` in front, the last 16 kept.
local function releasedWith(released, token)
    return token .. ',' .. string.sub(released or '', 1, 15 * (#token + 1))
end

-- Whether `token` is among the tokens released last (a release that runs again).
local function wasReleased(fenceKey, token)
    local released = redis.call('hget', fenceKey, 'r')
    if not released then
        return false
    end
    return string.find(released, token .. ',', 1, true) ~= nil
end

-- The client other than `releaser` that has waited longest and still counts as waiting, and until when it does (nil
-- when none); forgets the clients that stopped waiting. `latest` is the fence key's 'wmax', read by the caller: only
-- when some client waited lately is there anything to look at.
local function longestWaiting(fenceKey, releaser, latest)
    local nowMillis = millisOf(redis.call('time'))
    local fields = redis.call('hgetall', fenceKey)
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
                redis.call('hdel', fenceKey, field, 's:' .. client)
            elseif client ~= releaser then
                local since = tonumber(hash['s:' .. client]) or nowMillis
                if not next or since < nextSince then
                    next, nextSince, nextUntil = client, since, waitsUntil
                end
            end
        end
    end
    if tonumber(latest) <= nowMillis then
        redis.call('hdel', fenceKey, 'wmax')
    end
    return next, nextUntil
end

-- How many times `client` passed the lock within itself while others waited, in its current turn, from the fence
-- key's 'b' (`batch`, nil if none).
local function passesInTurn(batch, client)
    if batch and string.sub(batch, 1, #client + 1) == client .. ':' then
        return tonumber(string.sub(batch, #client + 2))
    end
    return 0
end
