package dev.quiver.objects;

/**
 * One value held by an {@link ArrowCache}, with the bookkeeping its cull policy needs.
 * <p>
 * The key, value and expiry never change; replacing a value replaces the entry. The access fields are written without
 * synchronization from the hit path: a lost update only blurs the cull heuristic, never correctness.
 */
final class CacheEntry<K, V> {

    /** Highest value {@link #frequency} counts to, so that ageing can bring a once-hot entry down in a few periods. */
    static final int MAX_FREQUENCY = 31;

    final K key;
    final V value;
    final long expiresAtNanos;

    /** Approximate access count (see {@link SampledCuller}); ages by halving. */
    int frequency;
    /** The cull policy's access epoch at this entry's latest counted access. */
    int accessEpoch;
    /** Position in the cull policy's sampling table, guarded by the cache's write lock. */
    int slot = -1;

    CacheEntry(K key, V value, long expiresAtNanos) {
        this.key = key;
        this.value = value;
        this.expiresAtNanos = expiresAtNanos;
    }

    boolean isLiveAt(long nowNanos) {
        return expiresAtNanos - nowNanos > 0;
    }

    /**
     * Counts an access at most once per epoch, so that a hot entry's cache line is written rarely rather than on every
     * read by every thread.
     */
    void recordAccess(int epoch) {
        if (accessEpoch != epoch) {
            accessEpoch = epoch;
            if (frequency < MAX_FREQUENCY) {
                frequency++;
            }
        }
    }
}
