package dev.quiver.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import dev.quiver.objects.ArrowCache;
import dev.quiver.testsupport.Heap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 6, cache under load: 8 threads run 1,000,000 mixed operations each (loading gets, plain gets, async
 * loading gets, sets, removes) over 1,000,000 keys, skewed so that some keys are hot, on an {@link ArrowCache} of
 * 2,000 entries. Whenever the threads pause, the size is within its bound of 2,000 entries (while they write it may
 * exceed it by the few entries waiting to be culled; {@code BufferedCullerTest} checks that allowance); used heap after GC does not grow between the checkpoints at 25% and 100% of the run; and no key is ever
 * being loaded twice at once: a per-key in-flight counter, raised and lowered by the loader, never exceeds 1, so
 * concurrent misses of a key share one loader call.
 */
@Tag("reliability")
class ArrowCacheLoadTest {

    private static final int THREADS = 8;

    private static final int OPERATIONS_PER_THREAD = 1_000_000;

    private static final int KEYS = 1_000_000;

    private static final int MAX_ENTRIES = 2_000;

    private static final int CHECKPOINTS = 4;

    /** Generous: the cache's own live set is well under a megabyte; this is GC and JIT noise room. */
    private static final long HEAP_GROWTH_BOUND = 16L * 1024 * 1024;

    @Test
    void eightMillionMixedOperationsKeepTheSizeBoundedTheHeapFlatAndOneLoadPerKeyAtATime() throws Exception {
        ArrowCache<Integer, byte[]> cache = ArrowCache.builder()
            .name("load")
            .expiration(Duration.ofSeconds(2))
            .maxEntries(MAX_ENTRIES)
            .build();
        AtomicIntegerArray inFlight = new AtomicIntegerArray(KEYS);
        LongAdder loaderCalls = new LongAdder();
        LongAdder concurrentLoads = new LongAdder();
        LongAccumulator largestSize = new LongAccumulator(Math::max, 0);
        long largestSizeAtRest = 0;
        java.util.function.Function<Integer, byte[]> loader = (key) -> {
            if (inFlight.incrementAndGet(key) != 1) {
                concurrentLoads.increment();
            }
            loaderCalls.increment();
            byte[] value = new byte[64];
            value[0] = (byte) key.intValue();
            // a load takes a moment, so that other misses of a hot key arrive while it runs
            for (int i = 0; i < 20; i++) {
                Thread.onSpinWait();
            }
            inFlight.decrementAndGet(key);
            return value;
        };
        CyclicBarrier checkpoint = new CyclicBarrier(THREADS + 1);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        long[] heapAfterGc = new long[CHECKPOINTS];
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                running.add(threads.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int phase = 0; phase < CHECKPOINTS; phase++) {
                        for (int i = 0; i < OPERATIONS_PER_THREAD / CHECKPOINTS; i++) {
                            // cubing a uniform draw skews towards low keys: a hot head and a long cold tail
                            double draw = random.nextDouble();
                            int key = (int) (draw * draw * draw * KEYS);
                            int operation = random.nextInt(100);
                            if (operation < 60) {
                                assertThat(cache.get(key, loader)[0]).isEqualTo((byte) key);
                            }
                            else if (operation < 75) {
                                cache.get(key);
                            }
                            else if (operation < 85) {
                                cache.aget(key, (k) -> CompletableFuture.completedFuture(loader.apply(k)))
                                    .get(10, TimeUnit.SECONDS);
                            }
                            else if (operation < 95) {
                                byte[] value = new byte[64];
                                value[0] = (byte) key;
                                cache.set(key, value);
                            }
                            else {
                                cache.remove(key);
                            }
                            if ((i & 1023) == 0) {
                                largestSize.accumulate(cache.size());
                            }
                        }
                        checkpoint.await(120, TimeUnit.SECONDS);
                        // wait here while the test measures the heap
                        checkpoint.await(120, TimeUnit.SECONDS);
                    }
                    return null;
                }));
            }
            for (int phase = 0; phase < CHECKPOINTS; phase++) {
                checkpoint.await(120, TimeUnit.SECONDS);
                largestSizeAtRest = Math.max(largestSizeAtRest, cache.size());
                heapAfterGc[phase] = Heap.usedAfterGc(Duration.ofMillis(50));
                checkpoint.await(120, TimeUnit.SECONDS);
            }
            for (Future<?> thread : running) {
                thread.get(120, TimeUnit.SECONDS);
            }
        }
        finally {
            threads.shutdownNow();
        }
        long elapsedMillis = Figures.millisSince(start);
        ArrowCache.Stats stats = cache.stats();
        long operations = (long) THREADS * OPERATIONS_PER_THREAD;

        assertThat(largestSizeAtRest).as("largest size while the threads paused").isLessThanOrEqualTo(MAX_ENTRIES);
        assertThat(cache.size()).isLessThanOrEqualTo(MAX_ENTRIES);
        assertThat(concurrentLoads.sum()).as("loads of a key that overlapped another load of it").isZero();
        assertThat(stats.loads()).as("loads the cache counted").isEqualTo(loaderCalls.sum());
        long growth = heapAfterGc[CHECKPOINTS - 1] - heapAfterGc[0];
        assertThat(growth).as("used heap growth after GC from 25%% to 100%% of the run").isLessThan(HEAP_GROWTH_BOUND);
        Figures.report(6, "%d threads x %d ops = %d ops over %d keys in %d ms (%.1f M ops/s) on a %d-entry "
                + "ArrowCache: largest size while paused %d, while writing %d (bound %d); %d loader calls, no key loaded twice at once; hits %d, "
                + "misses %d, evictions %d, puts %d; used heap after GC at 25/50/75/100%%: %s MiB (growth %+.1f MiB, "
                + "bound %d MiB)", THREADS, OPERATIONS_PER_THREAD, operations, KEYS, elapsedMillis,
                operations / 1000.0 / Math.max(1, elapsedMillis), MAX_ENTRIES, largestSizeAtRest, largestSize.get(), MAX_ENTRIES,
                loaderCalls.sum(), stats.hits(), stats.misses(), stats.evictions(), stats.puts(),
                mebibytes(heapAfterGc), growth / 1024.0 / 1024.0, HEAP_GROWTH_BOUND / 1024 / 1024);
    }

    private static String mebibytes(long[] bytes) {
        List<String> parts = new ArrayList<>();
        for (long value : bytes) {
            parts.add(String.format(java.util.Locale.ROOT, "%.1f", value / 1024.0 / 1024.0));
        }
        return String.join("/", parts);
    }
}
