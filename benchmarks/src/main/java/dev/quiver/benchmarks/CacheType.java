package dev.quiver.benchmarks;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.quiver.objects.ArrowCache;

/** The caches the benchmarks compare, each configured as an application would (size bound, 3-hour expiry). */
public enum CacheType {

    /** Quiver's {@link ArrowCache}. */
    ARROW {
        @Override
        <K, V> BenchmarkedCache<K, V> create(int maxEntries) {
            return wrap(new ArrowCache<>(EXPIRATION, maxEntries));
        }
    },

    /** {@link ArrowCache} built with {@code recordStats(false)}: what counting hits costs. */
    ARROW_WITHOUT_STATS {
        @Override
        <K, V> BenchmarkedCache<K, V> create(int maxEntries) {
            return wrap(ArrowCache.builder().expiration(EXPIRATION).maxEntries(maxEntries).recordStats(false).build());
        }
    },

    /** Caffeine with {@code maximumSize} and {@code expireAfterWrite}. */
    CAFFEINE {
        @Override
        <K, V> BenchmarkedCache<K, V> create(int maxEntries) {
            Cache<K, V> cache = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(EXPIRATION).build();
            return new BenchmarkedCache<>() {
                @Override
                public V get(K key) {
                    return cache.getIfPresent(key);
                }

                @Override
                public V get(K key, Function<? super K, ? extends V> loader) {
                    return cache.get(key, loader);
                }

                @Override
                public void put(K key, V value) {
                    cache.put(key, value);
                }
            };
        }
    },

    /** An unbounded {@link ConcurrentHashMap}: the ceiling for a hit, with no expiry, bound or statistics. */
    CONCURRENT_HASH_MAP {
        @Override
        <K, V> BenchmarkedCache<K, V> create(int maxEntries) {
            ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>(maxEntries);
            return new BenchmarkedCache<>() {
                @Override
                public V get(K key) {
                    return map.get(key);
                }

                @Override
                public V get(K key, Function<? super K, ? extends V> loader) {
                    return map.computeIfAbsent(key, loader);
                }

                @Override
                public void put(K key, V value) {
                    map.put(key, value);
                }
            };
        }
    },

    /**
     * A {@link ConcurrentHashMap} of values wrapped with their expiry, checked on every read against a clock kept in
     * a volatile field: no bound, statistics or access tracking. The ceiling of a hit for any cache that keeps such
     * entries in a {@code ConcurrentHashMap}, as {@link ArrowCache} does; only the hit benchmark uses it.
     */
    CONCURRENT_HASH_MAP_OF_EXPIRING {
        @Override
        <K, V> BenchmarkedCache<K, V> create(int maxEntries) {
            ConcurrentHashMap<K, Expiring<V>> map = new ConcurrentHashMap<>(maxEntries);
            return new BenchmarkedCache<>() {
                @Override
                public V get(K key) {
                    Expiring<V> entry = map.get(key);
                    return (entry != null && entry.expiresAtNanos() - Expiring.clockNanos > 0) ? entry.value() : null;
                }

                @Override
                public V get(K key, Function<? super K, ? extends V> loader) {
                    throw new UnsupportedOperationException("a ceiling for hits only");
                }

                @Override
                public void put(K key, V value) {
                    map.put(key, new Expiring<>(value, Expiring.clockNanos + EXPIRATION.toNanos()));
                }
            };
        }
    };

    static final Duration EXPIRATION = Duration.ofHours(3);

    /**
     * A value and when it expires.
     *
     * @param value the value
     * @param expiresAtNanos the clock reading at which it expires
     * @param <V> the type of the value
     */
    private record Expiring<V>(V value, long expiresAtNanos) {

        /** The clock: read like ArrowCache's, a volatile load; nothing advances it during a benchmark. */
        static volatile long clockNanos = System.nanoTime();
    }

    private static <K, V> BenchmarkedCache<K, V> wrap(ArrowCache<K, V> cache) {
        return new BenchmarkedCache<>() {
            @Override
            public V get(K key) {
                return cache.get(key);
            }

            @Override
            public V get(K key, Function<? super K, ? extends V> loader) {
                return cache.get(key, loader);
            }

            @Override
            public void put(K key, V value) {
                cache.set(key, value);
            }
        };
    }

    /**
     * Creates an empty cache of this type.
     *
     * @param maxEntries the size bound (ignored by {@link #CONCURRENT_HASH_MAP})
     * @param <K> the type of keys
     * @param <V> the type of values
     * @return the cache behind the benchmark facade
     */
    abstract <K, V> BenchmarkedCache<K, V> create(int maxEntries);
}
