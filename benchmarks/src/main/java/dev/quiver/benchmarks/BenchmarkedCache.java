package dev.quiver.benchmarks;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The calls a benchmark makes of a cache, so that every implementation runs the same code.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
interface BenchmarkedCache<K, V> {

    /**
     * Returns the value of {@code key}, or {@code null} when absent.
     *
     * @param key the key
     * @return the value or {@code null}
     */
    @Nullable V get(K key);

    /**
     * Returns the value of {@code key}, loading and storing it with {@code loader} when absent.
     *
     * @param key the key
     * @param loader computes the value of an absent key
     * @return the value
     */
    V get(K key, Function<? super K, ? extends V> loader);

    /**
     * Stores {@code value} for {@code key}.
     *
     * @param key the key
     * @param value the value
     */
    void put(K key, V value);
}
