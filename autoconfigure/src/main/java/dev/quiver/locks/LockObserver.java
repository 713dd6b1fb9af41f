package dev.quiver.locks;

/**
 * Watches one lock: each wait for it and each acquisition's hold. An observer is given to the lock at construction
 * and may serve several locks (a factory's locks share one), so it can resolve whatever it records into (meters,
 * tags, observation key values) once, up front, rather than on every call.
 * <p>
 * A lock calls {@link #startWait()} on the thread that asked for the lock, and ends the returned {@link LockWait}
 * exactly once. The default wait times itself and reports to {@link #waited} and {@link #held}, so a plain timing
 * observer implements just those two; an observer that needs a context of its own for each wait (an observation, a
 * span) overrides {@code startWait()}.
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
     * Starts watching one wait for the lock (or one try of {@code tryAcquire()}), on the thread that asked for it.
     * The default times the wait and reports it to {@link #waited}, and the hold that follows to {@link #held}.
     *
     * @return the wait, which the lock ends exactly once
     */
    default LockWait startWait() {
        return new TimedLockWait(this);
    }

    /**
     * Records the end of one wait for the lock. Does nothing unless overridden.
     *
     * @param outcome how the wait ended
     * @param waitNanos how long it lasted, in nanoseconds (close to zero when the lock was free)
     */
    default void waited(WaitOutcome outcome, long waitNanos) {
    }

    /**
     * Records the end of one acquisition, when the lock is released. Does nothing unless overridden.
     *
     * @param heldNanos how long the acquisition held the lock, in nanoseconds
     */
    default void held(long heldNanos) {
    }

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
