package dev.quiver.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The single-load guarantee of {@link ArrowCache}: a key is never loaded twice at once, whatever {@code set},
 * {@code remove}, {@code clear}, expiry and the cull do while its load runs. Each interleaving is driven step by step:
 * a load that blocks until the test lets it finish, a value set for its key meanwhile, that value leaving the cache,
 * then a second miss of the key, which must wait for the first load instead of calling a loader again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ArrowCacheSingleLoadTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** A cache of one entry, so that storing any other key culls the one there. */
    private ArrowCache<String, Object> oneEntryCache() {
        return ArrowCache.builder().expiration(Duration.ofMinutes(1)).maxEntries(1).ticker(nanos::get).build();
    }

    /** How the value set during the load leaves the cache before the second miss. */
    enum Departure {

        REMOVED(cache -> cache.remove("k")),
        CLEARED(ArrowCache::clear),
        CULLED(cache -> cache.set("other", "o")),
        EXPIRED(null);

        private final Consumer<ArrowCache<String, Object>> action;

        Departure(Consumer<ArrowCache<String, Object>> action) {
            this.action = action;
        }
    }

    static Stream<Arguments> interleavings() {
        List<Arguments> all = new ArrayList<>();
        for (Departure departure : Departure.values()) {
            for (boolean firstLoadAsync : new boolean[] { false, true }) {
                for (boolean secondMissAsync : new boolean[] { false, true }) {
                    all.add(Arguments.of(departure, firstLoadAsync, secondMissAsync));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "set during a load, value {0}, first load async {1}, second miss async {2}")
    @MethodSource("interleavings")
    void aSecondMissAfterTheValueSetDuringALoadLeftWaitsForThatLoad(Departure departure, boolean firstLoadAsync,
            boolean secondMissAsync) throws Exception {
        ArrowCache<String, Object> cache = oneEntryCache();
        BlockingLoader loader = new BlockingLoader("loaded");
        Future<Object> first = firstLoadAsync ? cache.aget("k", loader::startAsync)
                : threads.submit(() -> cache.get("k", loader));
        loader.started.await();

        cache.set("k", "set", Duration.ofSeconds(30));
        assertThat(cache.get("k")).as("the set value is read at once").isEqualTo("set");
        if (departure == Departure.EXPIRED) {
            nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        }
        else {
            departure.action.accept(cache);
        }
        assertThat(cache.get("k")).as("the set value left").isNull();

        Future<Object> second = secondMissAsync ? cache.aget("k", loader::startAsync) : missOnAThread(cache, loader);
        assertThat(loader.calls).as("loader calls before the first load finished").hasValue(1);
        assertThat(second).as("the second miss waits for the first load").isNotDone();

        loader.release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
        assertThat(second.get(10, TimeUnit.SECONDS)).as("the second miss shares the first load").isEqualTo("loaded");
        assertThat(loader.calls).hasValue(1);
        assertThat(loader.overlaps).hasValue(0);
        assertThat(cache.get("k")).as("with the set value gone, the load's value is stored").isEqualTo("loaded");
        assertThat(cache.stats().loads()).isEqualTo(1);
    }

    @Test
    void aValueSetDuringALoadStaysAndTheLoadsCallersGetTheLoadedValue() throws Exception {
        ArrowCache<String, Object> cache = oneEntryCache();
        BlockingLoader loader = new BlockingLoader("loaded");
        Future<Object> first = threads.submit(() -> cache.get("k", loader));
        loader.started.await();

        cache.set("k", "set");
        loader.release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
        assertThat(cache.get("k")).as("a value set during the load wins over the load's result").isEqualTo("set");
        assertThat(cache.get("k", key -> "again")).isEqualTo("set");
        assertThat(loader.calls).hasValue(1);
    }

    @Test
    void valuesSetOneAfterAnotherDuringALoadAllKeepItsPlace() throws Exception {
        ArrowCache<String, Object> cache = oneEntryCache();
        BlockingLoader loader = new BlockingLoader("loaded");
        Future<Object> first = threads.submit(() -> cache.get("k", loader));
        loader.started.await();

        cache.set("k", "set-1");
        cache.set("k", "set-2");
        cache.set("other", "o");
        cache.set("k", "set-3");
        assertThat(cache.get("k")).isEqualTo("set-3");
        cache.remove("k");
        Future<Object> second = missOnAThread(cache, loader);
        assertThat(loader.calls).hasValue(1);

        loader.release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
        assertThat(loader.overlaps).hasValue(0);
        assertThat(loader.calls).hasValue(1);
    }

    @Test
    void aFailedLoadWhoseSetValueLeftIsNotSharedWithLaterMisses() throws Exception {
        ArrowCache<String, Object> cache = oneEntryCache();
        CompletableFuture<Object> failing = new CompletableFuture<>();
        CompletableFuture<Object> first = cache.aget("k", key -> failing);
        cache.set("k", "set");
        cache.remove("k");

        failing.completeExceptionally(new IllegalStateException("upstream down"));

        assertThat(first).isCompletedExceptionally();
        assertThat(cache.get("k", key -> "fresh")).as("the next miss loads again").isEqualTo("fresh");
    }

    /**
     * Races the end of a load against the value set during it leaving the cache, many times: whichever comes first,
     * no finished load may stay in the map, where every later miss would be handed its stale outcome instead of
     * loading.
     */
    @Test
    void aLoadFinishingWhileItsSetValueLeavesNeverStaysBehind() throws Exception {
        ArrowCache<String, Object> cache = ArrowCache.builder().maxEntries(100).build();
        for (int round = 0; round < 2_000; round++) {
            String key = "k" + round;
            CompletableFuture<Object> load = new CompletableFuture<>();
            CompletableFuture<Object> first = cache.aget(key, k -> load);
            cache.set(key, "set");
            CountDownLatch go = new CountDownLatch(1);
            Future<?> finishing = threads.submit(() -> {
                go.await();
                return load.complete("loaded");
            });
            Future<?> removing = threads.submit(() -> {
                go.await();
                return cache.remove(key);
            });
            go.countDown();
            finishing.get(10, TimeUnit.SECONDS);
            removing.get(10, TimeUnit.SECONDS);

            assertThat(first.join()).isEqualTo("loaded");
            Object after = cache.get(key);
            assertThat(after).as("round %d: either the load's value stayed or nothing", round)
                .isIn("loaded", null);
            if (after == null) {
                AtomicInteger calls = new AtomicInteger();
                assertThat(cache.get(key, k -> {
                    calls.incrementAndGet();
                    return "fresh";
                })).isEqualTo("fresh");
                assertThat(calls).as("round %d: a miss after the race loads again", round).hasValue(1);
            }
        }
    }

    /** Starts a synchronous miss on another thread and returns once it either waits for a load or called the loader. */
    private Future<Object> missOnAThread(ArrowCache<String, Object> cache, BlockingLoader loader) {
        AtomicReference<Thread> missing = new AtomicReference<>();
        Future<Object> second = threads.submit(() -> {
            missing.set(Thread.currentThread());
            return cache.get("k", loader);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> second.isDone() || loader.calls.get() > 1
                || (missing.get() != null && missing.get().getState() == Thread.State.WAITING));
        return second;
    }

    /**
     * A loader that counts its calls and the calls that overlap, and does not return until {@link #release} opens;
     * usable as a synchronous loader or, through {@link #startAsync}, as an asynchronous one.
     */
    private final class BlockingLoader implements Function<String, Object> {

        final CountDownLatch started = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        final AtomicInteger calls = new AtomicInteger();

        final AtomicInteger running = new AtomicInteger();

        final AtomicInteger overlaps = new AtomicInteger();

        private final Object value;

        BlockingLoader(Object value) {
            this.value = value;
        }

        @Override
        public Object apply(String key) {
            calls.incrementAndGet();
            return block(key);
        }

        /** Counts the call on the calling thread, as the cache calls it, and blocks on another. */
        CompletableFuture<Object> startAsync(String key) {
            calls.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> block(key), threads);
        }

        private Object block(String key) {
            if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            started.countDown();
            try {
                release.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading " + key, ex);
            }
            finally {
                running.decrementAndGet();
            }
            return value;
        }
    }
}
