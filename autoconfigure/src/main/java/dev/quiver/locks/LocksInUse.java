package dev.quiver.locks;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * The locks of one factory ({@link RedisLocks}, {@link SealLocks}) that somebody holds or waits for, by name: the
 * state that every instance of a name shares while it is in use, and nothing once it is idle.
 * <p>
 * Each acquisition counts one use of its name from the moment it starts ({@link #attach}) until it fails or its
 * acquisition is released ({@link #detach}). The first use of an idle name makes the attaching instance the name's
 * lock; later uses, through whichever instance of the name, attach to that same lock, so instances of one name
 * whose uses overlap coordinate as one. The last use leaves and the name is forgotten, in one atomic step with
 * respect to a new use, so a use never attaches to a lock that was just forgotten.
 *
 * @param <L> the type of lock
 */
final class LocksInUse<L> {

    private final ConcurrentHashMap<String, Uses<L>> locks = new ConcurrentHashMap<>();

    private final Consumer<? super L> onFirstUse;

    private final Consumer<? super L> onIdle;

    /**
     * Keeps the locks in use and nothing else.
     */
    LocksInUse() {
        this((lock) -> {
        }, (lock) -> {
        });
    }

    /**
     * Keeps the locks in use, and lets a factory carry something of a name's lock over to the next one.
     *
     * @param onFirstUse runs when a lock becomes its name's lock, before its first use, atomically for the name
     * @param onIdle runs when a lock's last use left, before the name is forgotten, atomically for the name
     */
    LocksInUse(Consumer<? super L> onFirstUse, Consumer<? super L> onIdle) {
        this.onFirstUse = onFirstUse;
        this.onIdle = onIdle;
    }

    /**
     * Counts one use of a name.
     *
     * @param name the name
     * @param candidate the instance that becomes the name's lock if nobody uses the name now
     * @return the lock that the use works on: the name's lock in use, or {@code candidate}
     */
    L attach(String name, L candidate) {
        return this.locks.compute(name, (key, uses) -> {
            if (uses == null) {
                this.onFirstUse.accept(candidate);
                uses = new Uses<>(candidate);
            }
            uses.count++;
            return uses;
        }).lock;
    }

    /**
     * Ends one use of a name's lock; the last one forgets the name.
     *
     * @param name the name
     * @param lock the lock the use attached to
     */
    void detach(String name, L lock) {
        this.locks.computeIfPresent(name, (key, uses) -> {
            if (uses.lock != lock) {
                return uses;
            }
            if (--uses.count > 0) {
                return uses;
            }
            this.onIdle.accept(lock);
            return null;
        });
    }

    /**
     * Returns the lock to hand out for a name: the one in use, or a new one that attaches when it is used.
     *
     * @param name the name
     * @param newLock makes a lock of the name that is not in use yet
     * @return the lock
     */
    L lockOf(String name, Function<String, L> newLock) {
        Objects.requireNonNull(name, "name");
        L lock = inUse(name);
        return (lock != null) ? lock : newLock.apply(name);
    }

    /**
     * Returns the lock of a name that is in use now.
     *
     * @param name the name
     * @return its lock, or {@code null} if nobody holds or waits for it
     */
    @Nullable L inUse(String name) {
        Uses<L> uses = this.locks.get(name);
        return (uses != null) ? uses.lock : null;
    }

    /**
     * Returns how many names are in use.
     */
    int names() {
        return this.locks.size();
    }

    /**
     * Counts the acquisitions under way now: those that hold their lock (at most one per name, told by
     * {@code holds}) and those that wait for it.
     */
    LockCounts counts(Predicate<? super L> holds) {
        long held = 0;
        long uses = 0;
        for (Uses<L> inUse : this.locks.values()) {
            // a plain read: the count is a snapshot, exact only when nothing changes meanwhile
            uses += inUse.count;
            if (holds.test(inUse.lock)) {
                held++;
            }
        }
        return new LockCounts(held, Math.max(0, uses - held));
    }

    /** A name's lock and its number of uses, changed only inside the map's atomic operations on the name. */
    private static final class Uses<L> {

        final L lock;

        volatile int count;

        Uses(L lock) {
            this.lock = lock;
        }
    }
}
