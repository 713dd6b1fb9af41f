package dev.quiver.autoconfigure;

import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.RedisLock;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Registers the beans that live on Redis: the RedisLocks named under {@code quiver.redis-locks} and the dicts with
 * {@code store: redis}, all on the application's {@link RedisConnectionFactory}.
 */
final class RedisBeansRegistrar extends NamedBeansRegistrar {

    @Override
    void registerBeans(QuiverInstances instances, QuiverProperties properties, BeanDefinitionRegistry registry) {
        for (QuiverInstances.RedisLockSpec lock : instances.redisLocks()) {
            register(registry, lock.name(), RedisLock.class, () -> RedisLock.builder(connectionFactory(), lock.name())
                .keyPrefix(lock.keyPrefix())
                .sleep(lock.sleep())
                .timeout(lock.timeout())
                .blockingTimeout(lock.blockingTimeout())
                .threadLocal(lock.threadLocal())
                .leaseRenewal(lock.leaseRenewal())
                .build());
        }
        for (QuiverInstances.DictSpec dict : instances.dicts()) {
            if (dict.store() == QuiverInstances.Store.REDIS) {
                register(registry, dict.name(), RedisDefaultDict.class,
                        () -> DictDefaults.from(beanFactory()).redisDict(dict, connectionFactory()));
            }
        }
    }

    private RedisConnectionFactory connectionFactory() {
        return beanFactory().getBean(RedisConnectionFactory.class);
    }
}
