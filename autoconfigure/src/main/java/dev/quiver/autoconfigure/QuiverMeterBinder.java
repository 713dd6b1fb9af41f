package dev.quiver.autoconfigure;

import java.util.Collections;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.quiver.dicts.MultiDefaultDict;
import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.RedisLock;
import dev.quiver.locks.RedisLocks;
import dev.quiver.locks.SealLock;
import dev.quiver.objects.ArrowCache;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Binds the meters of every Quiver bean in the context, each tagged with its bean name: {@link ArrowCacheMetrics}
 * for caches, {@link LockMetrics} for SealLocks, RedisLocks and the locks {@link RedisLocks} hands out, and
 * {@link DictMetrics} for dicts.
 */
final class QuiverMeterBinder implements MeterBinder {

    private final ListableBeanFactory beanFactory;

    QuiverMeterBinder(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        beans(ArrowCache.class).forEach((name, cache) ->
                new ArrowCacheMetrics(cache, name, Collections.emptyList()).bindTo(registry));
        beans(SealLock.class).forEach((name, lock) -> lock.setObserver(new LockMetrics(registry, name, "seal")));
        beans(RedisLock.class).forEach((name, lock) -> lock.setObserver(new LockMetrics(registry, name, "redis")));
        beans(RedisLocks.class).values()
            .forEach((locks) -> locks.setObservers((name) -> new LockMetrics(registry, name, "redis")));
        beans(MultiDefaultDict.class).forEach((name, dict) -> dict.setObserver(new DictMetrics(registry, name)));
        beans(RedisDefaultDict.class).forEach((name, dict) -> dict.setObserver(new DictMetrics(registry, name)));
    }

    private <T> Map<String, T> beans(Class<T> type) {
        return this.beanFactory.getBeansOfType(type, false, false);
    }
}
