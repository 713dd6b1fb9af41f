package dev.quiver.dicts;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A default dict: reading a missing key computes its value with the dict's default, stores it and returns it, like
 * Python's {@code defaultdict}, with batched reads and writes. {@link MultiDefaultDict} keeps its entries in memory;
 * {@link RedisDefaultDict} keeps them on Redis, as a {@code DefaultDict<String, V>}. Code written against this
 * interface keeps working when a configured dict moves from one store to the other.
 * <p>
 * A missing key's default is computed once however many callers read it at once. A dict without a default fails the
 * read of a missing key with {@link java.util.NoSuchElementException}. Keys and values are never {@code null}.
 * Implementations are safe for concurrent use by any number of threads.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public interface DefaultDict<K, V> {

    /**
     * Returns the value at {@code key}; when the key is missing, computes it with the default, stores it and returns
     * it. Blocks until the value is known; {@link #aget} reads without blocking.
     *
     * @param key the key
     * @return the value, never {@code null}
     * @throws NullPointerException if {@code key} is null
     * @throws java.util.NoSuchElementException if the key is missing and the dict has no default
     */
    V get(K key);

    /**
     * Reads the value at {@code key} without blocking the calling thread.
     *
     * @param key the key
     * @return a future that completes with the value (the default's, stored, when the key was missing), or
     *         exceptionally with what the read or the default failed with
     * @throws NullPointerException if {@code key} is null
     */
    CompletableFuture<V> aget(K key);

    /**
     * Stores {@code value} at {@code key}, replacing any value there.
     *
     * @param key the key
     * @param value the value
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    void set(K key, V value);

    /**
     * Stores {@code value} at {@code key} without blocking the calling thread.
     *
     * @param key the key
     * @param value the value
     * @return a future that completes when the value is stored, or exceptionally with what the write failed with
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    CompletableFuture<@Nullable Void> aset(K key, V value);

    /**
     * Returns the values at {@code keys}, in the order of the keys, computing and storing the defaults of missing
     * ones, in one batch.
     *
     * @param keys the keys to read
     * @return the values, one per key
     * @throws NullPointerException if {@code keys} or one of them is null
     */
    List<V> mget(List<K> keys);

    /**
     * Stores every entry of {@code entries} in one batch; a bad entry writes nothing.
     *
     * @param entries the keys and values to store
     * @throws NullPointerException if {@code entries}, or one of its keys or values, is null
     */
    void mset(Map<K, V> entries);

    /**
     * Removes the value at {@code key}.
     *
     * @param key the key
     * @return {@code true} if a value was stored at {@code key}
     * @throws NullPointerException if {@code key} is null
     */
    boolean remove(K key);

    /**
     * Returns the number of stored values.
     *
     * @return the number of keys with a value
     */
    long size();

    /**
     * Describes a read of {@code key}, to run later in a batch with {@link #execute}.
     *
     * @param key the key
     * @return the op
     * @throws NullPointerException if {@code key} is null
     */
    DictOp fget(K key);

    /**
     * Describes a write of {@code value} at {@code key}, to run later in a batch with {@link #execute}.
     *
     * @param key the key
     * @param value the value
     * @return the op
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    DictOp fset(K key, V value);

    /**
     * Runs {@code ops} in order as one batch.
     *
     * @param ops reads and writes made by {@link #fget} and {@link #fset}
     * @return one result per op: the value for a read (the default applied) and {@link Boolean#TRUE} for a write
     * @throws NullPointerException if {@code ops} or one of them is null
     */
    List<Object> execute(List<DictOp> ops);

}
