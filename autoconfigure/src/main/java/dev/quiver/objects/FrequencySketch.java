package dev.quiver.objects;

/**
 * A count-min sketch of how often keys were inserted into a cache, kept in 4-bit-range byte counters.
 * <p>
 * It remembers popularity that a cache can no longer hold itself: an entry that is culled and comes back starts with
 * its old estimate instead of as a stranger. The owner halves the counts periodically ({@link #halve()}) so that the
 * sketch follows a changing workload. Not thread-safe: the cache calls it under its write lock only.
 */
final class FrequencySketch {

    static final int MAX_COUNT = 15;

    private static final int ROWS = 4;
    private static final int[] ROW_SEEDS = {0x97cb3127, 0xb8a1e9d5, 0x5c3a1f4b, 0x2f6e8d91};

    private final byte[] counters;
    private final int rowMask;
    private final int rowWidth;

    /**
     * Creates a sketch sized for a cache of {@code capacity} entries.
     *
     * @param capacity the cache's maximum number of entries
     */
    FrequencySketch(int capacity) {
        this.rowWidth = Integer.highestOneBit(Math.max(64, Math.min(capacity, 1 << 26)) * 2 - 1);
        this.rowMask = rowWidth - 1;
        this.counters = new byte[ROWS * rowWidth];
    }

    /**
     * Counts one more occurrence of {@code key}.
     *
     * @param key the key seen
     * @return the key's estimated count, this occurrence included
     */
    int incrementAndEstimate(Object key) {
        int hash = spread(key.hashCode());
        int estimate = MAX_COUNT;
        for (int row = 0; row < ROWS; row++) {
            int index = indexOf(hash, row);
            if (counters[index] < MAX_COUNT) {
                counters[index]++;
            }
            estimate = Math.min(estimate, counters[index]);
        }
        return estimate;
    }

    /**
     * Raises the counts of {@code key} to at least {@code count}, so a culled entry's popularity outlives it.
     *
     * @param key the key
     * @param count the popularity to remember, capped at {@link #MAX_COUNT}
     */
    void remember(Object key, int count) {
        byte floor = (byte) Math.min(count, MAX_COUNT);
        int hash = spread(key.hashCode());
        for (int row = 0; row < ROWS; row++) {
            int index = indexOf(hash, row);
            if (counters[index] < floor) {
                counters[index] = floor;
            }
        }
    }

    /** Halves every count, so that old popularity fades. */
    void halve() {
        for (int i = 0; i < counters.length; i++) {
            counters[i] = (byte) (counters[i] >> 1);
        }
    }

    private int indexOf(int hash, int row) {
        return row * rowWidth + (spread(hash ^ ROW_SEEDS[row]) & rowMask);
    }

    /** Murmur3's finalizer: every input bit affects every output bit. */
    private static int spread(int hash) {
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >>> 16;
        return hash;
    }
}
