package dev.quiver.locks;

/**
 * Receives the timings of one lock: how long each acquisition waited and how the wait ended, and how long each
 * acquisition held the lock. An observer belongs to a single lock, or to every lock of one factory
 * ({@link SealLocks}, {@link RedisLocks}); it is given at construction, so it can resolve whatever it records into
 * (meters, tags) once, up front, rather than on every call.
 * <p>
 * Calls arrive on whichever thread acquires, releases, times out or cancels, concurrently and on the lock's hot
 * path: implementations must be thread-safe, quick, and must not throw.
 */
public interface LockObserver {

    /**
     * Returns an observer that records nothing, the one a lock starts with.
     *
     * @return the no-op observer
     */
    static LockObserver none() {
        return NoOpLockObserver.INSTANCE;
    }

    /**
     * Records the end of one wait for the lock.
     *
     * @param outcome how the wait ended
     * @param waitNanos how long it lasted, in nanoseconds (zero when the lock was free or the attempt was a
     *        one-shot try)
     */
    void waited(WaitOutcome outcome, long waitNanos);

    /**
     * Records the end of one acquisition, when the lock is released.
     *
     * @param heldNanos how long the acquisition held the lock, in nanoseconds
     */
    void held(long heldNanos);

    /**
     * How a wait for the lock ended.
     */
    enum WaitOutcome {

        /** The lock was acquired. */
        ACQUIRED,

        /** The blocking timeout passed first (this includes a one-shot try that found the lock taken). */
        TIMEOUT,

        /** The caller withdrew: the acquisition's future was cancelled or completed by someone else. */
        CANCELLED,

        /** The acquisition failed for another reason (for locks with a remote store, an error talking to it). */
        ERROR
    }
}
