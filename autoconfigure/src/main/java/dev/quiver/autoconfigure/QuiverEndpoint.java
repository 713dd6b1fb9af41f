package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
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
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code quiver} actuator endpoint: every Quiver bean of the application with its state now — caches (size and
 * hit ratio, including those an {@link ArrowCacheManager} made on first use), locks (held or not, and waiters where
 * the lock knows them), lock factories (how many of their locks are held and waited for, not each name) and dicts
 * (store and settings) — or one of them by name ({@code /actuator/quiver/{name}}), and a delete of a cache's name
 * that clears the cache.
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
        caches().forEach((name, cache) -> caches.put(name, describe(cache)));
        Map<String, LockDescriptor> locks = new TreeMap<>();
        beans(SealLock.class).forEach((name, lock) -> locks.put(name, describe(lock)));
        beans(RedisLock.class).forEach((name, lock) -> locks.put(name, describe(lock)));
        Map<String, LockFactoryDescriptor> lockFactories = new TreeMap<>();
        beans(SealLocks.class).forEach((name, factory) -> lockFactories.put(name, describe("seal", factory.counts())));
        beans(RedisLocks.class)
            .forEach((name, factory) -> lockFactories.put(name, describe("redis", factory.counts())));
        Map<String, DictDescriptor> dicts = new TreeMap<>();
        beans(MultiDefaultDict.class).forEach((name, dict) -> dicts.put(name, describe(dict)));
        beans(RedisDefaultDict.class).forEach((name, dict) -> dicts.put(name, describe(dict)));
        return new QuiverDescriptor(caches, locks, lockFactories, dicts);
    }

    private static LockFactoryDescriptor describe(String kind, LockCounts counts) {
        return new LockFactoryDescriptor(kind, counts.held(), counts.waiting());
    }

    /**
     * Describes one Quiver bean: a cache, a lock or a dict.
     *
     * @param name the bean's name (or the name of a cache an {@link ArrowCacheManager} made on first use)
     * @return the bean's state now, or {@code null} if no Quiver bean has that name (a 404 over HTTP)
     */
    @ReadOperation
    public @Nullable QuiverBeanDescriptor bean(@Selector String name) {
        ArrowCache<?, ?> cache = caches().get(name);
        if (cache != null) {
            return describe(cache);
        }
        SealLock sealLock = beans(SealLock.class).get(name);
        if (sealLock != null) {
            return describe(sealLock);
        }
        RedisLock redisLock = beans(RedisLock.class).get(name);
        if (redisLock != null) {
            return describe(redisLock);
        }
        MultiDefaultDict<?, ?> localDict = beans(MultiDefaultDict.class).get(name);
        if (localDict != null) {
            return describe(localDict);
        }
        RedisDefaultDict<?> redisDict = beans(RedisDefaultDict.class).get(name);
        return (redisDict != null) ? describe(redisDict) : null;
    }

    /**
     * Clears a cache: removes every entry, as {@link ArrowCache#clear()} does. Only caches can be cleared; locks and
     * dicts are left as they are.
     *
     * @param name the cache's name
     * @return what happened: the cache cleared, with its state after, or why nothing was cleared
     */
    @DeleteOperation
    public ClearOutcome clear(@Selector String name) {
        ArrowCache<?, ?> cache = caches().get(name);
        if (cache != null) {
            cache.clear();
            return new ClearOutcome(ClearOutcome.Result.CLEARED, "Cleared cache '" + name + "'", describe(cache));
        }
        String kind = kindOf(name);
        if (kind != null) {
            return new ClearOutcome(ClearOutcome.Result.NOT_A_CACHE,
                    "'" + name + "' is a " + kind + ", not a cache: only a cache can be cleared", null);
        }
        return new ClearOutcome(ClearOutcome.Result.NOT_FOUND, "No Quiver bean is named '" + name + "'", null);
    }

    /** The kind of the Quiver bean of that name other than a cache, without asking Redis for its state. */
    private @Nullable String kindOf(String name) {
        if (beans(SealLock.class).containsKey(name) || beans(RedisLock.class).containsKey(name)) {
            return "lock";
        }
        if (beans(MultiDefaultDict.class).containsKey(name) || beans(RedisDefaultDict.class).containsKey(name)) {
            return "dict";
        }
        return null;
    }

    /** The caches by name: those an ArrowCacheManager made on first use, and the ArrowCache beans. */
    private Map<String, ArrowCache<?, ?>> caches() {
        Map<String, ArrowCache<?, ?>> caches = new LinkedHashMap<>();
        beans(ArrowCacheManager.class).values().forEach((manager) -> caches.putAll(manager.getArrowCaches()));
        beans(ArrowCache.class).forEach(caches::put);
        return caches;
    }

    private static CacheDescriptor describe(ArrowCache<?, ?> cache) {
        ArrowCache.Stats stats = cache.stats();
        return new CacheDescriptor(cache.size(), cache.maxEntries(), cache.expiration(), stats.hits(), stats.misses(),
                stats.evictions(), stats.hitRate());
    }

    private static LockDescriptor describe(SealLock lock) {
        return new LockDescriptor("seal", isLocked(lock), lock.queueLength());
    }

    private static LockDescriptor describe(RedisLock lock) {
        return new LockDescriptor("redis", isLocked(lock), null);
    }

    private static DictDescriptor describe(MultiDefaultDict<?, ?> dict) {
        return new DictDescriptor("local", dict.size(), null, null);
    }

    private static DictDescriptor describe(RedisDefaultDict<?> dict) {
        return new DictDescriptor("redis", null, dict.prefix(), dict.ttl());
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
     * The state of one Quiver bean: a {@link CacheDescriptor}, a {@link LockDescriptor} or a {@link DictDescriptor}.
     */
    public sealed interface QuiverBeanDescriptor permits CacheDescriptor, LockDescriptor, DictDescriptor {
    }

    /**
     * What a delete of a name did.
     *
     * @param result whether the cache was cleared, and if not why
     * @param message the same in words
     * @param cache the cache's state after clearing; {@code null} when nothing was cleared
     */
    public record ClearOutcome(Result result, String message, @Nullable CacheDescriptor cache) {

        /**
         * Whether the cache was cleared, and if not why.
         */
        public enum Result {

            /** The cache was cleared. */
            CLEARED,

            /** The name is a Quiver lock or dict, which cannot be cleared. */
            NOT_A_CACHE,

            /** No Quiver bean has the name. */
            NOT_FOUND

        }
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
            long evictions, double hitRatio) implements QuiverBeanDescriptor {
    }

    /**
     * One lock.
     *
     * @param kind {@code seal} or {@code redis}
     * @param locked whether anyone holds it now; {@code null} when Redis cannot be reached
     * @param waiters acquisitions queued in this application, where the lock counts them
     */
    public record LockDescriptor(String kind, @Nullable Boolean locked, @Nullable Integer waiters)
            implements QuiverBeanDescriptor {
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
    public record DictDescriptor(String store, @Nullable Long size, @Nullable String prefix,
            @Nullable Duration ttl) implements QuiverBeanDescriptor {
    }
}
