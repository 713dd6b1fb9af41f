package dev.quiver.locks;

/**
 * Hears how long callers waited for a lock and how long they held it, so that metrics can be recorded without the
 * locks depending on a metrics library. Calls arrive on whichever thread finished the wait or the hold; an
 * implementation must be thread-safe, quick and must not throw.
 */
public interface LockObserver {

    /** An observer that ignores everything. */
    LockObserver NONE = new LockObserver() {
    };

    /**
     * Called once per acquisition attempt when its wait ends.
     *
     * @param lockName the name of the lock
     * @param nanos how long the caller waited, in nanoseconds
     * @param outcome how the wait ended
     */
    default void onWait(String lockName, long nanos, Outcome outcome) {
    }

    /**
     * Called once per acquisition when it is released (or found lost at release).
     *
     * @param lockName the name of the lock
     * @param nanos how long the lock was held, in nanoseconds
     */
    default void onHeld(String lockName, long nanos) {
    }

    /**
     * How a wait for a lock ended.
     */
    enum Outcome {

        /** The lock was acquired. */
        ACQUIRED,

        /** The blocking timeout passed first (for a single try: the lock was taken). */
        TIMEOUT,

        /** The caller cancelled the wait. */
        CANCELLED,

        /** The wait failed, e.g. because Redis answered with an error. */
        ERROR
    }
}
