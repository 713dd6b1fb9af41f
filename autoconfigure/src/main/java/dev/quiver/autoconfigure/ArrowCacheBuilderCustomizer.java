package dev.quiver.autoconfigure;

import dev.quiver.objects.ArrowCache;

/**
 * Adjusts the builder of every {@link ArrowCache} Quiver builds: the caches named under {@code quiver.caches} and
 * those the cache manager makes on first use. Quiver has set the name and the configured settings already (each may
 * be set only once), and gives the application's task executor as the
 * {@link ArrowCache.Builder#defaultExecutor default executor}, so a customizer sets what the properties do not: an
 * {@link ArrowCache.Builder#executor executor}, a ticker, statistics. Customizer beans run in their
 * {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface ArrowCacheBuilderCustomizer {

    /**
     * Customizes the builder of one cache.
     *
     * @param name the cache's name (for a named cache, its bean name)
     * @param builder the builder, with the configured settings set
     */
    void customize(String name, ArrowCache.Builder builder);
}
