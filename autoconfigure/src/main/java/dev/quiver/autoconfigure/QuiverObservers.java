package dev.quiver.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import dev.quiver.dicts.DictObserver;
import dev.quiver.dicts.MultiDefaultDict;
import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.LockObserver;
import dev.quiver.locks.RedisLock;
import dev.quiver.locks.RedisLocks;
import dev.quiver.locks.SealLock;
import dev.quiver.locks.SealLocks;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Gives every Quiver lock and dict in the context its observer, tagged with its bean name, once all singletons
 * exist. With an {@link ObservationRegistry} that has handlers, locks report observations ({@link LockObservations};
 * Spring Boot's meter handler makes the lock timers of them) and dicts observe their batches
 * ({@link DictObservations}); otherwise, with a {@link MeterRegistry}, locks are timed directly ({@link LockMetrics}).
 * Dict reads and writes are counted ({@link DictMetrics}) whenever there is a meter registry.
 */
final class QuiverObservers implements SmartInitializingSingleton {

    private final ListableBeanFactory beanFactory;

    private final ObjectProvider<MeterRegistry> meterRegistry;

    private final ObjectProvider<ObservationRegistry> observationRegistry;

    QuiverObservers(ListableBeanFactory beanFactory, ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<ObservationRegistry> observationRegistry) {
        this.beanFactory = beanFactory;
        this.meterRegistry = meterRegistry;
        this.observationRegistry = observationRegistry;
    }

    @Override
    public void afterSingletonsInstantiated() {
        MeterRegistry meters = this.meterRegistry.getIfUnique();
        ObservationRegistry observations = observing(this.observationRegistry.getIfUnique());
        this.beanFactory.getBeansOfType(SealLock.class, false, false)
            .forEach((name, lock) -> lock.setObserver(lockObserver(meters, observations, name, "seal")));
        this.beanFactory.getBeansOfType(RedisLock.class, false, false)
            .forEach((name, lock) -> lock.setObserver(lockObserver(meters, observations, name, "redis")));
        this.beanFactory.getBeansOfType(SealLocks.class, false, false)
            .forEach((name, locks) -> locks.setObserver(lockObserver(meters, observations, name, "seal")));
        this.beanFactory.getBeansOfType(RedisLocks.class, false, false)
            .forEach((name, locks) -> locks.setObserver(lockObserver(meters, observations, name, "redis")));
        this.beanFactory.getBeansOfType(MultiDefaultDict.class, false, false)
            .forEach((name, dict) -> dict.setObserver(dictObserver(meters, observations, name)));
        this.beanFactory.getBeansOfType(RedisDefaultDict.class, false, false)
            .forEach((name, dict) -> dict.setObserver(dictObserver(meters, observations, name)));
    }

    /** A registry without handlers observes nothing: the locks then keep their allocation-free paths. */
    private static @Nullable ObservationRegistry observing(@Nullable ObservationRegistry registry) {
        return (registry != null && !registry.isNoop()) ? registry : null;
    }

    private static LockObserver lockObserver(@Nullable MeterRegistry meters,
            @Nullable ObservationRegistry observations, String name, String kind) {
        if (observations != null) {
            return new LockObservations(observations, name, kind);
        }
        return (meters != null) ? new LockMetrics(meters, name, kind) : LockObserver.none();
    }

    private static DictObserver dictObserver(@Nullable MeterRegistry meters,
            @Nullable ObservationRegistry observations, String name) {
        DictObserver counts = (meters != null) ? new DictMetrics(meters, name) : DictObserver.none();
        return (observations != null) ? new DictObservations(observations, name, counts) : counts;
    }
}
