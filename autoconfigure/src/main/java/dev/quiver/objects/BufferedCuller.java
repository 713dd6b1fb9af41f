package dev.quiver.objects;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Keeps an {@link ArrowCache}'s size bound without making its writers wait on each other.
 * <p>
 * Writers change the cache's map directly and record each entry that entered or left it here. Whichever writer then
 * takes the lock replays every recorded change into the {@link SampledCuller}, which only ever runs under that lock,
 * and culls past the bound; the others go on without waiting. Replaying in batches on one thread at a time keeps the
 * policy's data in one core's cache instead of handing it, with a lock, from core to core on every write. A writer
 * that records a change after the lock holder drained the buffer is sure to replay it: it fails to take the lock only
 * while another thread holds it, and that thread looks at the buffer again after letting go.
 * <p>
 * So the map may hold a few more than {@code maxEntries} entries while writes from other threads wait to be
 * replayed: about {@value #SLACK} more plus one per writing thread, since a writer that finds the map that far past
 * the bound waits for the lock and culls itself (the map's size, read while others change it, is approximate). Once
 * writes stop, the bound holds exactly.
 * <p>
 * An entry's own fields say what a change was: {@link CacheEntry#retired} once it left the map, and
 * {@link CacheEntry#predecessor} for the entry it replaced. Changes may be recorded in another order than they
 * happened (two writers race between changing the map and recording), so replaying looks only at those fields and
 * whether the policy tracks the entry, and replaying one entry twice does no harm.
 */
final class BufferedCuller<K, V> {

    /** How far past the bound a writer lets the map grow before it waits for the lock instead of leaving the cull. */
    static final int SLACK = 16;

    private final ConcurrentHashMap<K, CacheEntry<K, V>> entries;
    private final int maxEntries;
    private final LongSupplier clock;
    private final Runnable evictionCounter;
    private final SampledCuller<K, V> policy;
    private final ConcurrentLinkedQueue<CacheEntry<K, V>> changes = new ConcurrentLinkedQueue<>();
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
        this.entries = entries;
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.evictionCounter = evictionCounter;
        this.policy = new SampledCuller<>(maxEntries);
    }

    /**
     * Records an entry that entered the map (with its {@link CacheEntry#predecessor} set if it replaced one) or left
     * it (with {@link CacheEntry#retired} set), and replays the buffer now if no other thread is doing so.
     *
     * @param changed the entry
     */
    void record(CacheEntry<K, V> changed) {
        changes.add(changed);
        replaySoon();
    }

    /**
     * Removes every entry the map holds when this is called and stops tracking them; entries written meanwhile stay.
     */
    void removeAll() {
        lock.lock();
        try {
            for (CacheEntry<K, V> entry : entries.values()) {
                // a load in flight stays, to store its value when it finishes
                if (!(entry instanceof LoadingEntry) && entries.remove(entry.key, entry)) {
                    entry.retired = true;
                    changes.add(entry);
                }
            }
            replay();
        } finally {
            lock.unlock();
        }
    }

    private void replaySoon() {
        do {
            if (!lock.tryLock()) {
                if (entries.size() <= maxEntries + SLACK) {
                    return;
                }
                lock.lock();
            }
            try {
                replay();
            } finally {
                lock.unlock();
            }
        } while (!changes.isEmpty());
    }

    private void replay() {
        CacheEntry<K, V> changed;
        while ((changed = changes.poll()) != null) {
            replay(changed);
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
            if (entries.remove(victim.key, victim)) {
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
