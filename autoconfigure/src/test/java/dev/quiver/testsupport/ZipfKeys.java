package dev.quiver.testsupport;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws integer keys in {@code [0, distinctKeys)} with Zipf-distributed popularity, deterministically from a seed.
 * <p>
 * The key of popularity rank {@code r} is drawn with probability proportional to {@code 1 / r^exponent}. Ranks are
 * mapped to keys through a seeded shuffle, so that the hot keys are not simply the smallest integers (as in YCSB's
 * scrambled Zipfian generator, which Caffeine's benchmarks use). Shared by the benchmarks and the cull policy's
 * tests, so that both judge the same traces.
 */
public final class ZipfKeys {

    /** YCSB's and Caffeine's benchmark skew. */
    public static final double DEFAULT_EXPONENT = 0.99;

    private final double[] cumulative;
    private final int[] keyOfRank;
    private final SplittableRandom random;

    /**
     * Creates a generator.
     *
     * @param distinctKeys how many keys there are
     * @param exponent the skew; larger means a few keys take more of the draws
     * @param seed fixes the shuffle and the draws
     */
    public ZipfKeys(int distinctKeys, double exponent, long seed) {
        this.random = new SplittableRandom(seed);
        this.cumulative = new double[distinctKeys];
        double total = 0;
        for (int rank = 0; rank < distinctKeys; rank++) {
            total += 1.0 / Math.pow(rank + 1, exponent);
            cumulative[rank] = total;
        }
        for (int rank = 0; rank < distinctKeys; rank++) {
            cumulative[rank] /= total;
        }
        this.keyOfRank = new int[distinctKeys];
        for (int i = 0; i < distinctKeys; i++) {
            keyOfRank[i] = i;
        }
        for (int i = distinctKeys - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = keyOfRank[i];
            keyOfRank[i] = keyOfRank[j];
            keyOfRank[j] = swap;
        }
    }

    /**
     * Draws the next key.
     *
     * @return a key in {@code [0, distinctKeys)}
     */
    public int next() {
        int index = Arrays.binarySearch(cumulative, random.nextDouble());
        int rank = index >= 0 ? index : Math.min(-index - 1, cumulative.length - 1);
        return keyOfRank[rank];
    }
}
