package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import dev.quiver.dicts.MultiDefaultDict;
import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.AsyncLock;
import dev.quiver.locks.LockCounts;
import dev.quiver.locks.RedisLock;
import dev.quiver.locks.RedisLocks;
import dev.quiver.locks.SealLock;
import dev.quiver.locks.SealLocks;
import dev.quiver.objects.ArrowCache;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code quiver} actuator endpoint: every Quiver bean of the application with its state now — caches (size and
 * hit ratio, including those an {@link ArrowCacheManager} made on first use), locks (held or not, and waiters where
 * the lock knows them), lock factories (how many of their locks are held and waited for, not each name) and dicts
 * (store and settings).
 */
@Endpoint(id = "quiver")
public class QuiverEndpoint {

    private final ListableBeanFactory beanFactory;

    /**
     * Creates the endpoint over the beans of a context.
     *
     * @param beanFactory where the Quiver beans are found
     */
    public QuiverEndpoint(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /**
     * Describes every Quiver bean.
     *
     * @return the caches, locks and dicts by bean name
     */
    @ReadOperation
    public QuiverDescriptor quiver() {
        Map<String, CacheDescriptor> caches = new TreeMap<>();
        beans(ArrowCacheManager.class).values()
            .forEach((manager) -> manager.getArrowCaches().forEach((name, cache) -> caches.put(name, describe(cache))));
        beans(ArrowCache.class).forEach((name, cache) -> caches.put(name, describe(cache)));
        Map<String, LockDescriptor> locks = new TreeMap<>();
        beans(SealLock.class).forEach((name, lock) -> locks.put(name,
                new LockDescriptor("seal", isLocked(lock), lock.queueLength())));
        beans(RedisLock.class).forEach((name, lock) -> locks.put(name,
                new LockDescriptor("redis", isLocked(lock), null)));
        Map<String, LockFactoryDescriptor> lockFactories = new TreeMap<>();
        beans(SealLocks.class).forEach((name, factory) -> lockFactories.put(name, describe("seal", factory.counts())));
        beans(RedisLocks.class)
            .forEach((name, factory) -> lockFactories.put(name, describe("redis", factory.counts())));
        Map<String, DictDescriptor> dicts = new TreeMap<>();
        beans(MultiDefaultDict.class).forEach((name, dict) -> dicts.put(name,
                new DictDescriptor("local", dict.size(), null, null)));
        beans(RedisDefaultDict.class).forEach((name, dict) -> dicts.put(name,
                new DictDescriptor("redis", null, dict.prefix(), dict.ttl())));
        return new QuiverDescriptor(caches, locks, lockFactories, dicts);
    }

    private static LockFactoryDescriptor describe(String kind, LockCounts counts) {
        return new LockFactoryDescriptor(kind, counts.held(), counts.waiting());
    }

    private static CacheDescriptor describe(ArrowCache<?, ?> cache) {
        ArrowCache.Stats stats = cache.stats();
        return new CacheDescriptor(cache.size(), cache.maxEntries(), cache.expiration(), stats.hits(), stats.misses(),
                stats.evictions(), stats.hitRate());
    }

    /** Whether the lock is held, or {@code null} when that cannot be told now (Redis unreachable). */
    private static @Nullable Boolean isLocked(AsyncLock lock) {
        try {
            return lock.isLocked();
        }
        catch (RuntimeException ex) {
            return null;
        }
    }

    private <T> Map<String, T> beans(Class<T> type) {
        return this.beanFactory.getBeansOfType(type, false, false);
    }

    /**
     * Every Quiver bean of the application.
     *
     * @param caches the ArrowCaches by bean name
     * @param locks the SealLocks and RedisLocks by bean name
     * @param lockFactories the SealLocks and RedisLocks factories by bean name
     * @param dicts the dicts by bean name
     */
    public record QuiverDescriptor(Map<String, CacheDescriptor> caches, Map<String, LockDescriptor> locks,
            Map<String, LockFactoryDescriptor> lockFactories, Map<String, DictDescriptor> dicts) {
    }

    /**
     * One ArrowCache.
     *
     * @param size entries held now
     * @param maxEntries the size bound
     * @param expiration how long an entry lives
     * @param hits reads that found a value
     * @param misses reads that found none
     * @param evictions entries the cache removed itself
     * @param hitRatio hits per read
     */
    public record CacheDescriptor(int size, int maxEntries, Duration expiration, long hits, long misses,
            long evictions, double hitRatio) {
    }

    /**
     * One lock.
     *
     * @param kind {@code seal} or {@code redis}
     * @param locked whether anyone holds it now; {@code null} when Redis cannot be reached
     * @param waiters acquisitions queued in this application, where the lock counts them
     */
    public record LockDescriptor(String kind, @Nullable Boolean locked, @Nullable Integer waiters) {
    }

    /**
     * One lock factory, with counts over all the locks it handed out rather than one entry per name.
     *
     * @param kind {@code seal} or {@code redis}
     * @param held acquisitions that hold their lock now (for Redis, those of this application)
     * @param waiting acquisitions that wait for their lock now, in this application
     */
    public record LockFactoryDescriptor(String kind, long held, long waiting) {
    }

    /**
     * One dict.
     *
     * @param store {@code local} or {@code redis}
     * @param size entries held, for a local dict (counting a Redis dict's keys would scan the keyspace)
     * @param prefix the key prefix of a Redis dict
     * @param ttl the entry lifetime of a Redis dict ({@code PT0S}: no expiry)
     */
    public record DictDescriptor(String store, @Nullable Integer size, @Nullable String prefix,
            @Nullable Duration ttl) {
    }
}
