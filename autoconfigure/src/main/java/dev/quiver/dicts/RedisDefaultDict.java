package dev.quiver.dicts;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A default dict stored in Redis: string keys, values of one type, and a default that fills in missing keys.
 * <p>
 * Each key is stored at {@code prefix + key} as a Redis string, holding the value as JSON (Jackson, for the declared
 * type) unless another {@link RedisSerializer} is configured. Reading a missing key computes the default, stores it
 * only if the key is still missing ({@code SET NX} semantics, in one script) and returns whatever the key then
 * holds, so that instances racing on one key, in one JVM or many, all end with and return the one stored value.
 * Within one instance, a key's default is never called twice at once: every miss of a key whose default is running
 * ({@code get}, {@code aget}, {@code mget}, {@code execute}) shares that call, whatever {@code set}, {@code remove} or
 * expiry do meanwhile. A value set during the default wins: the default is stored only if the key is still missing,
 * and every reader gets what the key then holds. Without a default, reading a missing key throws
 * {@link NoSuchElementException}.
 * <p>
 * Round trips: {@code get} one {@code GET} (plus one script for a default); {@code mget} one {@code MGET} plus at
 * most one script storing every missing default; {@code mset} one {@code MSET} (one script when there is a time to
 * live); {@code execute} one pipeline (plus at most one script for defaults). On a Redis Cluster, keys of different
 * hash slots cannot share a command: {@code MGET} and {@code MSET} are split per slot by the client, and the scripts
 * are sent one per slot in a single pipeline, so atomicity holds per slot only.
 * <p>
 * Bytes that do not decode raise {@link DictValueDecodingException}, naming the key and the type, and are left as
 * they are. Instances are thread-safe. The async calls ({@link #aget}, {@link #aset}) never block the calling thread;
 * they need a factory that is also a {@link ReactiveRedisConnectionFactory}, as Spring's Lettuce factory is. Their
 * futures may complete on a Redis I/O thread, so chain blocking work with the {@code *Async} methods. (Lettuce opens
 * its shared connection on first use, and waits for it; until the factory has handed out a connection, the async
 * calls ask for it on Reactor's scheduler for blocking work.)
 *
 * @param <V> the value type
 */
public final class RedisDefaultDict<V> implements DefaultDict<String, V> {

    private final String prefix;

    private final Duration ttl;

    private final DictValueCodec<V> codec;

    private final @Nullable Function<String, V> defaults;

    private final @Nullable Function<String, ? extends CompletionStage<? extends V>> asyncDefaults;

    private final Executor executor;

    private volatile DictObserver observer;

    private final RedisDictCommands commands;

    private final @Nullable ReactiveRedisDictCommands reactiveCommands;

    private final String factoryName;

    private final InFlightDefaults<V> inFlight = new InFlightDefaults<>();

    private RedisDefaultDict(Builder<V> builder) {
        this.prefix = (builder.prefix != null) ? builder.prefix : "";
        this.ttl = (builder.ttl != null) ? builder.ttl : Duration.ZERO;
        if (builder.serializer != null) {
            this.codec = new DictValueCodec<>(builder.type, builder.serializer);
        }
        else {
            this.codec = (builder.jsonMapper != null) ? DictValueCodec.json(builder.type, builder.jsonMapper)
                    : DictValueCodec.json(builder.type);
        }
        this.defaults = builder.defaults;
        this.asyncDefaults = builder.asyncDefaults;
        Executor fallback = (builder.defaultExecutor != null) ? builder.defaultExecutor : ForkJoinPool.commonPool();
        this.executor = (builder.executor != null) ? builder.executor : fallback;
        this.observer = (builder.observer != null) ? builder.observer : DictObserver.none();
        this.commands = new RedisDictCommands(builder.factory, this.ttl.toMillis(), new PrefixedKeys(this.prefix));
        this.reactiveCommands = (builder.factory instanceof ReactiveRedisConnectionFactory reactive)
                ? new ReactiveRedisDictCommands(reactive, this.ttl.toMillis()) : null;
        this.factoryName = builder.factory.getClass().getName();
    }

    /**
     * Starts building a dict over {@code factory} whose values are of {@code type}.
     *
     * @param factory the connections to Redis (Spring Boot's own, from {@code spring.data.redis.*})
     * @param type the value type; values are JSON for this type unless {@link Builder#serializer} says otherwise
     * @param <V> the value type
     * @return a builder with every setting at its default
     * @throws NullPointerException if {@code factory} or {@code type} is null
     */
    public static <V> Builder<V> builder(RedisConnectionFactory factory, Class<V> type) {
        return new Builder<>(factory, type);
    }

    /**
     * Returns the prefix put before every key.
     *
     * @return the prefix, possibly empty
     */
    public String prefix() {
        return this.prefix;
    }

    /**
     * Returns the value type.
     *
     * @return the type given to {@link #builder}
     */
    public Class<V> valueType() {
        return this.codec.type();
    }

    /**
     * Returns how long each written key lives.
     *
     * @return the time to live; {@link Duration#ZERO} for no expiry
     */
    public Duration ttl() {
        return this.ttl;
    }

    /**
     * Returns the value at {@code key}, computing, storing and returning the default when it is missing.
     *
     * @param key the key, without the prefix
     * @return the stored value, or the default now stored (another writer's value if it stored one first)
     * @throws NullPointerException if {@code key} is null
     * @throws NoSuchElementException if the key is missing and the dict has no default
     * @throws DictValueDecodingException if the stored bytes do not decode
     */
    @Override
    public V get(String key) {
        String redisKey = redisKey(key);
        byte[] bytes = this.commands.get(utf8(redisKey));
        if (bytes != null) {
            V value = this.codec.decode(redisKey, bytes);
            this.observer.recordHits(1);
            return value;
        }
        V value = loadDefaults(List.of(key)).get(key);
        this.observer.recordDefaults(1);
        return value;
    }

    /**
     * Stores {@code value} at {@code key}, with the dict's time to live if it has one.
     *
     * @param key the key, without the prefix
     * @param value the value
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code value} is null (a stored null would re-trigger the default on every
     *         read)
     */
    @Override
    public void set(String key, V value) {
        String redisKey = redisKey(key);
        byte[] bytes = encode(redisKey, value);
        this.commands.set(utf8(redisKey), bytes);
        this.observer.recordSets(1);
    }

    /**
     * Reads {@code key} without blocking the calling thread, computing, storing and returning the default when it is
     * missing. Concurrent misses of one key in this instance share one call of the default; a plain
     * {@link Builder#defaults default} runs on the {@link Builder#executor executor}.
     *
     * @param key the key, without the prefix
     * @return a future that completes with the stored value (or the default now stored), or exceptionally with
     *         {@link NoSuchElementException} when the key is missing and there is no default, or with
     *         {@link DictValueDecodingException} when the stored bytes do not decode
     * @throws NullPointerException if {@code key} is null
     * @throws UnsupportedOperationException if the factory is not a {@link ReactiveRedisConnectionFactory}
     */
    @Override
    public CompletableFuture<V> aget(String key) {
        String redisKey = redisKey(key);
        ReactiveRedisDictCommands reactive = reactiveCommands();
        return reactive.get(utf8(redisKey)).thenCompose((bytes) -> {
            if (bytes != null) {
                V value = this.codec.decode(redisKey, bytes);
                this.observer.recordHits(1);
                return CompletableFuture.completedFuture(value);
            }
            return loadDefaultAsync(reactive, key, redisKey).thenApply((value) -> {
                this.observer.recordDefaults(1);
                return value;
            });
        });
    }

    /**
     * Stores {@code value} at {@code key} without blocking the calling thread.
     *
     * @param key the key, without the prefix
     * @param value the value
     * @return a future that completes (with {@code null}) once Redis has stored the value
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code value} is null
     * @throws UnsupportedOperationException if the factory is not a {@link ReactiveRedisConnectionFactory}
     */
    @Override
    public CompletableFuture<@Nullable Void> aset(String key, V value) {
        String redisKey = redisKey(key);
        byte[] bytes = encode(redisKey, value);
        return reactiveCommands().set(utf8(redisKey), bytes).thenRun(() -> this.observer.recordSets(1));
    }

    /**
     * Returns the values at {@code keys}, in order, with one {@code MGET}; the defaults of missing keys are computed
     * and stored with at most one more write (one script), each only where its key is still missing.
     *
     * @param keys the keys, without the prefix; may repeat
     * @return the values, one per key, unmodifiable
     * @throws NullPointerException if {@code keys} or one of them is null
     * @throws NoSuchElementException if a key is missing and the dict has no default (nothing is written)
     * @throws DictValueDecodingException if stored bytes do not decode (nothing is written)
     */
    @Override
    public List<V> mget(List<String> keys) {
        Objects.requireNonNull(keys, "keys must not be null");
        PrefixedKeys.requireNoNull(keys);
        if (keys.isEmpty()) {
            return List.of();
        }
        return this.observer.observeBatch("mget", () -> withDefaults(keys, prefixed(keys), this.commands.mget(keys)));
    }

    /**
     * Stores every entry of {@code values} in one atomic write: one {@code MSET}, or with a time to live one script
     * ({@code MSET} cannot carry one). On a Redis Cluster the write is atomic per hash slot.
     *
     * @param values the keys (without the prefix) and their values
     * @throws NullPointerException if {@code values} or one of its keys is null
     * @throws IllegalArgumentException if one of its values is null (then nothing is written)
     */
    @Override
    public void mset(Map<String, V> values) {
        Objects.requireNonNull(values, "values must not be null");
        List<byte[]> keys = new ArrayList<>(values.size());
        List<byte[]> encoded = new ArrayList<>(values.size());
        values.forEach((key, value) -> {
            String redisKey = redisKey(key);
            keys.add(utf8(redisKey));
            encoded.add(encode(redisKey, value));
        });
        if (keys.isEmpty()) {
            return;
        }
        this.observer.observeBatch("mset", () -> {
            this.commands.mset(keys, encoded);
            return null;
        });
        this.observer.recordSets(keys.size());
    }

    /**
     * Deletes {@code key}.
     *
     * @param key the key, without the prefix
     * @return {@code true} if the key held a value
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public boolean remove(String key) {
        return this.commands.delete(utf8(redisKey(key)));
    }

    /**
     * Replaces who hears of every read and write, such as the metrics binder.
     *
     * @param observer the observer
     * @throws NullPointerException if {@code observer} is null
     */
    public void setObserver(DictObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer must not be null");
    }

    /**
     * Counts the keys that start with the prefix, by iterating them with {@code SCAN MATCH prefix* COUNT 1000} (on
     * every master of a cluster). This costs O(keys in the database), not O(1): keep it for diagnostics. With an empty
     * prefix it counts every key of the database. Keys written or expiring during the scan may or may not be counted.
     *
     * @return the number of keys with the prefix
     */
    @Override
    public long size() {
        return this.commands.count(escapeGlob(this.prefix) + "*");
    }

    /**
     * Returns a read of {@code key} for {@link #execute} or a user's own pipeline: its {@link DictOp#key() key} is the
     * prefixed key, the exact argument of {@code GET}.
     *
     * @param key the key, without the prefix
     * @return the op
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public DictOp fget(String key) {
        return DictOp.get(redisKey(key));
    }

    /**
     * Returns a write of {@code value} at {@code key} for {@link #execute} or a user's own pipeline: its
     * {@link DictOp#key() key} is the prefixed key and its {@link DictOp#value() value} the serialized bytes, the
     * exact arguments of {@code SET}.
     *
     * @param key the key, without the prefix
     * @param value the value
     * @return the op
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code value} is null
     */
    @Override
    public DictOp fset(String key, V value) {
        String redisKey = redisKey(key);
        return DictOp.set(redisKey, encode(redisKey, value));
    }

    /**
     * Runs {@code ops}, made by {@link #fget} and {@link #fset} of this dict, in one pipelined round trip, in order.
     * The defaults of keys that GET ops found missing are stored with at most one more write (one script). All ops
     * are checked before anything is sent.
     *
     * @param ops the ops
     * @return per op: the value read (or the default now stored) for a GET, {@link Boolean#TRUE} for a SET
     * @throws NullPointerException if {@code ops} or one of them is null
     * @throws IllegalArgumentException if an op's key is not a string with this dict's prefix, or a SET's value is
     *         not a non-empty byte array (then nothing is sent)
     * @throws NoSuchElementException if a GET's key is missing and the dict has no default (the SETs were sent)
     * @throws DictValueDecodingException if bytes read do not decode (the SETs were sent, no default is written)
     */
    @Override
    public List<Object> execute(List<DictOp> ops) {
        Objects.requireNonNull(ops, "ops must not be null");
        for (int i = 0; i < ops.size(); i++) {
            checkOp(ops.get(i), i);
        }
        if (ops.isEmpty()) {
            return List.of();
        }
        return this.observer.observeBatch("execute", () -> executeChecked(ops));
    }

    private List<Object> executeChecked(List<DictOp> ops) {
        List<@Nullable Object> replies = this.commands.pipeline(ops);
        List<Integer> reads = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> redisKeys = new ArrayList<>();
        List<byte @Nullable []> values = new ArrayList<>();
        int writes = 0;
        for (int i = 0; i < ops.size(); i++) {
            DictOp op = ops.get(i);
            if (op.kind() == DictOp.Kind.GET) {
                String redisKey = (String) op.key();
                reads.add(i);
                redisKeys.add(redisKey);
                keys.add(redisKey.substring(this.prefix.length()));
                values.add((byte[]) replies.get(i));
            }
            else {
                writes++;
            }
        }
        if (writes > 0) {
            this.observer.recordSets(writes);
        }
        List<V> read = withDefaults(keys, redisKeys, ValueStream.of(values));
        List<Object> results = new ArrayList<>(Collections.nCopies(replies.size(), Boolean.TRUE));
        for (int i = 0; i < reads.size(); i++) {
            results.set(reads.get(i), read.get(i));
        }
        return Collections.unmodifiableList(results);
    }

    @Override
    public String toString() {
        return "RedisDefaultDict[prefix='" + this.prefix + "', type=" + valueType().getName() + ", ttl=" + this.ttl
                + "]";
    }

    /** Decodes what was read (throwing before any write), then fills the missing keys with their defaults. */
    private List<V> withDefaults(List<String> keys, List<String> redisKeys, ValueStream replies) {
        List<@Nullable V> values = this.codec.decodeAll(redisKeys, replies);
        Set<String> missing = new LinkedHashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            if (values.get(i) == null) {
                missing.add(keys.get(i));
            }
        }
        int defaulted = 0;
        if (!missing.isEmpty()) {
            Map<String, V> defaults = loadDefaults(missing);
            for (int i = 0; i < keys.size(); i++) {
                if (values.get(i) == null) {
                    values.set(i, defaults.get(keys.get(i)));
                    defaulted++;
                }
            }
        }
        if (defaulted < keys.size()) {
            this.observer.recordHits(keys.size() - defaulted);
        }
        if (defaulted > 0) {
            this.observer.recordDefaults(defaulted);
        }
        return Collections.unmodifiableList(values);
    }

    /**
     * Returns the defaults of {@code keys} (all found missing), stored where still missing: this thread computes and
     * stores, in one script, those no other caller of this instance is already loading, and waits for the rest.
     */
    private Map<String, V> loadDefaults(Collection<String> keys) {
        if (this.defaults == null && this.asyncDefaults == null) {
            throw noDefault(keys);
        }
        Map<String, CompletableFuture<V>> loads = new LinkedHashMap<>();
        Map<String, CompletableFuture<V>> owned = new LinkedHashMap<>();
        for (String key : keys) {
            CompletableFuture<V> load = new CompletableFuture<>();
            CompletableFuture<V> running = this.inFlight.claim(key, load);
            loads.put(key, (running != null) ? running : load);
            if (running == null) {
                owned.put(key, load);
            }
        }
        if (!owned.isEmpty()) {
            storeDefaults(owned);
        }
        Map<String, V> values = new LinkedHashMap<>();
        loads.forEach((key, load) -> values.put(key, FutureJoins.join(load)));
        return values;
    }

    private void storeDefaults(Map<String, CompletableFuture<V>> owned) {
        Map<String, V> stored = new LinkedHashMap<>();
        Throwable failure = null;
        try {
            Map<String, V> computed = computeDefaults(owned.keySet());
            List<String> redisKeys = new ArrayList<>(computed.size());
            List<byte[]> encoded = new ArrayList<>(computed.size());
            computed.forEach((key, value) -> {
                String redisKey = this.prefix + key;
                redisKeys.add(redisKey);
                encoded.add(this.codec.encode(redisKey, value));
            });
            List<byte[]> replies = this.commands.storeAllIfAbsent(
                    redisKeys.stream().map(RedisDefaultDict::utf8).toList(), encoded);
            int i = 0;
            for (Map.Entry<String, V> entry : computed.entrySet()) {
                stored.put(entry.getKey(), storedValue(redisKeys.get(i), entry.getValue(), encoded.get(i),
                        replies.get(i)));
                i++;
            }
        }
        catch (RuntimeException | Error ex) {
            failure = ex;
        }
        for (Map.Entry<String, CompletableFuture<V>> entry : owned.entrySet()) {
            this.inFlight.finish(entry.getKey(), entry.getValue(), stored.get(entry.getKey()), failure);
        }
    }

    private Map<String, V> computeDefaults(Collection<String> keys) {
        Map<String, V> computed = new LinkedHashMap<>();
        Function<String, V> defaults = this.defaults;
        if (defaults != null) {
            keys.forEach((key) -> computed.put(key, requireDefault(key, defaults.apply(key))));
            return computed;
        }
        // start every async default before waiting for any, so that they run side by side
        Map<String, CompletableFuture<V>> started = new LinkedHashMap<>();
        keys.forEach((key) -> started.put(key, startAsyncDefault(key)));
        started.forEach((key, value) -> computed.put(key, FutureJoins.join(value)));
        return computed;
    }

    private CompletableFuture<V> loadDefaultAsync(ReactiveRedisDictCommands reactive, String key, String redisKey) {
        if (this.defaults == null && this.asyncDefaults == null) {
            return CompletableFuture.failedFuture(noDefault(List.of(key)));
        }
        CompletableFuture<V> load = new CompletableFuture<>();
        CompletableFuture<V> running = this.inFlight.claim(key, load);
        if (running != null) {
            return running.copy();
        }
        Function<String, V> defaults = this.defaults;
        CompletableFuture<V> computed;
        try {
            computed = (defaults != null)
                    ? CompletableFuture.supplyAsync(() -> requireDefault(key, defaults.apply(key)), this.executor)
                    : startAsyncDefault(key);
        }
        catch (RuntimeException ex) {
            // a rejecting executor must not leave the claim behind: every later miss would wait on it forever
            this.inFlight.finish(key, load, null, ex);
            return load.copy();
        }
        computed.thenCompose((value) -> {
            byte[] encoded = this.codec.encode(redisKey, value);
            return reactive.storeIfAbsent(utf8(redisKey), encoded)
                .thenApply((stored) -> storedValue(redisKey, value, encoded, stored));
        }).whenComplete((value, failure) -> this.inFlight.finish(key, load, value, unwrap(failure)));
        return load.copy();
    }

    private CompletableFuture<V> startAsyncDefault(String key) {
        CompletableFuture<V> result = new CompletableFuture<>();
        try {
            CompletionStage<? extends V> stage = Objects.requireNonNull(
                    Objects.requireNonNull(this.asyncDefaults).apply(key),
                    () -> "asyncDefaults returned no stage for key '" + key + "'");
            stage.whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(unwrap(failure));
                }
                else {
                    try {
                        result.complete(requireDefault(key, value));
                    }
                    catch (RuntimeException ex) {
                        result.completeExceptionally(ex);
                    }
                }
            });
        }
        catch (RuntimeException ex) {
            result.completeExceptionally(ex);
        }
        return result;
    }

    /** Our own value when the script stored it (no decode needed), else the value another writer stored first. */
    private V storedValue(String redisKey, V ours, byte[] encoded, byte[] stored) {
        return Arrays.equals(encoded, stored) ? ours : this.codec.decode(redisKey, stored);
    }

    private V requireDefault(String key, @Nullable V value) {
        if (value == null) {
            throw new IllegalStateException("The default returned null for key '" + key + "' (dict "
                    + this.prefix + "*); a default must return a value");
        }
        return value;
    }

    private NoSuchElementException noDefault(Collection<String> keys) {
        List<String> redisKeys = keys.stream().limit(10).map((key) -> "'" + this.prefix + key + "'").toList();
        return new NoSuchElementException("No value at key " + String.join(", ", redisKeys)
                + ((keys.size() > 10) ? " and " + (keys.size() - 10) + " more" : "")
                + " and the dict has no default");
    }

    private ReactiveRedisDictCommands reactiveCommands() {
        if (this.reactiveCommands == null) {
            throw new UnsupportedOperationException("aget and aset need a ReactiveRedisConnectionFactory (such as "
                    + "LettuceConnectionFactory); " + this.factoryName + " is not one");
        }
        return this.reactiveCommands;
    }

    private void checkOp(DictOp op, int index) {
        Objects.requireNonNull(op, () -> "ops[" + index + "] must not be null");
        if (!(op.key() instanceof String key) || !key.startsWith(this.prefix)) {
            throw new IllegalArgumentException("ops[" + index + "] (" + op + ") is not an op of this dict: its key "
                    + "must be a String starting with '" + this.prefix + "' (use fget and fset)");
        }
        if (op.kind() == DictOp.Kind.SET && !(op.value() instanceof byte[] bytes && bytes.length > 0)) {
            throw new IllegalArgumentException("ops[" + index + "] (" + op + ") is not an op of this dict: its value "
                    + "must be the serialized bytes (use fset)");
        }
    }

    private String redisKey(String key) {
        return this.prefix + Objects.requireNonNull(key, "key must not be null");
    }

    /** The prefixed keys as strings, each built only when read (to name a key in an error). */
    private List<String> prefixed(List<String> keys) {
        return new AbstractList<>() {
            @Override
            public String get(int index) {
                return RedisDefaultDict.this.prefix + keys.get(index);
            }

            @Override
            public int size() {
                return keys.size();
            }
        };
    }

    private byte[] encode(String redisKey, @Nullable V value) {
        if (value == null) {
            throw new IllegalArgumentException("value for key '" + redisKey + "' must not be null: a stored null "
                    + "would re-trigger the default on every read (remove the key instead)");
        }
        return this.codec.encode(redisKey, value);
    }

    private static byte[] utf8(String redisKey) {
        return redisKey.getBytes(StandardCharsets.UTF_8);
    }

    private static String escapeGlob(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }


    private static @Nullable Throwable unwrap(@Nullable Throwable failure) {
        return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
    }

    /**
     * Builds a {@link RedisDefaultDict}. Every setting has a default and may be set at most once; setting one twice
     * throws {@link IllegalStateException}.
     *
     * @param <V> the value type
     */
    public static final class Builder<V> {

        private final RedisConnectionFactory factory;

        private final Class<V> type;

        private @Nullable String prefix;

        private @Nullable Function<String, V> defaults;

        private @Nullable Function<String, ? extends CompletionStage<? extends V>> asyncDefaults;

        private @Nullable Duration ttl;

        private @Nullable RedisSerializer<V> serializer;

        private @Nullable JsonMapper jsonMapper;

        private @Nullable Executor executor;

        private @Nullable Executor defaultExecutor;

        private @Nullable DictObserver observer;

        private Builder(RedisConnectionFactory factory, Class<V> type) {
            this.factory = Objects.requireNonNull(factory, "factory must not be null");
            this.type = Objects.requireNonNull(type, "type must not be null");
        }

        /**
         * Sets the prefix put before every key in Redis, such as {@code "scores:"}. Default: none (keys are used as
         * they are).
         *
         * @param prefix the prefix; may be empty
         * @return this builder
         * @throws NullPointerException if {@code prefix} is null
         * @throws IllegalStateException if the prefix was already set
         */
        public Builder<V> prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix must not be null");
            requireUnset("prefix", this.prefix);
            this.prefix = prefix;
            return this;
        }

        /**
         * Sets the default: called with a missing key (without the prefix), its value is stored and returned. For the
         * async calls it runs on the {@link #executor executor}. Default: none (missing keys raise
         * {@link NoSuchElementException}). Exclusive with {@link #asyncDefaults}.
         *
         * @param defaults the default; must not return null
         * @return this builder
         * @throws NullPointerException if {@code defaults} is null
         * @throws IllegalStateException if a default (of either kind) was already set
         */
        public Builder<V> defaults(Function<String, V> defaults) {
            Objects.requireNonNull(defaults, "defaults must not be null");
            requireUnset("defaults", this.defaults);
            requireUnset("asyncDefaults", this.asyncDefaults, "defaults");
            this.defaults = defaults;
            return this;
        }

        /**
         * Sets an asynchronous default: called with a missing key (without the prefix), the value its stage
         * completes with is stored and returned. The blocking calls wait for it. Default: none (missing keys raise
         * {@link NoSuchElementException}). Exclusive with {@link #defaults}.
         *
         * @param asyncDefaults the default; its stage must not complete with null
         * @return this builder
         * @throws NullPointerException if {@code asyncDefaults} is null
         * @throws IllegalStateException if a default (of either kind) was already set
         */
        public Builder<V> asyncDefaults(Function<String, ? extends CompletionStage<? extends V>> asyncDefaults) {
            Objects.requireNonNull(asyncDefaults, "asyncDefaults must not be null");
            requireUnset("asyncDefaults", this.asyncDefaults);
            requireUnset("defaults", this.defaults, "asyncDefaults");
            this.asyncDefaults = asyncDefaults;
            return this;
        }

        /**
         * Sets how long every written key lives (each write sets it again: {@code set}, {@code mset}, SET ops and
         * stored defaults). Millisecond precision. Default: zero, no expiry.
         *
         * @param ttl the time to live; zero for no expiry
         * @return this builder
         * @throws NullPointerException if {@code ttl} is null
         * @throws IllegalArgumentException if {@code ttl} is negative or positive but under one millisecond
         * @throws IllegalStateException if the time to live was already set
         */
        public Builder<V> ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl must not be null");
            requireUnset("ttl", this.ttl);
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("ttl must not be negative: " + ttl);
            }
            if (!ttl.isZero() && ttl.toMillis() == 0) {
                throw new IllegalArgumentException("ttl must be zero or at least 1 ms: " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * Sets how values become bytes in Redis, replacing the JSON default. It must never turn a value into zero
         * bytes or null. Default: JSON by Jackson for the value type, with the {@link #jsonMapper mapper}.
         *
         * @param serializer the serializer
         * @return this builder
         * @throws NullPointerException if {@code serializer} is null
         * @throws IllegalStateException if a serializer or a JSON mapper was already set
         */
        public Builder<V> serializer(RedisSerializer<V> serializer) {
            Objects.requireNonNull(serializer, "serializer must not be null");
            requireUnset("serializer", this.serializer);
            requireUnset("jsonMapper", this.jsonMapper, "serializer");
            this.serializer = serializer;
            return this;
        }

        /**
         * Sets the Jackson mapper of the default JSON serializer, such as the application's own. Default: a plain
         * {@link JsonMapper}. Exclusive with {@link #serializer}.
         *
         * @param jsonMapper the mapper
         * @return this builder
         * @throws NullPointerException if {@code jsonMapper} is null
         * @throws IllegalStateException if a JSON mapper or a serializer was already set
         */
        public Builder<V> jsonMapper(JsonMapper jsonMapper) {
            Objects.requireNonNull(jsonMapper, "jsonMapper must not be null");
            requireUnset("jsonMapper", this.jsonMapper);
            requireUnset("serializer", this.serializer, "jsonMapper");
            this.jsonMapper = jsonMapper;
            return this;
        }

        /**
         * Sets where {@link #defaults plain defaults} run for the async calls, so that they never run on the calling
         * thread or a Redis I/O thread. Default: the executor given to {@link #defaultExecutor}, else
         * {@link ForkJoinPool#commonPool()}.
         *
         * @param executor the executor
         * @return this builder
         * @throws NullPointerException if {@code executor} is null
         * @throws IllegalStateException if the executor was already set
         */
        public Builder<V> executor(Executor executor) {
            Objects.requireNonNull(executor, "executor must not be null");
            requireUnset("executor", this.executor);
            this.executor = executor;
            return this;
        }

        /**
         * Sets the executor the dict gets unless {@link #executor} is called: how a framework hands its own executor
         * to the dicts it builds while leaving the choice open, e.g. to a customizer.
         *
         * @param executor the executor to fall back to
         * @return this builder
         * @throws NullPointerException if {@code executor} is null
         * @throws IllegalStateException if a default executor was already set
         */
        public Builder<V> defaultExecutor(Executor executor) {
            Objects.requireNonNull(executor, "executor must not be null");
            requireUnset("defaultExecutor", this.defaultExecutor);
            this.defaultExecutor = executor;
            return this;
        }

        /**
         * Sets who hears of every read and write, such as the metrics binder. Default: {@link DictObserver#none()}.
         *
         * @param observer the observer
         * @return this builder
         * @throws NullPointerException if {@code observer} is null
         * @throws IllegalStateException if the observer was already set
         */
        public Builder<V> observer(DictObserver observer) {
            Objects.requireNonNull(observer, "observer must not be null");
            requireUnset("observer", this.observer);
            this.observer = observer;
            return this;
        }

        /**
         * Builds the dict. Nothing is sent to Redis until the first call.
         *
         * @return a new dict with these settings
         */
        public RedisDefaultDict<V> build() {
            return new RedisDefaultDict<>(this);
        }

        private static void requireUnset(String name, @Nullable Object current) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set to " + current);
            }
        }

        private static void requireUnset(String name, @Nullable Object current, String setting) {
            if (current != null) {
                throw new IllegalStateException(setting + " cannot be set: " + name + " was already set to "
                        + current + " and the two are exclusive");
            }
        }

    }

}
