package dev.quiver.locks;

/**
 * Thrown by {@link AsyncLock#release()} when the lock is held, but not by the caller: its key expired and was taken
 * by another owner, or (for a thread-local {@link RedisLock}) another thread acquired it.
 */
public class LockNotOwnedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message that names the lock and why it is not the caller's.
     *
     * @param message what was released and why the caller does not own it
     */
    public LockNotOwnedException(String message) {
        super(message);
    }
}
