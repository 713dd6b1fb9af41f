package dev.quiver.objects;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * One value held by an {@link ArrowCache}, with the bookkeeping its cull policy needs.
 * <p>
 * The key, value and expiry never change; replacing a value replaces the entry. The access fields are written without
 * synchronization (the {@link #referenced} flag from the hit path): a lost update only blurs the cull heuristic, never
 * correctness. A {@link LoadingEntry} stands in the map for a key whose value is being loaded.
 * <p>
 * A value set while its key loads takes the load's place in the map but keeps the load in {@link #displacedLoad}:
 * should the value leave the map before the load finishes, the load takes its place back (see {@link #leave}), so
 * that the next miss of the key waits for that load instead of starting a second one.
 */
class CacheEntry<K, V> {

    private static final VarHandle REFRESH_CLAIMED;

    static {
        try {
            REFRESH_CLAIMED = MethodHandles.lookup().findVarHandle(CacheEntry.class, "refreshClaimed", boolean.class);
        } catch (ReflectiveOperationException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    final K key;
    final V value;
    final long expiresAtNanos;

    /** Set by a hit, cleared when the cull policy gives the entry a second chance (see {@link AdaptiveCuller}). */
    boolean referenced;
    /** The cull policy's queue holding this entry, or -1 while untracked; guarded by the cull lock. */
    int slot = AdaptiveCuller.UNTRACKED;
    /** The entry before this one in its cull-policy queue; guarded by the cull lock. */
    @Nullable CacheEntry<K, V> older;
    /** The entry after this one in its cull-policy queue; guarded by the cull lock. */
    @Nullable CacheEntry<K, V> newer;
    /** Set by the thread that took this entry out of the cache's map (replaced, removed, expired or culled). */
    volatile boolean retired;
    /**
     * The entry this one replaced in the map, set before this one is published there, until the cull policy has taken
     * it over (see {@link BufferedCuller}).
     */
    @Nullable CacheEntry<K, V> predecessor;
    /**
     * The load of this key that was in flight when this entry was stored, set before the entry is published and never
     * changed; once that load is done it is only a stale reference, which {@link #loadInFlight()} ignores.
     */
    @Nullable LoadingEntry<K, V> displacedLoad;
    /**
     * When a read with a loader should reload this entry's value in the background, if the cache refreshes; set
     * before the entry is published.
     */
    long refreshAtNanos;
    /** Set once by the read that starts this entry's refresh, so that an entry is refreshed at most once. */
    private volatile boolean refreshClaimed;

    CacheEntry(K key, V value, long expiresAtNanos) {
        this.key = key;
        this.value = value;
        this.expiresAtNanos = expiresAtNanos;
    }

    /**
     * Returns the load of this entry's key that a value replacing this entry must keep in {@link #displacedLoad}.
     *
     * @return the load this entry displaced if it is still in flight (for a {@link LoadingEntry}, itself while in
     *         flight), else {@code null}
     */
    @Nullable LoadingEntry<K, V> loadInFlight() {
        LoadingEntry<K, V> load = displacedLoad;
        return (load != null) ? load.loadInFlight() : null;
    }

    /**
     * Takes this entry out of {@code map}; if it displaced a load that is still in flight, that load takes its place
     * again, so that a key is never loaded twice at once. The caller marks the entry retired and records it.
     *
     * @param map the cache's map
     * @return {@code true} if this entry was in the map and now is not; {@code false} if another writer took it out
     *         or replaced it first
     */
    boolean leave(ConcurrentHashMap<K, CacheEntry<K, V>> map) {
        LoadingEntry<K, V> load = loadInFlight();
        if (load == null) {
            return map.remove(key, this);
        }
        if (!map.replace(key, this, load)) {
            return false;
        }
        if (!load.isInFlight()) {
            // it finished while this entry held its place, so its value gave way to this entry's: it must not stay
            map.remove(key, load);
        }
        return true;
    }

    /**
     * Claims this entry's refresh for the calling read.
     *
     * @return {@code true} for the first caller only
     */
    boolean claimRefresh() {
        return !refreshClaimed && REFRESH_CLAIMED.compareAndSet(this, false, true);
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
}
