package dev.quiver.objects;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Keeps an {@link ArrowCache}'s size bound without making its writers wait on each other.
 * <p>
 * Writers change the cache's map directly and record each entry that entered or left it here. Once a batch of
 * records has gathered, whichever writer then takes the lock replays every recorded change into the
 * {@link AdaptiveCuller}, which only ever runs under that lock, and culls past the bound; the others go on without
 * waiting. Replaying in batches on one thread at a time keeps the policy's data, the lock and the head of the record
 * queue in one core's cache for a whole batch instead of handing them from core to core on every write, which is
 * what a write costs most when the cores are far apart. A writer that completes a batch while another thread holds the
 * lock is sure to have it replayed: it fails to take the lock only while another thread holds it, and that thread
 * looks at the count of records again after letting go.
 * <p>
 * So the map may hold more than {@code maxEntries} entries: up to a batch less one while the last records wait for
 * the next write or for {@link #settle()}, and while writes from other threads wait to be replayed up to an eighth of
 * the bound more (from {@value #SLACK} to {@value #MAX_SLACK}) plus one per writing thread, since a writer that finds
 * that many records waiting waits for the lock and culls itself. After {@link #settle()}, with no
 * write racing it, the bound holds exactly. Small caches, where a batch would be a large share of the bound, replay
 * on every write. Loads in flight ({@link LoadingEntry}) sit in the map too, but are not the policy's to track or
 * cull; an entry culled or cleared while the load it displaced is in flight gives the load its place back.
 * <p>
 * An entry's own fields say what a change was: {@link CacheEntry#retired} once it left the map, and
 * {@link CacheEntry#predecessor} for the entry it replaced. Changes may be recorded in another order than they
 * happened (two writers race between changing the map and recording), so replaying looks only at those fields and
 * whether the policy tracks the entry, and replaying one entry twice does no harm.
 */
final class BufferedCuller<K, V> {

    /**
     * How many records beyond a batch a writer lets wait for a busy lock before it waits too and culls itself, at the
     * least; larger caches allow an eighth of their bound, up to {@value #MAX_SLACK}.
     */
    static final int SLACK = 16;

    /** The largest number of records beyond a batch that may wait for a busy lock. */
    static final int MAX_SLACK = 256;

    /** How many bound entries allow one more record to wait for a busy lock. */
    private static final int SLACK_SHARE = 8;

    /** The most records a batch gathers before a writer replays them. */
    static final int MAX_BATCH = 16;

    /** Bound entries per record of a batch: a batch never exceeds 1/64 of the bound, so small caches replay at once. */
    private static final int ENTRIES_PER_BATCH_RECORD = 64;

    private final ConcurrentHashMap<K, CacheEntry<K, V>> entries;
    private final int maxEntries;
    private final LongSupplier clock;
    private final Runnable evictionCounter;
    private final AdaptiveCuller<K, V> policy;
    private final ConcurrentLinkedQueue<CacheEntry<K, V>> changes = new ConcurrentLinkedQueue<>();
    /** How many records {@link #changes} holds, give or take the writers between adding one and counting it. */
    private final AtomicInteger unreplayed = new AtomicInteger();
    private final int batch;
    /** How many records may wait for a busy lock before the next writer waits for it too. */
    private final int waitingAllowance;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * Creates the culler of one cache.
     *
     * @param entries the cache's map, from which culled entries are removed
     * @param maxEntries the size bound
     * @param clock the cache's time source, to cull expired entries first
     * @param evictionCounter called once for every entry culled
     */
    BufferedCuller(ConcurrentHashMap<K, CacheEntry<K, V>> entries, int maxEntries, LongSupplier clock,
            Runnable evictionCounter) {
        this(entries, maxEntries, clock, evictionCounter, null);
    }

    /**
     * Creates the culler of one cache whose hits the policy may read to adapt to the workload.
     *
     * @param entries the cache's map, from which culled entries are removed
     * @param maxEntries the size bound
     * @param clock the cache's time source, to cull expired entries first
     * @param evictionCounter called once for every entry culled
     * @param hitCount the cache's count of hits so far, or {@code null} when it counts none
     */
    BufferedCuller(ConcurrentHashMap<K, CacheEntry<K, V>> entries, int maxEntries, LongSupplier clock,
            Runnable evictionCounter, @Nullable LongSupplier hitCount) {
        this.entries = entries;
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.evictionCounter = evictionCounter;
        this.policy = new AdaptiveCuller<>(maxEntries, hitCount);
        this.batch = batchFor(maxEntries);
        this.waitingAllowance = batch - 1 + slackFor(maxEntries);
    }

    /**
     * Returns how many records beyond a batch may wait for a busy lock before writers wait too, for a cache of the
     * given bound: an eighth of it, from {@value #SLACK} to {@value #MAX_SLACK}. While one thread culls, the others
     * go on writing; a culling thread can fall behind a writer that only writes, most of all when the policy's data
     * has to travel between far-apart cores, and a writer that stopped for it at every record would only trade the
     * cull's work for a park and a wake-up.
     *
     * @param maxEntries the size bound
     * @return the number of records
     */
    static int slackFor(int maxEntries) {
        return Math.max(SLACK, Math.min(MAX_SLACK, maxEntries / SLACK_SHARE));
    }

    /**
     * Returns how many records a writer lets gather before it replays them, for a cache of the given bound.
     *
     * @param maxEntries the size bound
     * @return a power of two from 1 to {@value #MAX_BATCH}
     */
    static int batchFor(int maxEntries) {
        return Math.max(1, Math.min(MAX_BATCH, Integer.highestOneBit(maxEntries / ENTRIES_PER_BATCH_RECORD)));
    }

    /**
     * Records an entry that entered the map (with its {@link CacheEntry#predecessor} set if it replaced one) or left
     * it (with {@link CacheEntry#retired} set); once a batch has gathered, replays it now if no other thread is doing
     * so.
     *
     * @param changed the entry
     */
    void record(CacheEntry<K, V> changed) {
        changes.add(changed);
        if (unreplayed.incrementAndGet() >= batch) {
            replaySoon();
        }
    }

    /**
     * Replays every change recorded before this call, waiting for the lock if another thread holds it; afterwards,
     * unless other threads write meanwhile, the map holds at most {@code maxEntries} entries and the policy tracks
     * every one.
     */
    void settle() {
        if (unreplayed.get() == 0) {
            return;
        }
        lock.lock();
        replayAndUnlock();
        replayIfBatched();
    }

    /**
     * Removes every entry the map holds when this is called and stops tracking them; entries written meanwhile stay.
     */
    void removeAll() {
        lock.lock();
        try {
            replay();
            for (CacheEntry<K, V> entry : entries.values()) {
                // a load in flight stays, to store its value when it finishes
                if (!(entry instanceof LoadingEntry) && entry.leave(entries)) {
                    entry.retired = true;
                    replay(entry);
                }
            }
        } finally {
            lock.unlock();
        }
        replayIfBatched();
    }

    /**
     * Replays now if a batch has gathered. Every holder of the lock calls it after letting go, so that a batch whose
     * writer found the lock taken, and went on, is not left waiting for the next write.
     */
    private void replayIfBatched() {
        if (unreplayed.get() >= batch) {
            replaySoon();
        }
    }

    private void replaySoon() {
        do {
            if (!lock.tryLock()) {
                if (unreplayed.get() <= waitingAllowance) {
                    return;
                }
                lock.lock();
            }
            replayAndUnlock();
        } while (unreplayed.get() >= batch);
    }

    /** Replays every recorded change, then lets go of the lock, which the caller holds. */
    private void replayAndUnlock() {
        try {
            replay();
        } finally {
            lock.unlock();
        }
    }

    private void replay() {
        int replayed = 0;
        CacheEntry<K, V> changed;
        while ((changed = changes.poll()) != null) {
            replay(changed);
            replayed++;
        }
        if (replayed > 0) {
            unreplayed.addAndGet(-replayed);
        }
    }

    private void replay(CacheEntry<K, V> changed) {
        CacheEntry<K, V> replaced = changed.predecessor;
        boolean resident = !changed.retired;
        if (replaced != null) {
            changed.predecessor = null;
            if (replaced.isTracked()) {
                if (resident && !changed.isTracked()) {
                    policy.replaced(replaced, changed);
                    return;
                }
                policy.removed(replaced);
            }
        }
        if (!resident) {
            policy.removed(changed);
        } else if (!changed.isTracked()) {
            makeRoom();
            policy.added(changed);
        }
    }

    /** Culls until one more entry fits the bound, as the policy counts them. */
    private void makeRoom() {
        long now = clock.getAsLong();
        while (policy.size() >= maxEntries) {
            CacheEntry<K, V> victim = policy.victim(now);
            if (victim == null) {
                return;
            }
            if (victim.leave(entries)) {
                victim.retired = true;
                policy.evicted(victim);
                evictionCounter.run();
            } else {
                // replaced or removed by a writer whose record is still on its way; that record finds it untracked
                policy.removed(victim);
            }
        }
    }
}
