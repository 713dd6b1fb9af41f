package dev.quiver.objects;

/**
 * A count-min sketch of how often keys were inserted into a cache, with 4-bit counters packed two to a byte.
 * <p>
 * It remembers popularity that a cache can no longer hold itself: an entry that is culled and comes back starts with
 * its old estimate instead of as a stranger. The owner halves the counts periodically ({@link #halve()}) so that the
 * sketch follows a changing workload. Not thread-safe: the cache calls it under its cull lock only.
 */
final class FrequencySketch {

    static final int MAX_COUNT = 15;

    private static final int ROWS = 4;
    private static final int[] ROW_SEEDS = {0x97cb3127, 0xb8a1e9d5, 0x5c3a1f4b, 0x2f6e8d91};
    /**
     * Counters per row for each entry the cache holds: far more keys pass through a cache than it holds, and fewer
     * collisions between them paid off in hit rate (measured with the benchmarks' hit-rate trace).
     */
    private static final int COUNTERS_PER_ENTRY = 8;

    private final byte[] nibbles;
    private final int rowWidth;

    /**
     * Creates a sketch sized for a cache of {@code capacity} entries (about 16 bytes per entry).
     *
     * @param capacity the cache's maximum number of entries
     */
    FrequencySketch(int capacity) {
        int sized = Math.max(64, Math.min(capacity, 1 << 22));
        this.rowWidth = COUNTERS_PER_ENTRY * Integer.highestOneBit(sized * 2 - 1);
        this.nibbles = new byte[ROWS * rowWidth / 2];
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
            int counter = counterOf(hash, row);
            int count = read(counter);
            if (count < MAX_COUNT) {
                write(counter, ++count);
            }
            estimate = Math.min(estimate, count);
        }
        return estimate;
    }

    /**
     * Returns the estimated count of {@code key}, without counting it.
     *
     * @param key the key
     * @return the key's estimated count, from 0 to {@value #MAX_COUNT}
     */
    int estimate(Object key) {
        int hash = spread(key.hashCode());
        int estimate = MAX_COUNT;
        for (int row = 0; row < ROWS; row++) {
            estimate = Math.min(estimate, read(counterOf(hash, row)));
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
        int floor = Math.min(count, MAX_COUNT);
        int hash = spread(key.hashCode());
        for (int row = 0; row < ROWS; row++) {
            int counter = counterOf(hash, row);
            if (read(counter) < floor) {
                write(counter, floor);
            }
        }
    }

    /** Halves every count, so that old popularity fades. */
    void halve() {
        for (int i = 0; i < nibbles.length; i++) {
            // halve both nibbles at once: shift right, then clear the bit that crossed from the high nibble
            nibbles[i] = (byte) ((nibbles[i] & 0xff) >>> 1 & 0x77);
        }
    }

    private int counterOf(int hash, int row) {
        return row * rowWidth + (spread(hash ^ ROW_SEEDS[row]) & (rowWidth - 1));
    }

    private int read(int counter) {
        return (nibbles[counter >>> 1] >>> ((counter & 1) << 2)) & 0xf;
    }

    private void write(int counter, int count) {
        int shift = (counter & 1) << 2;
        int index = counter >>> 1;
        nibbles[index] = (byte) ((nibbles[index] & ~(0xf << shift)) | (count << shift));
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
