package dev.quiver.dicts;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jspecify.annotations.Nullable;

/**
 * The default loads under way in one dict instance, by key, so that concurrent misses of one key share one call of
 * the default.
 *
 * @param <V> the value type
 */
final class InFlightDefaults<V> {

    private final ConcurrentMap<String, CompletableFuture<V>> loads = new ConcurrentHashMap<>();

    /**
     * Registers {@code load} as the load of {@code key} unless one is under way.
     *
     * @return {@code null} if the caller now owns {@code load} and must {@link #finish} it, else the load under way
     */
    @Nullable CompletableFuture<V> claim(String key, CompletableFuture<V> load) {
        return this.loads.putIfAbsent(key, load);
    }

    /** Completes a claimed load and forgets it, so that a later miss loads again. */
    void finish(String key, CompletableFuture<V> load, @Nullable V value, @Nullable Throwable failure) {
        // complete before removing: a miss arriving in between then shares the outcome instead of loading again
        if (failure != null) {
            load.completeExceptionally(failure);
        }
        else {
            load.complete(value);
        }
        this.loads.remove(key, load);
    }

}
