package dev.quiver.objects;

import org.jspecify.annotations.Nullable;

/**
 * One value held by an {@link ArrowCache}, with the bookkeeping its cull policy needs.
 * <p>
 * The key, value and expiry never change; replacing a value replaces the entry. The access fields are written without
 * synchronization (the {@link #referenced} flag from the hit path): a lost update only blurs the cull heuristic, never
 * correctness. A {@link LoadingEntry} stands in the map for a key whose value is being loaded.
 */
class CacheEntry<K, V> {

    /** Highest value {@link #frequency} counts to, so that ageing can bring a once-hot entry down in a few periods. */
    static final int MAX_FREQUENCY = 31;

    final K key;
    final V value;
    final long expiresAtNanos;

    /** Approximate access count (see {@link SampledCuller}); ages by halving. */
    int frequency;
    /** The cull policy's write epoch when an access was last folded into {@link #frequency}. */
    int accessEpoch;
    /** Set by a hit, cleared when the cull policy folds it into {@link #frequency}. */
    boolean referenced;
    /** Position in the cull policy's sampling table, or -1 while untracked; guarded by the cull lock. */
    int slot = -1;
    /** Set by the thread that took this entry out of the cache's map (replaced, removed, expired or culled). */
    volatile boolean retired;
    /**
     * The entry this one replaced in the map, set before this one is published there, until the cull policy has taken
     * it over (see {@link BufferedCuller}).
     */
    @Nullable CacheEntry<K, V> predecessor;

    CacheEntry(K key, V value, long expiresAtNanos) {
        this.key = key;
        this.value = value;
        this.expiresAtNanos = expiresAtNanos;
    }

    boolean isTracked() {
        return slot >= 0;
    }

    boolean isLiveAt(long nowNanos) {
        return expiresAtNanos - nowNanos > 0;
    }

    /**
     * Notes a hit. The flag is written only when it is clear, so that a hot entry's cache line is written once per
     * cull-policy visit rather than on every read by every thread.
     */
    void recordAccess() {
        if (!referenced) {
            referenced = true;
        }
    }

    /**
     * Folds a noted hit into the frequency; called by the cull policy under the cull lock.
     *
     * @param epoch the policy's current write epoch, kept as the time of the access
     */
    void foldAccess(int epoch) {
        if (referenced) {
            referenced = false;
            accessEpoch = epoch;
            if (frequency < MAX_FREQUENCY) {
                frequency++;
            }
        }
    }
}
