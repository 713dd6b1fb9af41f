package dev.quiver.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

import dev.quiver.objects.ArrowCache;

/**
 * Publishes an {@link ArrowCache}'s counters under Micrometer's cache conventions: {@code cache.gets} (tagged
 * {@code result} = {@code hit} | {@code miss}), {@code cache.puts}, {@code cache.evictions} and {@code cache.size},
 * each tagged {@code cache} = the cache's name. The meters read the cache's own counters when scraped, so reads of
 * the cache pay nothing for them.
 */
public final class ArrowCacheMetrics extends CacheMeterBinder<ArrowCache<?, ?>> {

    /**
     * Creates the binder for one cache.
     *
     * @param cache the cache
     * @param cacheName the value of the {@code cache} tag
     * @param tags further tags
     */
    public ArrowCacheMetrics(ArrowCache<?, ?> cache, String cacheName, Iterable<Tag> tags) {
        super(cache, cacheName, tags);
    }

    @Override
    protected Long size() {
        ArrowCache<?, ?> cache = getCache();
        return (cache != null) ? (long) cache.size() : 0L;
    }

    @Override
    protected long hitCount() {
        ArrowCache<?, ?> cache = getCache();
        return (cache != null) ? cache.stats().hits() : 0L;
    }

    @Override
    protected Long missCount() {
        ArrowCache<?, ?> cache = getCache();
        return (cache != null) ? cache.stats().misses() : 0L;
    }

    @Override
    protected Long evictionCount() {
        ArrowCache<?, ?> cache = getCache();
        return (cache != null) ? cache.stats().evictions() : 0L;
    }

    @Override
    protected long putCount() {
        ArrowCache<?, ?> cache = getCache();
        return (cache != null) ? cache.stats().puts() : 0L;
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
        // the conventional meters say all that ArrowCache counts
    }
}
