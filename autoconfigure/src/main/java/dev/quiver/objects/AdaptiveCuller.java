package dev.quiver.objects;

import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The cull policy of an {@link ArrowCache}: Window TinyLFU whose window adapts to the workload by hill climbing, in
 * the manner of Caffeine, with each queue kept as a CLOCK so that a hit only sets a flag.
 * <p>
 * A new entry enters the admission window. Past the window's share of the bound, the window's oldest unreferenced
 * entry moves to the main space's probation queue as a candidate, and must then beat probation's oldest unreferenced
 * entry on popularity (a {@link FrequencySketch} of insertions and noted hits, which remembers keys no longer held)
 * by more than the one count of its own insertion to stay; the loser is culled. A referenced entry that reaches the
 * head of probation is promoted to the protected queue (four fifths of the main space), whose overflow goes back to
 * probation. So keys reused soon after first use live in the window, as under LRU, and keys reused over a long span
 * in the main space, as under LFU, and one-off keys cannot push popular ones out.
 * <p>
 * Hits cost the hit path nothing beyond {@link CacheEntry#recordAccess()}: the flag is the reference bit of CLOCK,
 * read and cleared here when an entry reaches the head of its queue, which then gets a second chance at the tail and
 * one more count in the sketch. The share of the window climbs the hit rate: every ten times the bound of requests
 * (hits, read from the cache's own counter every few dozen insertions, and insertions) the window moves by a step,
 * onwards while the hit rate rises and back, by a smaller step, when it falls; the step grows back to its full size
 * when the hit rate jumps. Without a hit counter, noted hits stand in for hits. An expired candidate or victim is
 * culled first.
 * <p>
 * Not thread-safe: {@link BufferedCuller} calls it under its lock only.
 */
final class AdaptiveCuller<K, V> {

    static final int UNTRACKED = -1;
    static final int WINDOW = 0;
    static final int PROBATION = 1;
    static final int PROTECTED = 2;

    private static final double INITIAL_WINDOW_SHARE = 0.01;
    private static final double PROTECTED_SHARE = 0.8;
    /** Requests per entry of the bound in one sample of the hit rate. */
    private static final int SAMPLE_PER_ENTRY = 10;
    /**
     * Sketch increments per entry of the bound between two halvings of every count. The sketch counts insertions and
     * noted hits, fewer than every access, so it ages after fewer of them than Caffeine's; measured with the
     * benchmarks' hit-rate simulation.
     */
    private static final int AGING_PER_ENTRY = 3;
    /** The window's full step, as a share of the bound. */
    private static final double STEP_SHARE = 0.0625;
    /** The smallest step, as a share of the bound (and at least one entry), so that small caches keep adapting. */
    private static final double MIN_STEP_SHARE = 0.005;
    /** How much a step shrinks each time the hit rate fell after it and the window turns back. */
    private static final double STEP_SHRINK = 0.9;
    /** A change of the hit rate between two samples this large means the workload changed: steps grow to full size. */
    private static final double RESTART_THRESHOLD = 0.05;
    /**
     * How many counts more than the victim a candidate needs to be admitted, beyond beating it. The candidate's count
     * includes the insertion that just brought it in, while the victim's hits count only once CLOCK notes them; a
     * candidate ahead by that one count alone is no more popular. Admitting it made loops and scans that come back to
     * keys just culled churn the main space (zigzag scans lost up to a sixth of their hits).
     */
    private static final int ADMISSION_MARGIN = 1;
    /**
     * Insertions between two readings of the cache's hit counter, which sums the cells other threads write on every
     * hit: reading it on every insertion would pull those cells from their cores.
     */
    private static final int MISSES_PER_HIT_COUNT = 64;
    /** A candidate at least this popular is admitted now and then against a victim as popular, so no hot key starves. */
    private static final int WARM_CANDIDATE = 6;

    private final int maxEntries;
    private final FrequencySketch sketch;
    private final @Nullable LongSupplier hitCount;
    private final Queue<K, V> window = new Queue<>();
    private final Queue<K, V> probation = new Queue<>();
    private final Queue<K, V> protectedQueue = new Queue<>();
    private final int sampleSize;
    private final int agingPeriod;

    private int windowMax;
    private int count;
    private int increments;
    private double stepSize;
    private double previousHitRate;
    private long hitsAtSample;
    private long notedHits;
    private long missesInSample;
    private int randomState = 0x9E3779B9;

    /**
     * Creates the policy for a cache of at most {@code maxEntries} entries.
     *
     * @param maxEntries the cache's size bound
     * @param hitCount the cache's count of hits so far, or {@code null} when it counts none
     */
    AdaptiveCuller(int maxEntries, @Nullable LongSupplier hitCount) {
        this.maxEntries = maxEntries;
        this.sketch = new FrequencySketch(maxEntries);
        this.hitCount = hitCount;
        this.windowMax = windowBounded((int) (maxEntries * INITIAL_WINDOW_SHARE));
        this.sampleSize = SAMPLE_PER_ENTRY * Math.max(maxEntries, 64);
        this.agingPeriod = AGING_PER_ENTRY * Math.max(maxEntries, 64);
        this.stepSize = fullStep();
        this.hitsAtSample = hits();
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
     * Returns how many entries the admission window may hold now.
     *
     * @return the window's bound
     */
    int windowMax() {
        return windowMax;
    }

    /**
     * Starts tracking an entry for a key that was absent.
     *
     * @param entry the new entry
     */
    void added(CacheEntry<K, V> entry) {
        increment(entry.key);
        window.addLast(entry, WINDOW);
        count++;
        if (++missesInSample % MISSES_PER_HIT_COUNT == 0) {
            climb();
        }
    }

    /**
     * Tracks {@code replacement} in place of {@code replaced}, which held the same key, in its queue and position.
     *
     * @param replaced the entry leaving
     * @param replacement the entry taking its place
     */
    void replaced(CacheEntry<K, V> replaced, CacheEntry<K, V> replacement) {
        replacement.referenced |= replaced.referenced;
        queueOf(replaced.slot).swap(replaced, replacement);
    }

    /**
     * Stops tracking an entry that left the cache.
     *
     * @param entry the entry removed
     */
    void removed(CacheEntry<K, V> entry) {
        if (entry.slot == UNTRACKED) {
            return;
        }
        queueOf(entry.slot).unlink(entry);
        count--;
    }

    /**
     * Chooses the entry to cull so that one more fits; the caller removes it from the cache and reports it with
     * {@link #evicted(CacheEntry)}.
     *
     * @param nowNanos the current time, to cull an expired entry first
     * @return the victim, or {@code null} when nothing is tracked
     */
    @Nullable CacheEntry<K, V> victim(long nowNanos) {
        if (count == 0) {
            return null;
        }
        CacheEntry<K, V> candidate = null;
        // the entry about to be added goes to the window: make room there by moving its oldest to probation
        while (window.size >= windowMax && window.size > 0) {
            CacheEntry<K, V> oldest = secondChance(window);
            window.unlink(oldest);
            probation.addLast(oldest, PROBATION);
            if (candidate == null) {
                candidate = oldest;
            }
        }
        CacheEntry<K, V> victim = probationVictim(candidate);
        if (victim == null) {
            // everything is in the window (or a candidate alone): cull its oldest
            return candidate != null ? candidate : secondChance(window.size > 0 ? window : protectedQueue);
        }
        if (candidate == null || candidate == victim) {
            return victim;
        }
        if (!victim.isLiveAt(nowNanos)) {
            return victim;
        }
        if (!candidate.isLiveAt(nowNanos)) {
            return candidate;
        }
        return admit(candidate, victim) ? victim : candidate;
    }

    /**
     * Stops tracking a culled entry.
     *
     * @param entry the entry culled
     */
    void evicted(CacheEntry<K, V> entry) {
        removed(entry);
    }

    /**
     * TinyLFU's admission: a candidate clearly more popular than the victim replaces it; one about as popular, if warm,
     * rarely.
     */
    private boolean admit(CacheEntry<K, V> candidate, CacheEntry<K, V> victim) {
        int candidateFrequency = sketch.estimate(candidate.key);
        int victimFrequency = sketch.estimate(victim.key);
        if (candidateFrequency > victimFrequency + ADMISSION_MARGIN) {
            return true;
        }
        if (candidateFrequency < WARM_CANDIDATE) {
            return false;
        }
        // a little randomness keeps an attacker or an unlucky loop from pinning the main space
        randomState ^= randomState << 13;
        randomState ^= randomState >>> 17;
        randomState ^= randomState << 5;
        return (randomState & 127) == 0;
    }

    /**
     * Returns probation's oldest unreferenced entry, promoting each referenced one met on the way to the protected
     * queue (whose overflow returns to probation's tail), or {@code null} when probation holds nothing but
     * {@code candidate} and entries after it.
     */
    private @Nullable CacheEntry<K, V> probationVictim(@Nullable CacheEntry<K, V> candidate) {
        int protectedMax = (int) ((maxEntries - windowMax) * PROTECTED_SHARE);
        for (int visits = probation.size; visits > 0; visits--) {
            CacheEntry<K, V> head = probation.head;
            if (head == null || head == candidate) {
                break;
            }
            if (!head.referenced) {
                return head;
            }
            head.referenced = false;
            increment(head.key);
            notedHits++;
            probation.unlink(head);
            protectedQueue.addLast(head, PROTECTED);
            while (protectedQueue.size > protectedMax) {
                CacheEntry<K, V> demoted = secondChance(protectedQueue);
                protectedQueue.unlink(demoted);
                probation.addLast(demoted, PROBATION);
            }
        }
        CacheEntry<K, V> head = probation.head;
        if (head != null && head != candidate) {
            return head;
        }
        if (head == candidate && protectedQueue.size > 0 && candidate != null) {
            // probation holds only candidates: the protected queue's oldest stands against them
            CacheEntry<K, V> demoted = secondChance(protectedQueue);
            protectedQueue.unlink(demoted);
            probation.addFirst(demoted, PROBATION);
            return demoted;
        }
        return head;
    }

    /**
     * Returns the queue's oldest unreferenced entry, giving each referenced one met on the way a second chance at the
     * tail; the queue must not be empty.
     */
    private CacheEntry<K, V> secondChance(Queue<K, V> queue) {
        for (int visits = queue.size; visits > 0; visits--) {
            CacheEntry<K, V> head = queue.head;
            if (!head.referenced) {
                return head;
            }
            head.referenced = false;
            increment(head.key);
            notedHits++;
            queue.moveToTail(head);
        }
        return queue.head;
    }

    private void increment(Object key) {
        sketch.incrementAndEstimate(key);
        if (++increments >= agingPeriod) {
            increments = 0;
            sketch.halve();
        }
    }

    /**
     * Moves the window's bound a step once a sample of requests has passed: on in the same direction while the hit
     * rate rises, back by a smaller step when it falls. Unlike a step that shrinks every sample, a step that shrinks
     * only on turning keeps its size while the window is still far from its best share, which a workload whose hit rate
     * swings from sample to sample (scans, a popular set that shifts) would otherwise never reach.
     */
    private void climb() {
        long hits = hits();
        long hitsInSample = hits - hitsAtSample;
        long requests = hitsInSample + missesInSample;
        if (requests < sampleSize) {
            return;
        }
        double hitRate = (double) hitsInSample / requests;
        double change = hitRate - previousHitRate;
        double size = Math.abs(stepSize);
        double direction = Math.signum(stepSize);
        if (change < 0) {
            direction = -direction;
            size = Math.max(size * STEP_SHRINK, Math.max(1, MIN_STEP_SHARE * maxEntries));
        }
        if (Math.abs(change) >= RESTART_THRESHOLD) {
            size = Math.max(size, fullStep());
        }
        stepSize = direction * size;
        previousHitRate = hitRate;
        hitsAtSample = hits;
        missesInSample = 0;
        windowMax = windowBounded(windowMax + (int) Math.round(stepSize));
    }

    private double fullStep() {
        return STEP_SHARE * maxEntries;
    }

    private long hits() {
        LongSupplier counter = hitCount;
        return counter != null ? counter.getAsLong() : notedHits;
    }

    private int windowBounded(int size) {
        return Math.max(1, Math.min(maxEntries - 1, size));
    }

    private Queue<K, V> queueOf(int slot) {
        return switch (slot) {
            case WINDOW -> window;
            case PROBATION -> probation;
            default -> protectedQueue;
        };
    }

    /** A doubly linked queue threaded through the entries themselves, oldest first. */
    private static final class Queue<K, V> {

        @Nullable CacheEntry<K, V> head;
        @Nullable CacheEntry<K, V> tail;
        int size;

        void addLast(CacheEntry<K, V> entry, int slot) {
            entry.slot = slot;
            entry.older = tail;
            entry.newer = null;
            if (tail == null) {
                head = entry;
            } else {
                tail.newer = entry;
            }
            tail = entry;
            size++;
        }

        void addFirst(CacheEntry<K, V> entry, int slot) {
            entry.slot = slot;
            entry.newer = head;
            entry.older = null;
            if (head == null) {
                tail = entry;
            } else {
                head.older = entry;
            }
            head = entry;
            size++;
        }

        void unlink(CacheEntry<K, V> entry) {
            CacheEntry<K, V> older = entry.older;
            CacheEntry<K, V> newer = entry.newer;
            if (older == null) {
                head = newer;
            } else {
                older.newer = newer;
            }
            if (newer == null) {
                tail = older;
            } else {
                newer.older = older;
            }
            entry.older = null;
            entry.newer = null;
            entry.slot = UNTRACKED;
            size--;
        }

        void moveToTail(CacheEntry<K, V> entry) {
            if (entry != tail) {
                int slot = entry.slot;
                unlink(entry);
                addLast(entry, slot);
            }
        }

        void swap(CacheEntry<K, V> replaced, CacheEntry<K, V> replacement) {
            CacheEntry<K, V> older = replaced.older;
            CacheEntry<K, V> newer = replaced.newer;
            replacement.older = older;
            replacement.newer = newer;
            replacement.slot = replaced.slot;
            if (older == null) {
                head = replacement;
            } else {
                older.newer = replacement;
            }
            if (newer == null) {
                tail = replacement;
            } else {
                newer.older = replacement;
            }
            replaced.older = null;
            replaced.newer = null;
            replaced.slot = UNTRACKED;
        }
    }
}
