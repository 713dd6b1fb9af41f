package dev.quiver.autoconfigure;

import dev.quiver.dicts.RedisDefaultDict;

/**
 * Adjusts the builder of every {@link RedisDefaultDict} Quiver builds (the dicts with {@code store: redis}). Quiver
 * has set the configured settings, the dict's default and the application's JSON mapper already (each may be set
 * only once), and gives the application's task executor as the
 * {@link RedisDefaultDict.Builder#defaultExecutor default executor}, so a customizer sets what the properties do
 * not: an {@link RedisDefaultDict.Builder#executor executor}, a serializer where no JSON mapper was set. Customizer
 * beans run in their {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface RedisDefaultDictBuilderCustomizer {

    /**
     * Customizes the builder of one dict.
     *
     * @param name the dict's bean name
     * @param builder the builder, with the configured settings set
     */
    void customize(String name, RedisDefaultDict.Builder<?> builder);
}
