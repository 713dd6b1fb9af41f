package dev.quiver.autoconfigure;

import dev.quiver.dicts.MultiDefaultDict;
import dev.quiver.locks.SealLock;
import dev.quiver.objects.ArrowCache;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;

/**
 * Registers the beans that need no Redis: the ArrowCaches, the SealLocks and the dicts with {@code store: local}.
 */
final class LocalBeansRegistrar extends NamedBeansRegistrar {

    @Override
    void registerBeans(QuiverInstances instances, QuiverProperties properties, BeanDefinitionRegistry registry) {
        for (QuiverInstances.CacheSpec cache : instances.caches()) {
            register(registry, cache.name(), ArrowCache.class, "arrowCache");
        }
        for (QuiverInstances.SealLockSpec lock : instances.sealLocks()) {
            register(registry, lock.name(), SealLock.class, "sealLock");
        }
        for (QuiverInstances.DictSpec dict : instances.dicts()) {
            if (dict.store() == QuiverProperties.Store.LOCAL) {
                register(registry, dict.name(), MultiDefaultDict.class, "localDict");
            }
        }
    }
}
