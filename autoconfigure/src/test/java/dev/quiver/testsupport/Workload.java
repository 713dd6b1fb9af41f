package dev.quiver.testsupport;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The workload shapes a cache's hit rate is judged on, each a deterministic trace of keys from a fixed seed, with the
 * cache sizes it is replayed at.
 * <p>
 * Every shape stands for a kind of real traffic and favours a different policy, so that no one setting of a cull
 * policy wins them all by luck: recency (LRU is optimal), frequency (LFU is), a popular set that shifts, loops and
 * scans larger than the cache (LRU gets nothing), a loop under a hot set, and a flood of keys seen once.
 */
public enum Workload {

    /**
     * Each key is read a few times within a short span of its first use, then never again (sessions, transactions,
     * a vault of recent records); about 400,000 requests.
     */
    RECENCY(new int[] {25, 50, 75, 100, 200}) {
        @Override
        public int[] keys() {
            SplittableRandom random = new SplittableRandom(SEED);
            int newKeys = 100_000;
            long[] events = new long[newKeys * 5];
            int count = 0;
            for (int key = 0; key < newKeys; key++) {
                long start = key * 4L;
                events[count++] = start << 32 | key;
                int reuses = 1 + random.nextInt(4);
                for (int i = 0; i < reuses; i++) {
                    long at = start + 1 + (long) (-Math.log(1 - random.nextDouble()) * 120);
                    events[count++] = at << 32 | key;
                }
            }
            long[] ordered = Arrays.copyOf(events, count);
            Arrays.sort(ordered);
            int[] keys = new int[count];
            for (int i = 0; i < count; i++) {
                keys[i] = (int) ordered[i];
            }
            return keys;
        }
    },

    /** A stable popular set under a long cold tail: Zipf (exponent 0.9) over 100,000 keys, 500,000 requests. */
    FREQUENCY(new int[] {500, 1_000, 2_000, 4_000, 8_000}) {
        @Override
        public int[] keys() {
            ZipfKeys zipf = new ZipfKeys(100_000, 0.9, SEED);
            int[] keys = new int[500_000];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = zipf.next();
            }
            return keys;
        }
    },

    /** Zipf (0.9) over 10,000 keys whose identity changes every 50,000 requests; 500,000 requests. */
    SHIFTING(new int[] {250, 500, 1_000, 2_000, 4_000}) {
        @Override
        public int[] keys() {
            ZipfKeys zipf = new ZipfKeys(10_000, 0.9, SEED);
            int[] keys = new int[500_000];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = (i / 50_000) * 1_000_000 + zipf.next();
            }
            return keys;
        }
    },

    /** A loop over 5,000 keys, in the same order each time; 400,000 requests. */
    LOOP(new int[] {1_000, 2_500, 3_500, 4_500}) {
        @Override
        public int[] keys() {
            int[] keys = new int[400_000];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = i % 5_000;
            }
            return keys;
        }
    },

    /** Scans over 5,000 keys, forwards then backwards; 400,000 requests. */
    ZIGZAG(new int[] {1_000, 2_500, 3_500, 4_500}) {
        @Override
        public int[] keys() {
            return zigzag(5_000);
        }
    },

    /**
     * Scans over 3,000 keys, forwards then backwards: the same shape as {@link #ZIGZAG} with a shorter period, so
     * that a policy cannot fit one period; 400,000 requests.
     */
    SHORT_ZIGZAG(new int[] {1_000, 2_000, 2_700}) {
        @Override
        public int[] keys() {
            return zigzag(3_000);
        }
    },

    /** Half the requests Zipf (0.9) over 1,000 hot keys, half a loop over 20,000 others; 500,000 requests. */
    LOOP_AND_HOT(new int[] {500, 1_000, 2_000, 4_000, 8_000}) {
        @Override
        public int[] keys() {
            SplittableRandom random = new SplittableRandom(SEED);
            ZipfKeys zipf = new ZipfKeys(1_000, 0.9, SEED);
            int[] keys = new int[500_000];
            int loop = 0;
            for (int i = 0; i < keys.length; i++) {
                keys[i] = random.nextBoolean() ? zipf.next() : 1_000_000 + loop++ % 20_000;
            }
            return keys;
        }
    },

    /** Half the requests Zipf (0.9) over 5,000 hot keys, half keys never seen before or again; 500,000 requests. */
    ONE_HIT_WONDERS(new int[] {250, 500, 1_000, 2_000, 4_000}) {
        @Override
        public int[] keys() {
            SplittableRandom random = new SplittableRandom(SEED);
            ZipfKeys zipf = new ZipfKeys(5_000, 0.9, SEED);
            int[] keys = new int[500_000];
            int fresh = 1_000_000;
            for (int i = 0; i < keys.length; i++) {
                keys[i] = random.nextBoolean() ? zipf.next() : fresh++;
            }
            return keys;
        }
    };

    private static final long SEED = 20;

    private final int[] sizes;

    Workload(int[] sizes) {
        this.sizes = sizes;
    }

    /**
     * Returns the cache sizes this shape is replayed at.
     *
     * @return the bounds, smallest first
     */
    public int[] sizes() {
        return sizes.clone();
    }

    /**
     * Draws the trace; the same every call.
     *
     * @return the keys requested, in order
     */
    public abstract int[] keys();

    /** Scans over {@code keysPerScan} keys, forwards then backwards, for 400,000 requests. */
    private static int[] zigzag(int keysPerScan) {
        int[] keys = new int[400_000];
        for (int i = 0; i < keys.length; i++) {
            int position = i % keysPerScan;
            keys[i] = (i / keysPerScan) % 2 == 0 ? position : keysPerScan - 1 - position;
        }
        return keys;
    }
}
