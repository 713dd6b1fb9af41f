package dev.quiver.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.quiver.testsupport.Workload;

/**
 * Tests that the cull policy keeps its hit rate on each workload shape of the benchmarks' hit-rate simulation
 * ({@code HitRateSimulation} in the benchmarks module), replayed through an {@link ArrowCache} on one thread.
 * <p>
 * The traces are the simulation's own ({@link Workload}), drawn from a fixed seed, so every run replays the same requests and gets
 * the same hit rate. Each bound lies under ArrowCache's hit rate in the simulation's table by at most a point and a
 * quarter, and above 0.9 times Caffeine's there (noted beside it); a change to the policy that loses more fails here.
 */
class AdaptiveCullerHitRateTest {

    @Test
    void recencyHeavyKeysReusedSoonAfterFirstUseAreKeptAsByLru() {
        // Caffeine 61.8%, LRU 66.6%, optimum 71.4%
        assertThat(hitRate(Workload.RECENCY.keys(), 100, true)).isGreaterThan(0.630);
    }

    @Test
    void recencyHeavyKeysAreKeptWithoutStatisticsToo() {
        // noted hits stand in for the hit counter when the cache keeps no statistics
        assertThat(hitRate(Workload.RECENCY.keys(), 100, false)).isGreaterThan(0.600);
    }

    @Test
    void frequencyHeavyZipfKeepsThePopularSet() {
        // Caffeine 50.7%, LRU 41.1%, optimum 59.9%
        assertThat(hitRate(Workload.FREQUENCY.keys(), 2_000, true)).isGreaterThan(0.500);
    }

    @Test
    void shiftingPopularSetIsFollowed() {
        // Caffeine 58.0%, LRU 55.2%, optimum 72.6%
        assertThat(hitRate(Workload.SHIFTING.keys(), 1_000, true)).isGreaterThan(0.570);
    }

    @Test
    void loopLargerThanTheCacheKeepsPartOfIt() {
        // Caffeine 46.7%, LRU 0%, optimum 49.4%
        assertThat(hitRate(Workload.LOOP.keys(), 2_500, true)).isGreaterThan(0.455);
    }

    @Test
    void zigzagScansLargerThanTheCacheKeepPartOfThem() {
        // Caffeine 46.3%, LRU and optimum 49.4%
        assertThat(hitRate(Workload.ZIGZAG.keys(), 2_500, true)).isGreaterThan(0.420);
    }

    @Test
    void loopUnderAHotSetKeepsTheHotSet() {
        // Caffeine 50.2%, LRU 40.9%, optimum 52.2%
        assertThat(hitRate(Workload.LOOP_AND_HOT.keys(), 2_000, true)).isGreaterThan(0.490);
    }

    @Test
    void oneHitWondersDoNotFloodTheHotSet() {
        // Caffeine 35.0%, LRU 24.7%, optimum 41.1%
        assertThat(hitRate(Workload.ONE_HIT_WONDERS.keys(), 1_000, true)).isGreaterThan(0.340);
    }

    private static double hitRate(int[] keys, int maxEntries, boolean recordStats) {
        ArrowCache<Integer, Integer> cache = ArrowCache.builder().maxEntries(maxEntries).recordStats(recordStats)
                .build();
        long[] loads = new long[1];
        Function<Integer, Integer> loader = key -> {
            loads[0]++;
            return key;
        };
        for (int key : keys) {
            cache.get(key, loader);
        }
        return (double) (keys.length - loads[0]) / keys.length;
    }
}
