package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import dev.quiver.objects.ArrowCache;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Spring's {@link CacheManager} over Quiver's ArrowCaches: {@code @Cacheable("quotes")} uses the ArrowCache bean
 * named {@code quotes}. A cache name with no bean gets an ArrowCache of its own with the {@code quiver.caches}
 * defaults, made on first use; {@link #observeCaches(BiConsumer)} hears of every cache, so that caches made on first
 * use are metered and listed like the configured ones.
 */
public final class ArrowCacheManager implements CacheManager {

    private final Map<String, ArrowSpringCache> caches = new ConcurrentHashMap<>();

    private final Duration defaultExpiration;

    private final int defaultMaxEntries;

    private final @Nullable Duration defaultRefreshAfter;

    private final BiConsumer<String, ArrowCache.Builder> customizer;

    private final List<BiConsumer<String, ArrowCache<?, ?>>> observers = new CopyOnWriteArrayList<>();

    /**
     * Creates a manager over the given caches.
     *
     * @param configured the ArrowCaches by cache name
     * @param defaultExpiration the expiration of caches made on first use
     * @param defaultMaxEntries the bound of caches made on first use
     */
    public ArrowCacheManager(Map<String, ? extends ArrowCache<?, ?>> configured, Duration defaultExpiration,
            int defaultMaxEntries) {
        this(configured, defaultExpiration, defaultMaxEntries, null);
    }

    /**
     * Creates a manager over the given caches whose caches made on first use refresh old entries.
     *
     * @param configured the ArrowCaches by cache name
     * @param defaultExpiration the expiration of caches made on first use
     * @param defaultMaxEntries the bound of caches made on first use
     * @param defaultRefreshAfter the refresh age of caches made on first use, or {@code null} for none
     */
    public ArrowCacheManager(Map<String, ? extends ArrowCache<?, ?>> configured, Duration defaultExpiration,
            int defaultMaxEntries, @Nullable Duration defaultRefreshAfter) {
        this(configured, defaultExpiration, defaultMaxEntries, defaultRefreshAfter, (name, builder) -> {
        });
    }

    /**
     * Creates a manager over the given caches whose caches made on first use pass through {@code customizer} before
     * they are built, e.g. to run their reloads on the application's executor.
     *
     * @param configured the ArrowCaches by cache name
     * @param defaultExpiration the expiration of caches made on first use
     * @param defaultMaxEntries the bound of caches made on first use
     * @param defaultRefreshAfter the refresh age of caches made on first use, or {@code null} for none
     * @param customizer adjusts the builder of each cache made on first use, given its name; the name, expiration,
     *        bound and refresh age are set already
     */
    @SuppressWarnings("unchecked")
    public ArrowCacheManager(Map<String, ? extends ArrowCache<?, ?>> configured, Duration defaultExpiration,
            int defaultMaxEntries, @Nullable Duration defaultRefreshAfter,
            BiConsumer<String, ArrowCache.Builder> customizer) {
        this.customizer = Objects.requireNonNull(customizer, "customizer must not be null");
        configured.forEach((name, cache) -> this.caches.put(name,
                new ArrowSpringCache(name, (ArrowCache<Object, Object>) cache)));
        this.defaultExpiration = Objects.requireNonNull(defaultExpiration, "defaultExpiration must not be null");
        this.defaultMaxEntries = defaultMaxEntries;
        this.defaultRefreshAfter = defaultRefreshAfter;
    }

    /**
     * Returns the cache of that name, making it with the defaults if no ArrowCache bean has the name.
     *
     * @param name the cache name
     * @return the cache
     */
    @Override
    public @Nullable Cache getCache(String name) {
        ArrowSpringCache cache = this.caches.get(name);
        return (cache != null) ? cache : makeCache(name);
    }

    private synchronized ArrowSpringCache makeCache(String name) {
        ArrowSpringCache cache = this.caches.get(name);
        if (cache == null) {
            ArrowCache.Builder builder = new QuiverInstances.CacheSpec(name, this.defaultExpiration,
                    this.defaultMaxEntries, this.defaultRefreshAfter).builder();
            this.customizer.accept(name, builder);
            cache = new ArrowSpringCache(name, builder.build());
            this.caches.put(name, cache);
            for (BiConsumer<String, ArrowCache<?, ?>> observer : this.observers) {
                observer.accept(name, cache.getNativeCache());
            }
        }
        return cache;
    }

    /**
     * Calls {@code observer} with every cache this manager serves: now for those it has, and later for each cache it
     * makes on first use, on the thread that first asked for it. Each cache is told to each observer exactly once.
     *
     * @param observer receives the cache name and the ArrowCache behind it
     */
    public synchronized void observeCaches(BiConsumer<String, ArrowCache<?, ?>> observer) {
        Objects.requireNonNull(observer, "observer must not be null");
        this.caches.forEach((name, cache) -> observer.accept(name, cache.getNativeCache()));
        this.observers.add(observer);
    }

    /**
     * Returns the ArrowCaches this manager serves so far, by cache name.
     *
     * @return a snapshot of the caches
     */
    public Map<String, ArrowCache<?, ?>> getArrowCaches() {
        Map<String, ArrowCache<?, ?>> snapshot = new TreeMap<>();
        this.caches.forEach((name, cache) -> snapshot.put(name, cache.getNativeCache()));
        return Collections.unmodifiableMap(snapshot);
    }

    /**
     * Returns the names of the caches known so far.
     *
     * @return the names, unmodifiable
     */
    @Override
    public Collection<String> getCacheNames() {
        return Collections.unmodifiableSet(this.caches.keySet());
    }
}
