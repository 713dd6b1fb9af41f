package dev.quiver.objects;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jspecify.annotations.Nullable;

/**
 * A load in flight, held in an {@link ArrowCache}'s map in place of its key's entry until the loaded entry replaces
 * it: callers that miss the same key meanwhile find it there and wait for its result instead of loading again.
 * <p>
 * It holds no value and is never live (its expiry lies far in the past), so a read that finds it is a miss without
 * asking what it is; the cull policy never tracks it. A value set while it is in flight replaces it in the map but
 * hands it back its place if that value leaves the map first ({@link CacheEntry#leave}).
 */
final class LoadingEntry<K, V> extends CacheEntry<K, V> {

    /**
     * How long a caller polls a load another thread runs before it parks: most loaders of a local cache finish in
     * well under the microseconds a park and its wake-up cost, and two threads missing the same keys together would
     * otherwise park on nearly every shared miss.
     */
    private static final int SPINS = (Runtime.getRuntime().availableProcessors() > 1) ? 1 << 12 : 0;

    /** How far in the past of its creation a load's expiry lies: half the span that time arithmetic can compare. */
    private static final long NEVER_LIVE_NANOS = Long.MAX_VALUE >> 1;

    final CompletableFuture<@Nullable V> result = new CompletableFuture<>();
    /** The thread running a synchronous loader, to catch a loader that loads its own key; null for async loads. */
    final @Nullable Thread loaderThread;

    /**
     * Creates the load of one key.
     *
     * @param key the key being loaded
     * @param nowNanos the cache's clock now
     * @param loaderThread the thread that runs a synchronous loader, or {@code null} for an asynchronous one
     */
    LoadingEntry(K key, long nowNanos, @Nullable Thread loaderThread) {
        super(key, null, nowNanos - NEVER_LIVE_NANOS);
        this.loaderThread = loaderThread;
    }

    @Override
    @Nullable LoadingEntry<K, V> loadInFlight() {
        return isInFlight() ? this : null;
    }

    /**
     * Tells whether the load has yet to finish.
     *
     * @return {@code true} until its result is complete
     */
    boolean isInFlight() {
        return !result.isDone();
    }

    /**
     * Waits for the load's result on behalf of another caller that missed the same key.
     *
     * @return the loaded value, or {@code null} if the loader produced none
     * @throws IllegalStateException if the caller is the thread running this very load (a loader loading its key)
     * @throws RuntimeException or {@link Error} the loader threw
     */
    @Nullable V await() {
        if (loaderThread == Thread.currentThread()) {
            throw new IllegalStateException("the loader of a key loaded that same key from the cache");
        }
        for (int spin = 0; spin < SPINS && !result.isDone(); spin++) {
            Thread.onSpinWait();
        }
        try {
            return result.join();
        } catch (CompletionException wrapped) {
            Throwable cause = wrapped.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw wrapped;
        }
    }
}
