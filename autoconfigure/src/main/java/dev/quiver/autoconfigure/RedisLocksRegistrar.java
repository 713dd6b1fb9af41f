package dev.quiver.autoconfigure;

import dev.quiver.locks.RedisLock;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Registers the RedisLocks named under {@code quiver.redis-locks}, on the application's
 * {@link RedisConnectionFactory}, which is Lettuce's: a RedisLock needs Lettuce.
 */
final class RedisLocksRegistrar extends NamedBeansRegistrar {

    @Override
    void registerBeans(QuiverInstances instances, QuiverProperties properties, BeanDefinitionRegistry registry) {
        for (QuiverInstances.RedisLockSpec lock : instances.redisLocks()) {
            register(registry, lock.name(), RedisLock.class, "redisLock");
        }
    }
}
