package dev.quiver.dicts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * An in-memory default dict: reading a missing key computes its value with the dict's default, stores it and
 * returns it, like Python's {@code defaultdict}, with batched reads and writes.
 * <p>
 * The default is either a plain function ({@link #MultiDefaultDict(Function)}) or an asynchronous one
 * ({@link #async(Function)}). A key's default is never called twice at once: every read of a missing key whose
 * default is running shares that call, whatever {@code set} and {@code remove} do meanwhile. A value set during the
 * default wins: the default is stored only if the key is still missing, and every reader gets what the key then
 * holds. A default that fails, or returns {@code null}, fails every read waiting for it and stores nothing, so the
 * next read calls the default again. {@link #get} waits for the default; {@link #aget} is the way to read without blocking.
 * <p>
 * Keys and values are never {@code null}. A dict made with key and value types also refuses keys and values of
 * other types, which matters for {@link #execute}, whose {@link DictOp}s are untyped.
 * <p>
 * Instances are safe for concurrent use by any number of threads.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public final class MultiDefaultDict<K, V> implements DefaultDict<K, V> {

    private final Class<? super K> keyType;

    private final Class<? super V> valueType;

    private final @Nullable Function<? super K, ? extends V> defaults;

    private final @Nullable Function<? super K, ? extends CompletionStage<? extends V>> asyncDefaults;

    private final ConcurrentMap<K, V> stored = new ConcurrentHashMap<>();

    private final ConcurrentMap<K, DefaultCall<V>> runningDefaults = new ConcurrentHashMap<>();

    private volatile DictObserver observer = DictObserver.none();

    /**
     * Creates a dict whose default is a plain function. {@link #get} calls it on the calling thread; {@link #aget}
     * calls it on {@link CompletableFuture}'s default asynchronous executor.
     *
     * @param defaults computes the value of a missing key; must not return {@code null}
     * @throws NullPointerException if {@code defaults} is null
     */
    public MultiDefaultDict(Function<? super K, ? extends V> defaults) {
        this(Object.class, Object.class, defaults);
    }

    /**
     * Creates a dict whose default is a plain function and that refuses keys and values of other types than the
     * ones given. {@link #get} calls the default on the calling thread; {@link #aget} calls it on
     * {@link CompletableFuture}'s default asynchronous executor.
     *
     * @param keyType the class every key must be an instance of
     * @param valueType the class every value must be an instance of
     * @param defaults computes the value of a missing key; must not return {@code null}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a type is primitive
     */
    public MultiDefaultDict(Class<? super K> keyType, Class<? super V> valueType,
            Function<? super K, ? extends V> defaults) {
        this(keyType, valueType, Objects.requireNonNull(defaults, "defaults must not be null"), null);
    }

    private MultiDefaultDict(Class<? super K> keyType, Class<? super V> valueType,
            @Nullable Function<? super K, ? extends V> defaults,
            @Nullable Function<? super K, ? extends CompletionStage<? extends V>> asyncDefaults) {
        this.keyType = requireReferenceType(keyType, "keyType");
        this.valueType = requireReferenceType(valueType, "valueType");
        this.defaults = defaults;
        this.asyncDefaults = asyncDefaults;
    }

    /**
     * Creates a dict whose default is asynchronous. Reads call it on the calling thread and expect it to return
     * quickly, with a stage that completes with the value later.
     *
     * @param <K> the type of keys
     * @param <V> the type of values
     * @param defaults starts computing the value of a missing key; the stage must not complete with {@code null}
     * @return the dict
     * @throws NullPointerException if {@code defaults} is null
     */
    public static <K, V> MultiDefaultDict<K, V> async(
            Function<? super K, ? extends CompletionStage<? extends V>> defaults) {
        return async(Object.class, Object.class, defaults);
    }

    /**
     * Creates a dict whose default is asynchronous and that refuses keys and values of other types than the ones
     * given. Reads call the default on the calling thread and expect it to return quickly, with a stage that
     * completes with the value later.
     *
     * @param <K> the type of keys
     * @param <V> the type of values
     * @param keyType the class every key must be an instance of
     * @param valueType the class every value must be an instance of
     * @param defaults starts computing the value of a missing key; the stage must not complete with {@code null}
     * @return the dict
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a type is primitive
     */
    public static <K, V> MultiDefaultDict<K, V> async(Class<? super K> keyType, Class<? super V> valueType,
            Function<? super K, ? extends CompletionStage<? extends V>> defaults) {
        return new MultiDefaultDict<>(keyType, valueType, null,
                Objects.requireNonNull(defaults, "defaults must not be null"));
    }

    /**
     * Returns the value at {@code key}; when the key is missing, computes it with the default, stores it and returns
     * it. Waits for the default, including one another caller started; use {@link #aget} to read without blocking.
     *
     * @param key the key
     * @return the value, never {@code null}
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code key} is not of the dict's key type
     * @throws IllegalStateException if the default returns {@code null} or reads the same key on the same thread
     * @throws RuntimeException whatever the default failed with
     */
    @Override
    public V get(K key) {
        K checked = checkKey(key, "key");
        V value = this.stored.get(checked);
        if (value != null) {
            this.observer.recordHits(1);
            return value;
        }
        this.observer.recordDefaults(1);
        return FutureJoins.join(callDefault(checked, true));
    }

    /**
     * Reads the value at {@code key} without blocking; when the key is missing, the future completes once the
     * default's value is stored. The calling thread only starts the default: a plain default runs on
     * {@link CompletableFuture}'s default asynchronous executor, an asynchronous one is called and not waited for.
     *
     * @param key the key
     * @return a future that completes with the value, or exceptionally with what the default failed with;
     *         completing or cancelling it does not affect other readers
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code key} is not of the dict's key type
     */
    @Override
    public CompletableFuture<V> aget(K key) {
        K checked = checkKey(key, "key");
        V value = this.stored.get(checked);
        if (value != null) {
            this.observer.recordHits(1);
            return CompletableFuture.completedFuture(value);
        }
        this.observer.recordDefaults(1);
        return callDefault(checked, false).copy();
    }

    /**
     * Stores {@code value} at {@code key}, replacing any value there.
     *
     * @param key the key
     * @param value the value
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IllegalArgumentException if {@code key} or {@code value} is not of the dict's types
     */
    @Override
    public void set(K key, V value) {
        this.stored.put(checkKey(key, "key"), checkValue(value, "value"));
        this.observer.recordSets(1);
    }

    /**
     * Stores {@code value} at {@code key}, replacing any value there. An in-memory write never waits, so the write
     * is done when this method returns; the future is there for symmetry with {@link #aget}.
     *
     * @param key the key
     * @param value the value
     * @return a completed future
     * @throws NullPointerException if {@code key} or {@code value} is null (thrown, not returned in the future)
     * @throws IllegalArgumentException if {@code key} or {@code value} is not of the dict's types
     */
    @Override
    public CompletableFuture<@Nullable Void> aset(K key, V value) {
        set(key, value);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Returns the values at {@code keys}, in the order of the keys, computing and storing the defaults of missing
     * ones. A missing key that appears more than once has its default computed once. Asynchronous defaults of
     * different keys run concurrently; this method waits for all of them.
     *
     * @param keys the keys to read
     * @return the values, unmodifiable, one per key
     * @throws NullPointerException if {@code keys} or one of them is null (nothing is read)
     * @throws IllegalArgumentException if a key is not of the dict's key type (nothing is read)
     * @throws RuntimeException whatever the first failing default failed with; the defaults that succeeded stay
     *         stored
     */
    @Override
    public List<V> mget(List<K> keys) {
        Objects.requireNonNull(keys, "keys must not be null");
        List<K> checkedKeys = new ArrayList<>(keys.size());
        for (K key : keys) {
            checkedKeys.add(checkKey(key, "keys[" + checkedKeys.size() + "]"));
        }
        return this.observer.observeBatch("mget", () -> mgetChecked(checkedKeys));
    }

    private List<V> mgetChecked(List<K> checkedKeys) {
        List<CompletableFuture<V>> reads = new ArrayList<>(checkedKeys.size());
        int hits = 0;
        for (K key : checkedKeys) {
            V value = this.stored.get(key);
            if (value != null) {
                hits++;
                reads.add(CompletableFuture.completedFuture(value));
            }
            else {
                reads.add(callDefault(key, true));
            }
        }
        this.observer.recordHits(hits);
        this.observer.recordDefaults(checkedKeys.size() - hits);
        List<V> values = new ArrayList<>(reads.size());
        for (CompletableFuture<V> read : reads) {
            values.add(FutureJoins.join(read));
        }
        return Collections.unmodifiableList(values);
    }

    /**
     * Stores every entry of {@code entries}. All entries are checked before any is written, so a bad entry writes
     * nothing; concurrent readers may still see some entries written before others.
     *
     * @param entries the keys and values to store
     * @throws NullPointerException if {@code entries}, or one of its keys or values, is null
     * @throws IllegalArgumentException if a key or value is not of the dict's types
     */
    @Override
    public void mset(Map<K, V> entries) {
        Objects.requireNonNull(entries, "entries must not be null");
        Map<K, V> checked = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            K checkedKey = checkKey(key, "entries key");
            checked.put(checkedKey, checkValue(value, "entries value at key " + checkedKey));
        });
        this.observer.observeBatch("mset", () -> {
            this.stored.putAll(checked);
            return null;
        });
        this.observer.recordSets(checked.size());
    }

    /**
     * Removes the value at {@code key}. A default already running for the key still stores its value when done.
     *
     * @param key the key
     * @return {@code true} if a value was stored at {@code key}
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code key} is not of the dict's key type
     */
    @Override
    public boolean remove(K key) {
        return this.stored.remove(checkKey(key, "key")) != null;
    }

    /**
     * Returns the number of stored values, not counting defaults still being computed.
     *
     * @return the number of keys with a value
     */
    @Override
    public long size() {
        return this.stored.size();
    }

    /**
     * Returns a copy of the stored entries. Reading it never calls the default.
     *
     * @return the keys and values stored now, unmodifiable
     */
    public Map<K, V> snapshot() {
        return Map.copyOf(this.stored);
    }

    /**
     * Describes a read of {@code key}, to run later in a batch with {@link #execute}.
     *
     * @param key the key
     * @return the op, whose key is {@code key} itself
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code key} is not of the dict's key type
     */
    @Override
    public DictOp fget(K key) {
        return DictOp.get(checkKey(key, "key"));
    }

    /**
     * Describes a write of {@code value} at {@code key}, to run later in a batch with {@link #execute}.
     *
     * @param key the key
     * @param value the value
     * @return the op, whose key and value are {@code key} and {@code value} themselves
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IllegalArgumentException if {@code key} or {@code value} is not of the dict's types
     */
    @Override
    public DictOp fset(K key, V value) {
        return DictOp.set(checkKey(key, "key"), checkValue(value, "value"));
    }

    /**
     * Runs {@code ops} in order as one batch. Every op is checked before any runs, so a bad op runs nothing. The ops
     * are not isolated from concurrent callers, and a default that fails stops the batch there, leaving the earlier
     * writes in place.
     *
     * @param ops reads and writes made by {@link #fget} and {@link #fset} (or {@link DictOp}'s factories)
     * @return one result per op, unmodifiable: the value for a read (the default applied) and {@link Boolean#TRUE}
     *         for a write
     * @throws NullPointerException if {@code ops} or one of them is null
     * @throws IllegalArgumentException if an op's key or value is not of the dict's types
     * @throws RuntimeException whatever a default failed with
     */
    @Override
    public List<Object> execute(List<DictOp> ops) {
        Objects.requireNonNull(ops, "ops must not be null");
        List<CheckedOp<K, V>> batch = new ArrayList<>(ops.size());
        for (DictOp op : ops) {
            String name = "ops[" + batch.size() + "]";
            Objects.requireNonNull(op, () -> name + " must not be null");
            K key = checkKey(op.key(), name + " key");
            V value = (op.kind() == DictOp.Kind.SET) ? checkValue(op.value(), name + " value") : null;
            batch.add(new CheckedOp<>(key, value));
        }
        return this.observer.observeBatch("execute", () -> executeChecked(batch));
    }

    private List<Object> executeChecked(List<CheckedOp<K, V>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        for (CheckedOp<K, V> op : batch) {
            if (op.value() != null) {
                set(op.key(), op.value());
                results.add(Boolean.TRUE);
            }
            else {
                results.add(get(op.key()));
            }
        }
        return Collections.unmodifiableList(results);
    }

    /**
     * Sets the observer that counts this dict's reads and writes, replacing the previous one.
     *
     * @param observer the observer; {@link DictObserver#none()} to stop observing
     * @throws NullPointerException if {@code observer} is null
     */
    public void setObserver(DictObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer must not be null");
    }

    /**
     * Returns the call of the default for {@code key}: the one already running, or a new one. {@code willWait} says
     * the caller blocks on the result, so a default that reads its own key on its own thread must fail rather than
     * wait for itself.
     */
    private CompletableFuture<V> callDefault(K key, boolean willWait) {
        DefaultCall<V> call = new DefaultCall<>();
        DefaultCall<V> running = this.runningDefaults.putIfAbsent(key, call);
        if (running != null) {
            if (willWait && running.runner == Thread.currentThread()) {
                throw new IllegalStateException("The default for key " + key
                        + " reads that same key, so it would wait for itself forever");
            }
            return running.result;
        }
        // a call that finished after the caller's first look has stored the value by now
        V value = this.stored.get(key);
        if (value != null) {
            finish(key, call, value, null);
            return call.result;
        }
        try {
            startDefault(key, call, willWait).whenComplete((result, failure) -> finish(key, call, result, failure));
        }
        catch (Throwable failure) {
            finish(key, call, null, failure);
        }
        return call.result;
    }

    private CompletionStage<? extends V> startDefault(K key, DefaultCall<V> call, boolean onCaller) {
        Function<? super K, ? extends V> plain = this.defaults;
        if (plain == null) {
            Function<? super K, ? extends CompletionStage<? extends V>> async = Objects.requireNonNull(
                    this.asyncDefaults);
            CompletionStage<? extends V> stage = call.run(() -> async.apply(key));
            if (stage == null) {
                throw new IllegalStateException("The default returned null instead of a CompletionStage for key "
                        + key);
            }
            return stage;
        }
        if (onCaller) {
            return CompletableFuture.completedFuture(call.run(() -> plain.apply(key)));
        }
        return CompletableFuture.supplyAsync(() -> call.run(() -> plain.apply(key)));
    }

    private void finish(K key, DefaultCall<V> call, @Nullable V value, @Nullable Throwable failure) {
        Throwable problem = (failure != null) ? unwrap(failure) : invalidDefault(key, value);
        if (problem != null) {
            // removed before completing, so a reader that sees the failure and retries starts a new call
            this.runningDefaults.remove(key, call);
            call.result.completeExceptionally(problem);
            return;
        }
        // a set() that landed while the default ran wins: the default must never overwrite a written value
        V previous = this.stored.putIfAbsent(key, value);
        this.runningDefaults.remove(key, call);
        call.result.complete((previous != null) ? previous : value);
    }

    private @Nullable IllegalStateException invalidDefault(K key, @Nullable V value) {
        if (value == null) {
            return new IllegalStateException("The default returned null for key " + key
                    + "; a MultiDefaultDict never stores null");
        }
        if (!this.valueType.isInstance(value)) {
            return new IllegalStateException("The default returned a " + value.getClass().getName() + " for key "
                    + key + "; the dict holds " + this.valueType.getName());
        }
        return null;
    }

    @SuppressWarnings("unchecked") // checked against keyType, which is K's class or a supertype of it
    private K checkKey(@Nullable Object key, String name) {
        return (K) check(key, this.keyType, name);
    }

    @SuppressWarnings("unchecked") // checked against valueType, which is V's class or a supertype of it
    private V checkValue(@Nullable Object value, String name) {
        return (V) check(value, this.valueType, name);
    }

    private static Object check(@Nullable Object argument, Class<?> type, String name) {
        if (argument == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (!type.isInstance(argument)) {
            throw new IllegalArgumentException(name + " must be a " + type.getName() + ", but was a "
                    + argument.getClass().getName() + ": " + argument);
        }
        return argument;
    }

    private static <T> Class<T> requireReferenceType(Class<T> type, String name) {
        Objects.requireNonNull(type, () -> name + " must not be null");
        if (type.isPrimitive()) {
            throw new IllegalArgumentException(name + " must be a reference type, but was " + type.getName());
        }
        return type;
    }


    private static Throwable unwrap(Throwable failure) {
        return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
    }

    /** One call of the default for one key, shared by every read that waits for it. */
    private static final class DefaultCall<V> {

        final CompletableFuture<V> result = new CompletableFuture<>();

        /** The thread running the default's code right now, if any. */
        volatile @Nullable Thread runner;

        <T> T run(Supplier<T> defaultCode) {
            this.runner = Thread.currentThread();
            try {
                return defaultCode.get();
            }
            finally {
                this.runner = null;
            }
        }
    }

    /** An op of a batch, checked against the dict's types; a read has no value. */
    private record CheckedOp<K, V>(K key, @Nullable V value) {
    }
}
