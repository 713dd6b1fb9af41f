package dev.quiver.objects;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * A fast local cache that keeps references: {@code get} returns the very object that {@code set} stored, so a change
 * to a cached object is seen by every later reader. Nothing is copied or serialized.
 * <p>
 * Entries expire a fixed time after they are written (per cache, or per entry with
 * {@link #set(Object, Object, Duration)}). Past {@link #maxEntries()} the cache culls entries it judges least
 * valuable, expired entries first, by an adaptive window TinyLFU policy (see {@code AdaptiveCuller}) that resizes its
 * recency window to the workload.
 * <p>
 * <b>One load per key at a time.</b> A key is never loaded twice at once, whatever {@code set}, {@code remove},
 * {@code clear}, expiry and the cull do meanwhile: every miss of a key whose load is in flight, by {@code get} or
 * {@code aget} with a loader, waits for that load and shares its result instead of calling its own loader. A value
 * set during a load wins over the load's result: the cache keeps the set value, and the callers that waited for the
 * load get the loaded value. If the set value leaves the cache (removed, cleared, culled or expired) before the load
 * finishes, the load takes its place again: later misses wait for it, and its value is stored when it finishes, as
 * after a {@link #remove} during a load.
 * <p>
 * Reads that hit take no lock, allocate nothing and do not read the system clock; expiry is checked against a clock
 * that a shared daemon thread advances about every millisecond while caches are read, and that ends when they are
 * idle (or against the {@linkplain Builder#ticker ticker}
 * given to the builder). Writes change the map directly and leave the cull policy's bookkeeping, in batches, to
 * whichever writer is doing it at the time, so writers do not wait on each other; the cache may therefore hold a few
 * entries more than {@link #maxEntries()} for a while (see {@link #size()}).
 * <p>
 * Instances are thread-safe. Keys follow {@link Object#equals(Object)} and {@link Object#hashCode()}; null keys and
 * null values are refused.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public final class ArrowCache<K, V> {

    /** The expiration of {@link #ArrowCache()}: 3 hours. */
    public static final Duration DEFAULT_EXPIRATION = Duration.ofHours(3);

    /** The size bound of {@link #ArrowCache()}: 2000 entries. */
    public static final int DEFAULT_MAX_ENTRIES = 2000;

    /** The name of a cache built without one. */
    public static final String DEFAULT_NAME = "arrow-cache";

    /** Longest expiry kept exactly; longer ones are shortened to it (about 146 years) so that time arithmetic holds. */
    private static final long MAX_EXPIRATION_NANOS = Long.MAX_VALUE >> 1;

    private final String name;
    private final Duration expiration;
    private final long expirationNanos;
    private final int maxEntries;
    private final @Nullable LongSupplier ticker;
    /** How old an entry is when a read with a loader reloads it in the background; 0 when the cache never does. */
    private final long refreshNanos;
    /** Runs the background reloads of synchronous loaders. */
    private final Executor executor;

    /** The entries, and a {@link LoadingEntry} for each key being loaded. */
    private final ConcurrentHashMap<K, CacheEntry<K, V>> entries;
    private final BufferedCuller<K, V> culler;

    /** Null when statistics are off; hits are counted apart because a hit is too cheap for an atomic add. */
    private final @Nullable PerThreadCounter hits;
    private final @Nullable EventCounters events;

    /** Creates a cache of at most {@value #DEFAULT_MAX_ENTRIES} entries, each expiring 3 hours after it is written. */
    public ArrowCache() {
        this(DEFAULT_EXPIRATION, DEFAULT_MAX_ENTRIES);
    }

    /**
     * Creates a cache with the given expiration and size bound.
     *
     * @param expiration how long an entry lives after it is written; positive
     * @param maxEntries the most entries the cache holds before it culls; at least 1
     * @throws NullPointerException if {@code expiration} is null
     * @throws IllegalArgumentException if {@code expiration} is zero or negative, or {@code maxEntries} is below 1
     */
    public ArrowCache(Duration expiration, int maxEntries) {
        this(DEFAULT_NAME, Builder.checkExpiration(expiration), Builder.checkMaxEntries(maxEntries), null, true, null,
                ForkJoinPool.commonPool());
    }

    private ArrowCache(String name, Duration expiration, int maxEntries, @Nullable LongSupplier ticker,
            boolean recordStats, @Nullable Duration refreshAfter, Executor executor) {
        this.name = name;
        this.executor = executor;
        this.refreshNanos = refreshAfter != null ? toNanos(refreshAfter) : 0;
        this.expiration = expiration;
        this.expirationNanos = toNanos(expiration);
        this.maxEntries = maxEntries;
        this.ticker = ticker;
        this.entries = new ConcurrentHashMap<>(Math.min(maxEntries, 1 << 16));
        this.hits = recordStats ? new PerThreadCounter() : null;
        this.events = recordStats ? new EventCounters() : null;
        PerThreadCounter hitCounter = hits;
        this.culler = new BufferedCuller<>(entries, maxEntries, this::now, this::countEviction,
                hitCounter != null ? hitCounter::sum : null);
    }

    /**
     * Returns a builder for a cache with a name, a ticker, or settings other than the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the value cached for {@code key}.
     *
     * @param key the key
     * @return the value, or {@code null} when the key is absent or its entry has expired
     * @throws NullPointerException if {@code key} is null
     */
    public @Nullable V get(K key) {
        CacheEntry<K, V> entry = liveEntry(key);
        return entry != null ? entry.value : null;
    }

    /** Returns the live entry of {@code key}, counting a hit, or {@code null}, counting a miss. */
    private @Nullable CacheEntry<K, V> liveEntry(K key) {
        CacheEntry<K, V> entry = entries.get(Objects.requireNonNull(key, "key must not be null"));
        if (entry != null) {
            if (entry.isLiveAt(now())) {
                entry.recordAccess();
                PerThreadCounter hitCounter = hits;
                if (hitCounter != null) {
                    hitCounter.increment();
                }
                return entry;
            }
            if (!(entry instanceof LoadingEntry)) {
                expire(entry);
            }
        }
        if (events != null) {
            events.misses.increment();
        }
        return null;
    }

    /**
     * Returns the value cached for {@code key}, loading, storing and returning it on a miss.
     * <p>
     * Concurrent misses of one key share a single call of a loader: the other callers wait for its result, or its
     * exception, and no other loader of the key is called until it returns (see the class description for what a
     * {@code set} meanwhile does). A {@code null} result is returned and not stored; an exception is rethrown and not
     * cached, so the next call loads again. The loader must not load the same key from this cache.
     *
     * @param key the key
     * @param loader computes the value of a missing key
     * @return the cached or loaded value; {@code null} if the loader returned {@code null}
     * @throws NullPointerException if {@code key} or {@code loader} is null
     * @throws IllegalStateException if the loader loads its own key from this cache
     * @throws RuntimeException or {@link Error} the loader threw, to every caller that waited on that load
     */
    public @Nullable V get(K key, Function<? super K, ? extends @Nullable V> loader) {
        Objects.requireNonNull(loader, "loader must not be null");
        CacheEntry<K, V> hit = liveEntry(key);
        if (hit != null) {
            if (isDueForRefresh(hit)) {
                refresh(hit, found -> CompletableFuture.supplyAsync(() -> loader.apply(found), this.executor));
            }
            return hit.value;
        }
        V value;
        LoadingEntry<K, V> load = new LoadingEntry<>(key, now(), Thread.currentThread());
        CacheEntry<K, V> found = register(load);
        if (found instanceof LoadingEntry<K, V> running) {
            return running.await();
        }
        if (found != null) {
            return found.value;
        }
        try {
            countLoad();
            value = loader.apply(key);
            finish(load, value);
            return value;
        } catch (Throwable failure) {
            fail(load, failure);
            throw failure;
        }
    }

    /**
     * Returns the value cached for {@code key} without blocking.
     *
     * @param key the key
     * @return a future of the value, or of {@code null} when the key is absent or expired; if a load of the key is in
     *         flight, a future that completes as that load does
     * @throws NullPointerException if {@code key} is null
     */
    public CompletableFuture<@Nullable V> aget(K key) {
        V value = get(key);
        if (value != null) {
            return CompletableFuture.completedFuture(value);
        }
        return (entries.get(key) instanceof LoadingEntry<K, V> running) ? running.result.copy()
                : CompletableFuture.completedFuture(null);
    }

    /**
     * Returns the value cached for {@code key}, loading it asynchronously on a miss; never blocks the calling thread.
     * <p>
     * On a hit the loader is not called. Concurrent misses of one key share a single in-flight load, synchronous or
     * asynchronous, and no other loader of the key is called until it completes. A {@code null} result is returned
     * and not stored; a failed load is not cached, so the next call loads again.
     *
     * @param key the key
     * @param loader starts the computation of a missing key's value; called on the calling thread, so it should only
     *        start the work
     * @return a future of the cached or loaded value (of {@code null} if the load produced {@code null}), completed
     *         exceptionally if the load failed; cancelling it does not cancel the shared load
     * @throws NullPointerException if {@code key} or {@code loader} is null
     */
    public CompletableFuture<@Nullable V> aget(K key,
            Function<? super K, ? extends CompletionStage<? extends @Nullable V>> loader) {
        Objects.requireNonNull(loader, "loader must not be null");
        CacheEntry<K, V> hit = liveEntry(key);
        if (hit != null) {
            if (isDueForRefresh(hit)) {
                refresh(hit, loader);
            }
            return CompletableFuture.completedFuture(hit.value);
        }
        LoadingEntry<K, V> load = new LoadingEntry<>(key, now(), null);
        CacheEntry<K, V> found = register(load);
        if (found instanceof LoadingEntry<K, V> running) {
            return running.result.copy();
        }
        if (found != null) {
            return CompletableFuture.completedFuture(found.value);
        }
        countLoad();
        CompletionStage<? extends V> stage;
        try {
            stage = Objects.requireNonNull(loader.apply(key), "loader returned null instead of a CompletionStage");
        } catch (Throwable failure) {
            fail(load, failure);
            return load.result.copy();
        }
        stage.whenComplete((result, failure) -> {
            if (failure != null) {
                fail(load, failure);
            } else {
                finish(load, result);
            }
        });
        return load.result.copy();
    }

    /**
     * Stores {@code value} for {@code key} with the cache's expiration, replacing any value it had. A load of the key
     * in flight goes on, and the value set wins over its result.
     *
     * @param key the key
     * @param value the value, stored by reference
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    public void set(K key, V value) {
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(value, "value must not be null");
        store(key, value, expirationNanos, false);
    }

    /**
     * Stores {@code value} for {@code key} with its own expiration, replacing any value it had. A load of the key in
     * flight goes on, and the value set wins over its result.
     *
     * @param key the key
     * @param value the value, stored by reference
     * @param expiration how long this entry lives; positive
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code expiration} is zero or negative
     */
    public void set(K key, V value, Duration expiration) {
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(value, "value must not be null");
        store(key, value, toNanos(Builder.checkExpiration(expiration)), false);
    }

    /**
     * Removes the entry of {@code key}, if any. A load of the key in flight is not cancelled: misses of the key wait
     * for it, and its value is stored when it finishes.
     *
     * @param key the key
     * @return {@code true} if the cache held a live value for {@code key}
     * @throws NullPointerException if {@code key} is null
     */
    public boolean remove(K key) {
        Objects.requireNonNull(key, "key must not be null");
        while (true) {
            CacheEntry<K, V> current = entries.get(key);
            if (current == null || current instanceof LoadingEntry) {
                return false;
            }
            if (current.leave(entries)) {
                retire(current);
                return current.isLiveAt(now());
            }
        }
    }

    /**
     * Removes every entry. Values stored by other threads while this runs, and by loads in flight when they finish, stay.
     */
    public void clear() {
        culler.removeAll();
    }

    /**
     * Returns the number of entries held, which may include expired entries not yet culled, and counts each load in
     * flight as one.
     * <p>
     * Writers leave the cull policy's bookkeeping for later in batches of up to 16 writes (fewer in caches of under
     * 1,024 entries, none under 128), so between writes the cache may hold up to a batch's worth of entries past
     * {@link #maxEntries()}; this call first finishes that bookkeeping, so while no other thread writes or loads, the
     * size it returns is at most {@link #maxEntries()}. While several threads write new keys at once, the entries of
     * one may also wait for another to cull room for them, up to an eighth of the bound (from 16 to 256 entries)
     * beyond a batch; a writer that finds that many waiting waits for the cull instead of going on.
     *
     * @return the number of entries
     */
    public int size() {
        culler.settle();
        return entries.size();
    }

    /**
     * Returns a snapshot of this cache's counters since it was created. Like {@link #size()}, it first finishes the
     * cull bookkeeping that writers left for later, so the evictions it counts are those of the cache at rest.
     *
     * @return the counters at about this moment (each is exact; they are not read atomically together); all zero if
     *         the cache was built with {@link Builder#recordStats(boolean) recordStats(false)}
     */
    public Stats stats() {
        PerThreadCounter hitCounter = hits;
        EventCounters counters = events;
        if (hitCounter == null || counters == null) {
            return new Stats(0, 0, 0, 0, 0);
        }
        culler.settle();
        return new Stats(hitCounter.sum(), counters.misses.sum(), counters.loads.sum(), counters.evictions.sum(),
                counters.puts.sum());
    }

    /**
     * Returns the name of this cache, which metrics and Spring's cache abstraction use to tell caches apart.
     *
     * @return the name given to the builder, or {@value #DEFAULT_NAME}
     */
    public String name() {
        return name;
    }

    /**
     * Returns how long an entry lives after it is written, unless it was set with its own expiration.
     *
     * @return the cache's expiration
     */
    public Duration expiration() {
        return expiration;
    }

    /**
     * Returns the most entries this cache holds before it culls.
     *
     * @return the size bound
     */
    public int maxEntries() {
        return maxEntries;
    }

    @Override
    public String toString() {
        return "ArrowCache[name=" + name + ", size=" + size() + ", maxEntries=" + maxEntries + ", expiration="
                + expiration + "]";
    }

    private long now() {
        LongSupplier custom = ticker;
        return custom == null ? CoarseClock.nanoTime() : custom.getAsLong();
    }

    /**
     * Puts a load in the map for its key, unless the key holds a live entry or another load, which is returned instead
     * (a live entry was stored since the caller's miss); an expired entry gives way to the load, or to the load in
     * flight that it displaced, which is then returned.
     *
     * @return {@code null} when the load is registered and its caller must run it
     */
    private @Nullable CacheEntry<K, V> register(LoadingEntry<K, V> load) {
        while (true) {
            CacheEntry<K, V> current = entries.putIfAbsent(load.key, load);
            if (current == null) {
                return null;
            }
            if (current instanceof LoadingEntry || current.isLiveAt(now())) {
                return current;
            }
            if (current.loadInFlight() != null) {
                // the expired value was set during a load still in flight: the load takes its place back
                expire(current);
                continue;
            }
            if (entries.replace(load.key, current, load)) {
                countEviction();
                retire(current);
                return null;
            }
        }
    }

    /**
     * Stores a value; with {@code unlessPresent}, a live value already there (set while a load ran) or a load in
     * flight (which stores its own) is kept instead.
     */
    private void store(K key, V value, long expiresInNanos, boolean unlessPresent) {
        long now = now();
        CacheEntry<K, V> entry = new CacheEntry<>(key, value, now + expiresInNanos);
        entry.refreshAtNanos = now + refreshNanos;
        while (true) {
            CacheEntry<K, V> current = entries.putIfAbsent(key, entry);
            if (current == null) {
                break;
            }
            if (unlessPresent && (current instanceof LoadingEntry || current.isLiveAt(now))) {
                return;
            }
            // set before the entry is published, so that whoever sees it in the map sees what it replaced
            entry.predecessor = current;
            entry.displacedLoad = current.loadInFlight();
            if (entries.replace(key, current, entry)) {
                current.retired = true;
                break;
            }
            entry.predecessor = null;
            entry.displacedLoad = null;
        }
        countPut();
        culler.record(entry);
    }

    private void expire(CacheEntry<K, V> entry) {
        if (entry.leave(entries)) {
            countEviction();
            retire(entry);
        }
    }

    private void retire(CacheEntry<K, V> removed) {
        removed.retired = true;
        culler.record(removed);
    }

    private void countLoad() {
        if (events != null) {
            events.loads.increment();
        }
    }

    private void countPut() {
        if (events != null) {
            events.puts.increment();
        }
    }

    private void countEviction() {
        if (events != null) {
            events.evictions.increment();
        }
    }

    /**
     * Puts a load's value in the load's place (nothing if it is {@code null}), then completes the load, so that a
     * caller reacting to the result finds the map as the load left it.
     */
    private void finish(LoadingEntry<K, V> load, @Nullable V value) {
        if (value == null) {
            entries.remove(load.key, load);
        } else {
            long now = now();
            CacheEntry<K, V> entry = new CacheEntry<>(load.key, value, now + expirationNanos);
            entry.refreshAtNanos = now + refreshNanos;
            if (entries.replace(load.key, load, entry)) {
                countPut();
                culler.record(entry);
            } else {
                // a set() took the load's place meanwhile; its value stays unless it has expired already
                store(load.key, value, expirationNanos, true);
            }
        }
        load.result.complete(value);
        forget(load);
    }

    /** Takes a failed load out of the map before completing it, so that a caller who sees the failure loads again. */
    private void fail(LoadingEntry<K, V> load, Throwable failure) {
        entries.remove(load.key, load);
        load.result.completeExceptionally(failure);
        forget(load);
    }

    /** Whether a hit found an entry old enough to reload; reads the clock only in caches that refresh. */
    private boolean isDueForRefresh(CacheEntry<K, V> hit) {
        return refreshNanos != 0 && hit.refreshAtNanos - now() <= 0;
    }

    /**
     * Reloads an entry older than the refresh age in the background, once; meanwhile reads keep getting its value.
     * <p>
     * A stand-in with the same value and expiry takes the entry's place, holding the reload as the load it displaced:
     * should the stand-in leave the map (expired, removed, culled) before the reload is done, the reload takes its place
     * and a miss waits for it instead of loading the key a second time. A reloaded value replaces the stand-in, or the
     * reload in its place; a value set meanwhile wins. A failed or {@code null} reload leaves the old value until it
     * expires.
     */
    private void refresh(CacheEntry<K, V> stale,
            Function<? super K, ? extends CompletionStage<? extends @Nullable V>> loader) {
        if (stale.loadInFlight() != null || !stale.claimRefresh()) {
            return; // a load of the key is in flight already, or another read started this refresh
        }
        K key = stale.key;
        LoadingEntry<K, V> reload = new LoadingEntry<>(key, now(), null);
        CacheEntry<K, V> standIn = new CacheEntry<>(key, stale.value, stale.expiresAtNanos);
        standIn.claimRefresh();
        standIn.referenced = stale.referenced;
        standIn.predecessor = stale;
        standIn.displacedLoad = reload;
        if (!entries.replace(key, stale, standIn)) {
            return; // it left or was replaced since the read found it
        }
        stale.retired = true;
        culler.record(standIn);
        countLoad();
        CompletionStage<? extends V> stage;
        try {
            stage = Objects.requireNonNull(loader.apply(key), "loader returned null instead of a CompletionStage");
        } catch (Throwable failure) {
            fail(reload, failure);
            return;
        }
        stage.whenComplete((value, failure) -> {
            if (failure != null) {
                fail(reload, failure);
            } else if (value == null) {
                finish(reload, null);
            } else {
                refreshed(standIn, reload, value);
            }
        });
    }

    /** Stores a reloaded value in the place of the stand-in, or of the reload if the stand-in left, then completes. */
    private void refreshed(CacheEntry<K, V> standIn, LoadingEntry<K, V> reload, V value) {
        long now = now();
        CacheEntry<K, V> fresh = new CacheEntry<>(reload.key, value, now + expirationNanos);
        fresh.refreshAtNanos = now + refreshNanos;
        fresh.predecessor = standIn;
        if (entries.replace(reload.key, standIn, fresh)) {
            standIn.retired = true;
            countPut();
            culler.record(fresh);
        } else {
            fresh.predecessor = null;
            if (entries.replace(reload.key, reload, fresh)) {
                countPut();
                culler.record(fresh);
            }
        }
        reload.result.complete(value);
        forget(reload);
    }

    /**
     * Takes a completed load out of the map where the value set during it gave it back its place after its own
     * attempt to leave the map ({@link CacheEntry#leave} looks again once the load is done, so one of the two sees
     * it).
     */
    private void forget(LoadingEntry<K, V> load) {
        entries.remove(load.key, load);
    }

    private static long toNanos(Duration duration) {
        try {
            return Math.min(duration.toNanos(), MAX_EXPIRATION_NANOS);
        } catch (ArithmeticException tooLong) {
            return MAX_EXPIRATION_NANOS;
        }
    }

    /** The counters of events rarer than hits, where an atomic add costs little next to the event itself. */
    private static final class EventCounters {

        final LongAdder misses = new LongAdder();
        final LongAdder loads = new LongAdder();
        final LongAdder evictions = new LongAdder();
        final LongAdder puts = new LongAdder();
    }

    /**
     * A snapshot of a cache's counters.
     *
     * @param hits reads that found a live value
     * @param misses reads that found none (absent or expired), whether or not a load followed
     * @param loads calls of a loader, successful or not
     * @param evictions entries removed by the cache itself: culled past the size bound, or found expired
     * @param puts values stored, by {@code set} or by a load
     */
    public record Stats(long hits, long misses, long loads, long evictions, long puts) {

        /**
         * Returns the share of reads that hit.
         *
         * @return {@code hits / (hits + misses)}, or 1 when there were no reads
         */
        public double hitRate() {
            long reads = hits + misses;
            return reads == 0 ? 1.0 : (double) hits / reads;
        }
    }

    /**
     * Builds an {@link ArrowCache}. Every setting is optional and may be set once; {@link #build()} may be called
     * more than once.
     */
    public static final class Builder {

        private @Nullable String name;
        private @Nullable Duration expiration;
        private int maxEntries = -1;
        private @Nullable LongSupplier ticker;
        private @Nullable Boolean recordStats;
        private @Nullable Duration refreshAfter;
        private @Nullable Executor executor;
        private Executor defaultExecutor = ForkJoinPool.commonPool();
        private boolean defaultExecutorSet;

        private Builder() {
        }

        /**
         * Names the cache, for metrics and Spring's cache abstraction. Defaults to {@value ArrowCache#DEFAULT_NAME}.
         *
         * @param name the name; not blank
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         * @throws IllegalArgumentException if {@code name} is blank
         * @throws IllegalStateException if a name was already set
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name must not be null");
            requireUnset(this.name == null, "name", this.name);
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank but was '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets how long an entry lives after it is written (a write restarts it; reads do not). Defaults to 3 hours.
         *
         * @param expiration the lifetime of an entry; positive
         * @return this builder
         * @throws NullPointerException if {@code expiration} is null
         * @throws IllegalArgumentException if {@code expiration} is zero or negative
         * @throws IllegalStateException if an expiration was already set
         */
        public Builder expiration(Duration expiration) {
            Objects.requireNonNull(expiration, "expiration must not be null");
            requireUnset(this.expiration == null, "expiration", this.expiration);
            this.expiration = checkExpiration(expiration);
            return this;
        }

        /**
         * Sets the most entries the cache holds; past it the cache culls. Defaults to 2000.
         *
         * @param maxEntries the size bound; at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxEntries} is below 1
         * @throws IllegalStateException if a size bound was already set
         */
        public Builder maxEntries(int maxEntries) {
            requireUnset(this.maxEntries == -1, "maxEntries", this.maxEntries);
            this.maxEntries = checkMaxEntries(maxEntries);
            return this;
        }

        /**
         * Sets the time source for expiry, read on every access, typically to control time in tests. Defaults to a
         * shared clock that advances about every millisecond and costs nothing to read.
         *
         * @param nanos returns a {@link System#nanoTime()}-like reading: nanoseconds from an arbitrary origin
         * @return this builder
         * @throws NullPointerException if {@code nanos} is null
         * @throws IllegalStateException if a ticker was already set
         */
        public Builder ticker(LongSupplier nanos) {
            Objects.requireNonNull(nanos, "ticker must not be null");
            requireUnset(this.ticker == null, "ticker", this.ticker);
            this.ticker = nanos;
            return this;
        }

        /**
         * Makes a read with a loader ({@code get(key, loader)} or {@code aget(key, loader)}) that finds an entry
         * written at least this long ago return its value at once and reload it in the background with that loader,
         * once; the reloaded value then replaces it. A synchronous loader runs on the cache's executor. A failed
         * reload (or one that loads {@code null}) keeps the old value until it expires; a value set meanwhile wins
         * over the reload. Meant to be shorter than the expiration. Defaults to never.
         *
         * @param refreshAfter the age at which an entry is reloaded; positive
         * @return this builder
         * @throws NullPointerException if {@code refreshAfter} is null
         * @throws IllegalArgumentException if {@code refreshAfter} is zero or negative
         * @throws IllegalStateException if a refresh age was already set
         */
        public Builder refreshAfter(Duration refreshAfter) {
            Objects.requireNonNull(refreshAfter, "refreshAfter must not be null");
            requireUnset(this.refreshAfter == null, "refreshAfter", this.refreshAfter);
            if (refreshAfter.isNegative() || refreshAfter.isZero()) {
                throw new IllegalArgumentException("refreshAfter must be positive but was " + refreshAfter);
            }
            this.refreshAfter = refreshAfter;
            return this;
        }

        /**
         * Sets the executor on which background reloads of synchronous loaders run (see {@link #refreshAfter}).
         * Defaults to the executor given to {@link #defaultExecutor}, else {@link ForkJoinPool#commonPool()}.
         *
         * @param executor the executor
         * @return this builder
         * @throws NullPointerException if {@code executor} is null
         * @throws IllegalStateException if an executor was already set
         */
        public Builder executor(Executor executor) {
            Objects.requireNonNull(executor, "executor must not be null");
            requireUnset(this.executor == null, "executor", this.executor);
            this.executor = executor;
            return this;
        }

        /**
         * Sets the executor the cache gets unless {@link #executor} is called: how a framework hands its own
         * executor to the caches it builds while leaving the choice open, e.g. to a customizer.
         *
         * @param executor the executor to fall back to
         * @return this builder
         * @throws NullPointerException if {@code executor} is null
         * @throws IllegalStateException if a default executor was already set
         */
        public Builder defaultExecutor(Executor executor) {
            Objects.requireNonNull(executor, "executor must not be null");
            requireUnset(!this.defaultExecutorSet, "defaultExecutor", this.defaultExecutor);
            this.defaultExecutor = executor;
            this.defaultExecutorSet = true;
            return this;
        }

        /**
         * Turns the counters of {@link ArrowCache#stats()} on or off. Defaults to on, which metrics need. Counting costs
         * a few nanoseconds a read and no shared writes; turn it off only when a hit's last nanosecond matters more
         * than knowing the hit rate.
         *
         * @param recordStats {@code false} to keep no counters ({@code stats()} then returns zeros)
         * @return this builder
         * @throws IllegalStateException if statistics were already turned on or off
         */
        public Builder recordStats(boolean recordStats) {
            requireUnset(this.recordStats == null, "recordStats", this.recordStats);
            this.recordStats = recordStats;
            return this;
        }

        /**
         * Builds a cache with this builder's settings.
         *
         * @param <K> the type of keys
         * @param <V> the type of values
         * @return a new, empty cache
         */
        public <K, V> ArrowCache<K, V> build() {
            return new ArrowCache<>(name != null ? name : DEFAULT_NAME,
                    expiration != null ? expiration : DEFAULT_EXPIRATION,
                    maxEntries != -1 ? maxEntries : DEFAULT_MAX_ENTRIES, ticker, recordStats == null || recordStats,
                    refreshAfter, executor != null ? executor : defaultExecutor);
        }

        static Duration checkExpiration(Duration expiration) {
            Objects.requireNonNull(expiration, "expiration must not be null");
            if (expiration.isNegative() || expiration.isZero()) {
                throw new IllegalArgumentException("expiration must be positive but was " + expiration);
            }
            return expiration;
        }

        static int checkMaxEntries(int maxEntries) {
            if (maxEntries < 1) {
                throw new IllegalArgumentException(
                        "maxEntries must be greater than or equal to 1 but was " + maxEntries);
            }
            return maxEntries;
        }

        private static void requireUnset(boolean unset, String setting, @Nullable Object current) {
            if (!unset) {
                throw new IllegalStateException(setting + " was already set to " + current);
            }
        }
    }
}
