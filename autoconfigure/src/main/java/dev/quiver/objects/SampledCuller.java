package dev.quiver.objects;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * The cull policy of an {@link ArrowCache}: approximated LFU by sampling, in the manner of Redis's
 * {@code allkeys-lfu}.
 * <p>
 * Every resident entry sits in a dense table so that a few random ones can be drawn in constant time. The victim is
 * the expired entry of the sample if there is one, else the least frequently used, the least recently used among
 * equals; and a new entry that is no more popular than that victim goes in its place (a delayed form of TinyLFU's
 * admission filter, which keeps one-off keys from pushing out popular ones).
 * <p>
 * Frequencies cost the hit path almost nothing: a hit only sets a flag on its entry, usually set already (see
 * {@link CacheEntry#recordAccess()}), which the policy folds into the entry's frequency when a sample visits it, like
 * the reference bit of CLOCK. A new entry starts at its key's estimate in a {@link FrequencySketch}, which also
 * remembers culled entries, and every frequency is halved periodically so that the policy follows a changing
 * workload. The epoch that orders accesses advances every few writes.
 * <p>
 * Not thread-safe: {@link BufferedCuller} calls it under its lock only.
 */
final class SampledCuller<K, V> {

    private static final int SAMPLE_SIZE = 8;
    private static final int WRITES_PER_EPOCH = 4;
    /** Writes between two halvings of every frequency, per entry of capacity; tuned on the hit-rate trace. */
    private static final int AGING_PERIOD_PER_ENTRY = 20;

    private final FrequencySketch sketch;
    private final int agingPeriod;
    private CacheEntry<K, V>[] slots;
    private int count;
    private int writes;
    private int writesSinceAging;
    private long randomState = 0x9E3779B97F4A7C15L;
    private int epoch;
    /** The latest new entry, on probation until the next cull (see {@link #victim(long)}). */
    private @Nullable CacheEntry<K, V> newest;

    /**
     * Creates the policy for a cache of at most {@code maxEntries} entries.
     *
     * @param maxEntries the cache's size bound
     */
    @SuppressWarnings("unchecked")
    SampledCuller(int maxEntries) {
        this.sketch = new FrequencySketch(maxEntries);
        this.agingPeriod = (int) Math.min(Integer.MAX_VALUE, (long) AGING_PERIOD_PER_ENTRY * Math.max(maxEntries, 64));
        this.slots = (CacheEntry<K, V>[]) new CacheEntry<?, ?>[Math.min(maxEntries, 1024)];
    }

    /**
     * Returns how many entries the policy tracks, which is how many the cache holds.
     *
     * @return the number of tracked entries
     */
    int size() {
        return count;
    }

    /**
     * Starts tracking an entry for a key that was absent.
     *
     * @param entry the new entry
     */
    void added(CacheEntry<K, V> entry) {
        entry.frequency = Math.max(1, sketch.incrementAndEstimate(entry.key));
        entry.accessEpoch = epoch;
        if (count == slots.length) {
            slots = Arrays.copyOf(slots, Math.max(16, count * 2));
        }
        entry.slot = count;
        slots[count++] = entry;
        newest = entry;
        afterWrite();
    }

    /**
     * Tracks {@code replacement} in place of {@code replaced}, which held the same key; popularity carries over.
     *
     * @param replaced the entry leaving
     * @param replacement the entry taking its place
     */
    void replaced(CacheEntry<K, V> replaced, CacheEntry<K, V> replacement) {
        replacement.frequency = replaced.frequency;
        replacement.referenced = replaced.referenced;
        replacement.accessEpoch = epoch;
        replacement.slot = replaced.slot;
        slots[replaced.slot] = replacement;
        replaced.slot = -1;
        afterWrite();
    }

    /**
     * Stops tracking an entry that left the cache.
     *
     * @param entry the entry removed
     */
    void removed(CacheEntry<K, V> entry) {
        int slot = entry.slot;
        if (slot < 0) {
            return;
        }
        CacheEntry<K, V> last = slots[--count];
        slots[slot] = last;
        last.slot = slot;
        slots[count] = null;
        entry.slot = -1;
    }

    /**
     * Chooses the entry to cull so that one more fits; the caller removes it from the cache and reports it with
     * {@link #evicted(CacheEntry)}.
     * <p>
     * The newest entry is culled instead of the sample's coldest when it is no more popular: a new key must prove
     * itself against the residents, as in TinyLFU's admission, yet stays readable until the next insert.
     *
     * @param nowNanos the current time, to prefer an expired entry
     * @return the victim, or {@code null} when nothing is tracked
     */
    @Nullable CacheEntry<K, V> victim(long nowNanos) {
        if (count == 0) {
            return null;
        }
        int draws = Math.min(SAMPLE_SIZE, count);
        boolean scanAll = count <= SAMPLE_SIZE;
        CacheEntry<K, V> victim = null;
        for (int i = 0; i < draws; i++) {
            CacheEntry<K, V> candidate = slots[scanAll ? i : randomSlot()];
            candidate.foldAccess(epoch);
            if (!candidate.isLiveAt(nowNanos)) {
                return candidate;
            }
            if (victim == null || colder(candidate, victim)) {
                victim = candidate;
            }
        }
        CacheEntry<K, V> probationer = newest;
        if (probationer != null) {
            probationer.foldAccess(epoch);
        }
        if (probationer != null && probationer.slot >= 0 && probationer != victim
                && probationer.frequency <= victim.frequency) {
            return probationer;
        }
        return victim;
    }

    /**
     * Stops tracking a culled entry and remembers its popularity should its key come back.
     *
     * @param entry the entry culled
     */
    void evicted(CacheEntry<K, V> entry) {
        sketch.remember(entry.key, entry.frequency);
        removed(entry);
    }

    private static boolean colder(CacheEntry<?, ?> candidate, CacheEntry<?, ?> than) {
        if (candidate.frequency != than.frequency) {
            return candidate.frequency < than.frequency;
        }
        return candidate.accessEpoch - than.accessEpoch < 0;
    }

    private void afterWrite() {
        if (++writes % WRITES_PER_EPOCH == 0) {
            epoch++;
        }
        if (++writesSinceAging >= agingPeriod) {
            writesSinceAging = 0;
            sketch.halve();
            for (int i = 0; i < count; i++) {
                slots[i].frequency >>= 1;
            }
        }
    }

    private int randomSlot() {
        // xorshift64*: fast, and deterministic so that hit-rate measurements repeat
        long x = randomState;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        randomState = x;
        return (int) (((x * 0x2545F4914F6CDD1DL) >>> 33) % count);
    }
}
