package dev.quiver.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.quiver.testsupport.ZipfKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Throughput of a bounded cache under a mixed load that misses and culls: 90% reads with a loader, 10% writes.
 * <p>
 * Workload: a ring of {@value #DRAWS} operations on keys drawn from a Zipf distribution (exponent
 * {@value ZipfKeys#DEFAULT_EXPONENT}, fixed seed) over {@value MixedTrace#DISTINCT_KEYS} keys, one in ten a write
 * ({@code set}/{@code put}), the rest {@code get(key, loader)} with a loader that returns the key; every cache is
 * bounded to {@value MixedTrace#MAX_ENTRIES} entries with a 3-hour expiry, so misses load and evict all the time.
 * Two threads walk the ring from random offsets on the same cache. {@link CacheHitRateTrace} replays the same kind
 * of trace ({@link MixedTrace}) single-threaded and counts hits. Target: ArrowCache's throughput at least
 * Caffeine's.
 * <pre>{@code
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar CacheMixedBenchmark -t 2 -f 1 -wi 2 -w 2s -i 3 -r 3s
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
public class CacheMixedBenchmark {

    static final int DRAWS = 1 << 16;

    private static final int DRAW_MASK = DRAWS - 1;

    private static final Function<Integer, Integer> LOADER = (key) -> key;

    /** The cache under test (bounded ones only: an unbounded map would hold all 100,000 keys). */
    @Param({ "ARROW", "CAFFEINE" })
    CacheType cacheType;

    BenchmarkedCache<Integer, Integer> cache;

    Integer[] keys;

    boolean[] writes;

    /** Each thread's position in the operation ring. */
    @State(Scope.Thread)
    public static class ThreadState {

        int index = ThreadLocalRandom.current().nextInt();
    }

    /**
     * Creates the cache and draws the operation ring.
     */
    @Setup
    public void draw() {
        this.cache = this.cacheType.create(MixedTrace.MAX_ENTRIES);
        MixedTrace trace = MixedTrace.draw(DRAWS, ZipfKeys.DEFAULT_EXPONENT);
        this.keys = new Integer[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            this.keys[i] = trace.keys()[i];
        }
        this.writes = trace.writes();
    }

    /**
     * Runs the next operation of the ring.
     *
     * @param thread this thread's position
     * @return the value read, or {@code null} after a write
     */
    @Benchmark
    public Integer operate(ThreadState thread) {
        int index = thread.index++ & DRAW_MASK;
        Integer key = this.keys[index];
        if (this.writes[index]) {
            this.cache.put(key, key);
            return null;
        }
        return this.cache.get(key, LOADER);
    }
}
