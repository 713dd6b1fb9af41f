package dev.quiver.locks;

/**
 * The {@link Permit} of one {@link SealLock} acquisition. It remembers the lock state that the acquisition created,
 * so closing it releases that acquisition only: once it has been released (by this permit or by
 * {@link SealLock#release()}), closing again finds a different state and does nothing, whoever holds the lock by
 * then.
 */
final class SealPermit implements Permit {

    private final SealLock lock;

    private final long stamp;

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

    @Override
    public void close() {
        this.lock.releaseAcquisition(this.stamp);
    }

    @Override
    public String toString() {
        return "Permit of " + this.lock.name();
    }
}
