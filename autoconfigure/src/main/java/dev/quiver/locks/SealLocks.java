package dev.quiver.locks;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * Hands out {@link SealLock}s by name, all with the same default blocking timeout: the in-process lock factory an
 * application shares as one bean, built for one lock per entity ({@code get("order:" + id)}).
 * <p>
 * Every lock it hands out for one name acts as one lock: a permit taken through one instance excludes, and on
 * release wakes, a waiter that came through another. A name's state exists only while somebody holds or waits for
 * it, and is forgotten as soon as nobody does, so memory stays flat however many distinct names an application
 * uses over its life; an instance kept from before works on the name's current state when it is used again. Fencing
 * tokens of a name keep growing when its state is made again. All locks report to one observer, so metrics do not
 * grow with the names either. This class is thread-safe.
 */
public final class SealLocks {

    private final @Nullable Duration defaultBlockingTimeout;

    private final SharedLockObserver observer;

    /** The generation every name's state starts after: the largest of the states forgotten so far. */
    private final AtomicLong generations = new AtomicLong();

    private final LocksInUse<SealLock> inUse = new LocksInUse<>(
            (lock) -> lock.continueAfter(this.generations.get()),
            (lock) -> this.generations.accumulateAndGet(lock.lastGeneration(), Math::max));

    /**
     * Creates a lock factory whose locks' {@link SealLock#acquire()} waits as long as it takes.
     */
    public SealLocks() {
        this(null, LockObserver.none());
    }

    /**
     * Creates a lock factory whose locks' {@link SealLock#acquire()} waits at most {@code defaultBlockingTimeout}.
     *
     * @param defaultBlockingTimeout how long {@code acquire()} waits; zero means it tries once, {@code null} that it
     *        waits as long as it takes
     * @throws IllegalArgumentException if {@code defaultBlockingTimeout} is negative
     */
    public SealLocks(@Nullable Duration defaultBlockingTimeout) {
        this(defaultBlockingTimeout, LockObserver.none());
    }

    /**
     * Creates a lock factory whose locks report their waits and holds to {@code observer}.
     *
     * @param defaultBlockingTimeout how long {@code acquire()} waits; zero means it tries once, {@code null} that it
     *        waits as long as it takes
     * @param observer receives the waits and holds of every lock of this factory
     * @throws NullPointerException if {@code observer} is {@code null}
     * @throws IllegalArgumentException if {@code defaultBlockingTimeout} is negative
     */
    public SealLocks(@Nullable Duration defaultBlockingTimeout, LockObserver observer) {
        if (defaultBlockingTimeout != null && defaultBlockingTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "defaultBlockingTimeout must not be negative, was " + defaultBlockingTimeout);
        }
        this.defaultBlockingTimeout = defaultBlockingTimeout;
        this.observer = new SharedLockObserver(observer);
    }

    /**
     * Returns the lock of the given name, with this factory's default blocking timeout. Cheap: while the name is in
     * use it is the instance in use, and otherwise a new one that holds nothing until it is used.
     *
     * @param name the name of the lock
     * @return the lock
     * @throws NullPointerException if {@code name} is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public SealLock get(String name) {
        return this.inUse.lockOf(name,
                (newName) -> new SealLock(newName, this.defaultBlockingTimeout, this.observer, this.inUse));
    }

    /**
     * Returns how long {@link SealLock#acquire()} waits on the locks of this factory.
     *
     * @return the default blocking timeout, or {@code null} if {@code acquire()} waits as long as it takes
     */
    public @Nullable Duration defaultBlockingTimeout() {
        return this.defaultBlockingTimeout;
    }

    /**
     * Replaces the observer of every lock of this factory, those handed out so far and those to come, e.g. to
     * record metrics. Acquisitions under way when it changes may be reported to either observer.
     *
     * @param observer the observer; {@link LockObserver#none()} to observe nothing
     * @throws NullPointerException if {@code observer} is {@code null}
     */
    public void setObserver(LockObserver observer) {
        this.observer.set(observer);
    }

    /**
     * Counts the acquisitions of this factory's locks that hold or wait for their lock now.
     *
     * @return the counts, a snapshot that may be off while acquisitions come and go
     */
    public LockCounts counts() {
        return this.inUse.counts(SealLock::isLocked);
    }

    /**
     * Returns how many names are in use now (held or waited for); their state is all this factory keeps.
     */
    int namesInUse() {
        return this.inUse.names();
    }
}
