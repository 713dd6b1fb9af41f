package dev.quiver.locks;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread that all Redis locks of a JVM share for blocking timeouts and retries, so that waiting parks
 * no thread per waiter. Its tasks only start asynchronous Redis commands or hand completions to an executor; they
 * never block.
 */
final class LockTimer {

    private static final ScheduledThreadPoolExecutor TIMER = create();

    private LockTimer() {
    }

    /**
     * Runs {@code task} once after {@code nanos}.
     */
    static ScheduledFuture<?> schedule(Runnable task, long nanos) {
        return TIMER.schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (task) -> {
            Thread thread = new Thread(task, "quiver-lock-timer");
            thread.setDaemon(true);
            return thread;
        });
        // waiters mostly leave before their timeout: drop cancelled timeouts at once instead of when they expire
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
