package dev.quiver.autoconfigure;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.quiver.objects.ArrowCache;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Binds the meters of every ArrowCache in the context ({@link ArrowCacheMetrics}), each tagged with its bean name;
 * the caches an {@link ArrowCacheManager} makes on first use are bound as it makes them. Locks and dicts get their
 * meters from their observers ({@link QuiverObservers}).
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
    }

    private <T> Map<String, T> beans(Class<T> type) {
        return this.beanFactory.getBeansOfType(type, false, false);
    }
}
