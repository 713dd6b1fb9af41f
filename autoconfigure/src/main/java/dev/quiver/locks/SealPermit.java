package dev.quiver.locks;

import java.util.concurrent.CompletableFuture;

/**
 * The {@link Permit} of one {@link SealLock} acquisition. It remembers the lock state that the acquisition created,
 * so closing it releases that acquisition only: once it has been released (by this permit or by
 * {@link SealLock#release()}), closing again finds a different state and does nothing, whoever holds the lock by
 * then.
 */
final class SealPermit implements Permit {

    private final SealLock lock;

    private final long stamp;

    private final CompletableFuture<Void> lost = new CompletableFuture<>();

    SealPermit(SealLock lock, long stamp) {
        this.lock = lock;
        this.stamp = stamp;
    }

    /**
     * Returns the acquisition's generation, which every acquisition of the lock in this process increments.
     */
    @Override
    public long fencingToken() {
        return SealLock.generation(this.stamp);
    }

    /**
     * Returns a future that never completes normally: an in-process lock cannot be lost. Closing the permit cancels
     * it.
     */
    @Override
    public CompletableFuture<Void> lost() {
        return this.lost;
    }

    @Override
    public void close() {
        this.lost.cancel(false);
        this.lock.releaseAcquisition(this.stamp);
    }

    @Override
    public String toString() {
        return "Permit of " + this.lock.name();
    }
}
