package dev.quiver.autoconfigure;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.quiver.dicts.MultiDefaultDict;
import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.RedisLock;
import dev.quiver.locks.RedisLocks;
import dev.quiver.locks.SealLock;
import dev.quiver.locks.SealLocks;
import dev.quiver.objects.ArrowCache;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Binds the meters of every Quiver bean in the context, each tagged with its bean name: {@link ArrowCacheMetrics}
 * for caches, {@link LockMetrics} for SealLocks and RedisLocks, one set for all the locks a {@link SealLocks} or
 * {@link RedisLocks} factory hands out (tagged with the factory's bean name), and {@link DictMetrics} for dicts. The caches an {@link ArrowCacheManager} makes on first use are bound as it makes
 * them.
 */
final class QuiverMeterBinder implements MeterBinder {

    private final ListableBeanFactory beanFactory;

    QuiverMeterBinder(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Map<String, ArrowCache> caches = beans(ArrowCache.class);
        caches.forEach((name, cache) -> new ArrowCacheMetrics(cache, name, Collections.emptyList()).bindTo(registry));
        Set<Object> bound = Collections.newSetFromMap(new IdentityHashMap<>());
        bound.addAll(caches.values());
        beans(ArrowCacheManager.class).values().forEach((manager) -> manager.observeCaches((name, cache) -> {
            if (!bound.contains(cache)) {
                new ArrowCacheMetrics(cache, name, Collections.emptyList()).bindTo(registry);
            }
        }));
        beans(SealLock.class).forEach((name, lock) -> lock.setObserver(new LockMetrics(registry, name, "seal")));
        beans(RedisLock.class).forEach((name, lock) -> lock.setObserver(new LockMetrics(registry, name, "redis")));
        beans(SealLocks.class).forEach((name, locks) -> locks.setObserver(new LockMetrics(registry, name, "seal")));
        beans(RedisLocks.class).forEach((name, locks) -> locks.setObserver(new LockMetrics(registry, name, "redis")));
        beans(MultiDefaultDict.class).forEach((name, dict) -> dict.setObserver(new DictMetrics(registry, name)));
        beans(RedisDefaultDict.class).forEach((name, dict) -> dict.setObserver(new DictMetrics(registry, name)));
    }

    private <T> Map<String, T> beans(Class<T> type) {
        return this.beanFactory.getBeansOfType(type, false, false);
    }
}
