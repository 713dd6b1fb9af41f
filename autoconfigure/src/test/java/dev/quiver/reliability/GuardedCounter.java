package dev.quiver.reliability;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The critical section of the mutual-exclusion scenario: a deliberately non-atomic increment ({@code GET}, then
 * {@code SET} of the value plus one) of a counter in Redis, wrapped in a tracker of current holders. The tracker is
 * an {@code INCR} on entry and a {@code DECR} on exit of one Redis key, shared by every process: an entry that finds
 * anyone else inside counts an overlap. Without a working lock both the lost increments and the overlaps show (the
 * scenario's control run proves the tracker sees them).
 */
final class GuardedCounter {

    static final String COUNTER = "quiver:reliability:counter";

    static final String HOLDERS = "quiver:reliability:holders";

    static final String OVERLAPS = "quiver:reliability:overlaps";

    private final StringRedisTemplate redis;

    GuardedCounter(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * Increments the counter once; returns how many holders were inside, this one included (1 when exclusive).
     */
    long increment() {
        Long inside = this.redis.opsForValue().increment(HOLDERS);
        long holders = (inside != null) ? inside : -1;
        try {
            if (holders != 1) {
                this.redis.opsForValue().increment(OVERLAPS);
            }
            String current = this.redis.opsForValue().get(COUNTER);
            long next = ((current != null) ? Long.parseLong(current) : 0) + 1;
            // widen the window between read and write a little, so that a second holder would surely interleave
            Thread.onSpinWait();
            this.redis.opsForValue().set(COUNTER, Long.toString(next));
        }
        finally {
            this.redis.opsForValue().decrement(HOLDERS);
        }
        return holders;
    }

    long counter() {
        String value = this.redis.opsForValue().get(COUNTER);
        return (value != null) ? Long.parseLong(value) : 0;
    }

    long overlaps() {
        String value = this.redis.opsForValue().get(OVERLAPS);
        return (value != null) ? Long.parseLong(value) : 0;
    }

    long holders() {
        String value = this.redis.opsForValue().get(HOLDERS);
        return (value != null) ? Long.parseLong(value) : 0;
    }
}
