package dev.quiver.autoconfigure;

import dev.quiver.locks.RedisLock;

/**
 * Adjusts the builder of every {@link RedisLock} Quiver builds: the locks named under {@code quiver.redis-locks} and
 * those the {@code redisLocks} factory hands out. Quiver gives the builder the configured settings and the
 * application's task executor as its defaults, so a customizer may set any setting once more, e.g. another
 * {@link RedisLock.Builder#executor executor}; it may not set the observer, which Quiver's metrics give. Customizer
 * beans run in their {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface RedisLockBuilderCustomizer {

    /**
     * Customizes the builder of one lock.
     *
     * @param name the lock's name (for a named lock, its bean name)
     * @param builder the builder, with Quiver's defaults in place
     */
    void customize(String name, RedisLock.Builder builder);
}
