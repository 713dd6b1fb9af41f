package dev.quiver.locks;

import java.time.Duration;

/**
 * Thrown (as the exceptional completion of an acquisition future) when a lock could not be acquired within its
 * blocking timeout.
 */
public class LockTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String lockName;

    private final Duration blockingTimeout;

    /**
     * Creates the exception for a lock and the wait that ran out.
     *
     * @param lockName the name of the lock
     * @param blockingTimeout how long the caller waited
     */
    public LockTimeoutException(String lockName, Duration blockingTimeout) {
        super("Could not acquire lock '" + lockName + "' within " + blockingTimeout);
        this.lockName = lockName;
        this.blockingTimeout = blockingTimeout;
    }

    /**
     * Returns the name of the lock that was not acquired.
     *
     * @return the lock name
     */
    public String getLockName() {
        return this.lockName;
    }

    /**
     * Returns how long the caller waited.
     *
     * @return the blocking timeout that passed
     */
    public Duration getBlockingTimeout() {
        return this.blockingTimeout;
    }
}
