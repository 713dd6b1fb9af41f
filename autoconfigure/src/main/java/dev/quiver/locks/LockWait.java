package dev.quiver.locks;

import dev.quiver.locks.LockObserver.WaitOutcome;
import org.jspecify.annotations.Nullable;

/**
 * One wait for a lock, as its {@link LockObserver} watches it: started on the thread that asked for the lock, made
 * current while the lock talks to its store on the wait's behalf, and ended once with its outcome. When the wait
 * succeeds, the lock starts the acquisition's {@link LockHold} from it.
 * <p>
 * The lock runs the completions of the wait's future through {@link #runInCallerContext(Runnable)}, so that code
 * chained on the future sees the context of the code that asked for the lock (its current observation, its MDC),
 * whichever thread completes the future.
 */
public interface LockWait {

    /**
     * Makes this wait current on the calling thread until the returned scope is closed, on the same thread; the lock
     * sends its store's commands for the wait inside it, so that they count as part of the wait (a tracing
     * application sees them as children of the wait's span). Does nothing unless overridden.
     *
     * @return the scope to close
     */
    default Scope openScope() {
        return Scope.NONE;
    }

    /**
     * Runs a completion of the wait's future in the context of the code that started the wait. Runs it as it is
     * unless overridden.
     *
     * @param completion completes the future
     */
    default void runInCallerContext(Runnable completion) {
        completion.run();
    }

    /**
     * Starts watching the acquisition this wait won, just before the lock hands it out; called at most once, before
     * {@link #stop}.
     *
     * @return the hold, which the lock ends when the acquisition is released
     */
    LockHold startHold();

    /**
     * Ends the wait.
     *
     * @param outcome how it ended
     * @param failure why it failed, for {@link WaitOutcome#ERROR} (and the timeout for {@link WaitOutcome#TIMEOUT});
     *        {@code null} otherwise
     */
    void stop(WaitOutcome outcome, @Nullable Throwable failure);

    /**
     * A wait made current on one thread, until closed.
     */
    @FunctionalInterface
    interface Scope extends AutoCloseable {

        /** The scope of a wait that nobody watches. */
        Scope NONE = () -> {
        };

        /**
         * Ends the scope, on the thread that opened it.
         */
        @Override
        void close();
    }
}
