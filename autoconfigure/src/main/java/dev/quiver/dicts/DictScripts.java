package dev.quiver.dicts;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts of {@link RedisDefaultDict}. Each takes the keys as {@code KEYS}, the time to live in milliseconds
 * as {@code ARGV[1]} ({@code 0}: no expiry) and the value of {@code KEYS[i]} as {@code ARGV[i + 1]}. Scripts run
 * atomically, so each one is a single all-or-nothing write.
 */
final class DictScripts {

    /**
     * Stores each value whose key is missing and returns, per key, the value the key now holds: the existing one
     * where a key was already set (another writer won), else the one given. Reads everything before writing, so
     * a key of the wrong type fails the script before any write.
     */
    static final RedisScript<Object> STORE_ALL_IF_ABSENT = RedisScript.of("""
            local ttl = tonumber(ARGV[1])
            local stored = {}
            for i, key in ipairs(KEYS) do
                stored[i] = redis.call('GET', key)
            end
            for i, key in ipairs(KEYS) do
                if not stored[i] then
                    if ttl > 0 then
                        redis.call('SET', key, ARGV[i + 1], 'PX', ttl)
                    else
                        redis.call('SET', key, ARGV[i + 1])
                    end
                    stored[i] = ARGV[i + 1]
                end
            end
            return stored
            """, Object.class);

    /** {@link #STORE_ALL_IF_ABSENT} for one key, returning the value the key now holds as a bulk string. */
    static final RedisScript<Object> STORE_IF_ABSENT = RedisScript.of("""
            local current = redis.call('GET', KEYS[1])
            if current then
                return current
            end
            local ttl = tonumber(ARGV[1])
            if ttl > 0 then
                redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
            else
                redis.call('SET', KEYS[1], ARGV[2])
            end
            return ARGV[2]
            """, Object.class);

    /**
     * Sets every key to its value with the time to live, as one atomic write (what {@code MSET} does, plus the
     * expiry {@code MSET} cannot carry). Returns the number of keys written.
     */
    static final RedisScript<Long> SET_ALL_WITH_TTL = RedisScript.of("""
            for i, key in ipairs(KEYS) do
                redis.call('SET', key, ARGV[i + 1], 'PX', ARGV[1])
            end
            return #KEYS
            """, Long.class);

    private DictScripts() {
    }

}
