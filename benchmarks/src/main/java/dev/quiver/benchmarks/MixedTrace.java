package dev.quiver.benchmarks;

import java.util.SplittableRandom;

import dev.quiver.testsupport.ZipfKeys;

/**
 * The operations of scenario 2, drawn the same way for its throughput benchmark ({@link CacheMixedBenchmark}) and its
 * hit-rate count ({@link CacheHitRateTrace}): keys from a Zipf distribution over {@value #DISTINCT_KEYS} keys with a
 * fixed seed, one operation in ten a write, against caches bounded to {@value #MAX_ENTRIES} entries.
 *
 * @param keys the key of each operation
 * @param writes whether each operation writes (otherwise it reads with a loader)
 */
record MixedTrace(int[] keys, boolean[] writes) {

    /** The keys the trace draws from. */
    static final int DISTINCT_KEYS = 100_000;

    /** The size bound of the caches replaying it. */
    static final int MAX_ENTRIES = 2000;

    /** The share of writes. */
    static final double WRITE_SHARE = 0.10;

    private static final long SEED = 42L;

    /**
     * Draws a trace.
     *
     * @param operations how many operations
     * @param exponent the Zipf exponent
     * @return the trace, the same for the same arguments
     */
    static MixedTrace draw(int operations, double exponent) {
        ZipfKeys zipf = new ZipfKeys(DISTINCT_KEYS, exponent, SEED);
        SplittableRandom kinds = new SplittableRandom(SEED);
        int[] keys = new int[operations];
        boolean[] writes = new boolean[operations];
        for (int i = 0; i < operations; i++) {
            keys[i] = zipf.next();
            writes[i] = kinds.nextDouble() < WRITE_SHARE;
        }
        return new MixedTrace(keys, writes);
    }
}
