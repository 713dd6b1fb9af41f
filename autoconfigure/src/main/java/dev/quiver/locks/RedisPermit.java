package dev.quiver.locks;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One held acquisition of a {@link RedisLock}: the token stored in the key, the thread that called
 * {@code acquire()}, and whether it was released already. Closing it releases exactly this acquisition, once.
 */
final class RedisPermit implements Permit {

    private final RedisLock lock;

    private final LockToken token;

    private final long fencingToken;

    private final Thread owner;

    private final long acquiredNanos = System.nanoTime();

    private final AtomicBoolean released = new AtomicBoolean();

    RedisPermit(RedisLock lock, LockToken token, long fencingToken, Thread owner) {
        this.lock = lock;
        this.token = token;
        this.fencingToken = fencingToken;
        this.owner = owner;
    }

    LockToken token() {
        return this.token;
    }

    Thread owner() {
        return this.owner;
    }

    long acquiredNanos() {
        return this.acquiredNanos;
    }

    /**
     * Returns the fencing token the acquire script gave this acquisition: greater than that of every earlier
     * acquisition of the lock, and never below Redis's clock in microseconds at the acquisition.
     */
    @Override
    public long fencingToken() {
        return this.fencingToken;
    }

    /**
     * Marks the permit released; only the first call returns {@code true}.
     */
    boolean markReleased() {
        return this.released.compareAndSet(false, true);
    }

    /**
     * Releases this acquisition if it is not released yet; later calls do nothing. Blocks for one round trip to
     * Redis.
     *
     * @throws LockNotOwnedException if the key expired and is gone or held by someone else (left untouched)
     */
    @Override
    public void close() {
        if (markReleased()) {
            this.lock.releaseMarked(this);
        }
    }

    @Override
    public String toString() {
        return "Permit of " + this.lock + (this.released.get() ? " (released)" : "");
    }
}
