package dev.quiver.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

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
 * Read throughput of a cache that holds every key asked for: the hit path alone.
 * <p>
 * Workload: {@value #ENTRIES} entries are stored in {@code @Setup} (the cache's size bound is the same, and expiry
 * is 3 hours, so nothing leaves); each benchmark thread then reads keys from a ring of {@value #DRAWS} keys drawn from
 * a Zipf distribution (exponent {@value ZipfKeys#DEFAULT_EXPONENT}, fixed seed) over those entries, starting at a
 * random offset. Every read hits. Two threads by default, on the same cache. Modelled on Caffeine's
 * {@code GetPutBenchmark} read-only group.
 * <pre>{@code
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar CacheHitBenchmark -t 2 -f 1 -wi 2 -w 2s -i 3 -r 2s
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
public class CacheHitBenchmark {

    static final int ENTRIES = 2000;
    static final int DRAWS = 1 << 14;
    private static final int DRAW_MASK = DRAWS - 1;
    private static final long SEED = 20_240_601L;

    @Param
    CacheType cacheType;

    BenchmarkedCache<Integer, Integer> cache;
    Integer[] keys;

    /** Each thread's position in the key ring. */
    @State(Scope.Thread)
    public static class ThreadState {
        int index = ThreadLocalRandom.current().nextInt();
    }

    @Setup
    public void fill() {
        cache = cacheType.create(ENTRIES);
        Integer[] entryKeys = new Integer[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            entryKeys[i] = i;
            cache.put(entryKeys[i], entryKeys[i]);
        }
        ZipfKeys zipf = new ZipfKeys(ENTRIES, ZipfKeys.DEFAULT_EXPONENT, SEED);
        keys = new Integer[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            keys[i] = entryKeys[zipf.next()];
        }
        for (Integer key : entryKeys) {
            if (cache.get(key) == null) {
                throw new IllegalStateException(cacheType + " dropped key " + key + " while being filled");
            }
        }
    }

    @Benchmark
    public Integer read(ThreadState thread) {
        return cache.get(keys[thread.index++ & DRAW_MASK]);
    }
}
