package dev.quiver.autoconfigure;

import dev.quiver.dicts.RedisDefaultDict;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Registers the dicts with {@code store: redis}, on the application's {@link RedisConnectionFactory}, whichever
 * client it uses ({@code aget} and {@code aset} need a reactive one, such as Lettuce's).
 */
final class RedisDictsRegistrar extends NamedBeansRegistrar {

    @Override
    void registerBeans(QuiverInstances instances, QuiverProperties properties, BeanDefinitionRegistry registry) {
        for (QuiverInstances.DictSpec dict : instances.dicts()) {
            if (dict.store() == QuiverProperties.Store.REDIS) {
                register(registry, dict.name(), RedisDefaultDict.class, "redisDict");
            }
        }
    }
}
