package dev.quiver.autoconfigure;

import java.time.Duration;

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
            register(registry, cache.name(), ArrowCache.class, () -> {
                ArrowCache.Builder builder = ArrowCache.builder()
                    .name(cache.name())
                    .expiration(cache.expiration())
                    .maxEntries(cache.maxEntries());
                Duration refreshAfter = cache.refreshAfter();
                if (refreshAfter != null) {
                    builder.refreshAfter(refreshAfter);
                }
                return builder.build();
            });
        }
        for (QuiverInstances.SealLockSpec lock : instances.sealLocks()) {
            register(registry, lock.name(), SealLock.class, () -> (lock.blockingTimeout() != null)
                    ? new SealLock(lock.name(), lock.blockingTimeout()) : new SealLock(lock.name()));
        }
        for (QuiverInstances.DictSpec dict : instances.dicts()) {
            if (dict.store() == QuiverInstances.Store.LOCAL) {
                register(registry, dict.name(), MultiDefaultDict.class,
                        () -> DictDefaults.from(beanFactory()).localDict(dict));
            }
        }
    }
}
