package dev.quiver.locks;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The timer thread that all Redis locks of a JVM share for blocking timeouts and retries, so that waiting parks no
 * thread per waiter. Its tasks only start asynchronous Redis commands or hand completions to an executor; they never
 * block.
 * <p>
 * Pending timeouts wait in a sorted map, and the thread's scheduler is armed only for the earliest of them. Nearly
 * every acquisition schedules its blocking timeout and cancels it a round trip later; handing each one to the
 * scheduler woke its thread every time (the new task became the head of its queue), a system call and a context
 * switch on the path of every acquisition. A timeout later than the one armed is now only added to the map.
 */
final class LockTimer implements AutoCloseable {

    /** Longest delay kept exactly; longer ones are shortened to it (about 73 years) so that deadlines do not wrap. */
    private static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 2;

    private static final LockTimer SHARED = new LockTimer("quiver-lock-timer");

    private final ScheduledThreadPoolExecutor executor;

    /** The timeouts not yet run nor cancelled, earliest first. */
    private final ConcurrentSkipListMap<Timeout, Boolean> pending = new ConcurrentSkipListMap<>();

    private final AtomicLong sequence = new AtomicLong();

    /** Guards arming, so that the armed wake-up is replaced only by an earlier one. */
    private final Object arming = new Object();

    /** The wake-up armed on the executor, or {@code null} while none is (or while a sweep runs). */
    private volatile @Nullable Wakeup armed;

    /** How often the executor was armed; read by tests. Guarded by {@link #arming}. */
    private long armings;

    LockTimer(String threadName) {
        this.executor = new ScheduledThreadPoolExecutor(1, (task) -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        // an earlier timeout replaces the armed wake-up: drop the replaced one at once instead of when it is due
        this.executor.setRemoveOnCancelPolicy(true);
    }

    /**
     * Runs {@code task} once, on the shared timer thread, after {@code nanos}.
     *
     * @return the handle that cancels it
     */
    static Timeout schedule(Runnable task, long nanos) {
        return SHARED.after(nanos, task);
    }

    /**
     * Runs {@code task} once, on this timer's thread, after {@code nanos} (at once if not positive).
     *
     * @return the handle that cancels it
     */
    Timeout after(long nanos, Runnable task) {
        long now = System.nanoTime();
        Timeout timeout = new Timeout(this, task, now + Math.min(Math.max(nanos, 0), MAX_DELAY_NANOS),
                this.sequence.getAndIncrement());
        this.pending.put(timeout, Boolean.TRUE);
        Wakeup wakeup = this.armed;
        if (wakeup == null || timeout.deadline - wakeup.at < 0) {
            synchronized (this.arming) {
                armFor(timeout.deadline, now);
            }
        }
        return timeout;
    }

    /** How many times the executor was armed so far. */
    long armings() {
        synchronized (this.arming) {
            return this.armings;
        }
    }

    /** Stops the thread; pending timeouts never run. */
    @Override
    public void close() {
        this.executor.shutdownNow();
    }

    /** Arms the executor for {@code deadline} unless a wake-up no later than it is armed already. */
    private void armFor(long deadline, long now) {
        Wakeup wakeup = this.armed;
        if (wakeup != null && deadline - wakeup.at >= 0) {
            return;
        }
        if (wakeup != null) {
            wakeup.future.cancel(false);
        }
        this.armed = new Wakeup(deadline,
                this.executor.schedule(this::sweep, deadline - now, TimeUnit.NANOSECONDS));
        this.armings++;
    }

    /** Runs every timeout that is due, then arms the executor for the earliest one left. */
    private void sweep() {
        synchronized (this.arming) {
            this.armed = null;
        }
        Map.Entry<Timeout, Boolean> first;
        while ((first = this.pending.firstEntry()) != null && first.getKey().deadline - System.nanoTime() <= 0) {
            Timeout due = first.getKey();
            if (this.pending.remove(due) != null) {
                due.run();
            }
        }
        synchronized (this.arming) {
            first = this.pending.firstEntry();
            if (first != null) {
                armFor(first.getKey().deadline, System.nanoTime());
            }
        }
    }

    /** A wake-up armed on the executor for the time {@code at}. */
    private record Wakeup(long at, ScheduledFuture<?> future) {
    }

    /**
     * One scheduled task, cancellable until it runs.
     */
    static final class Timeout implements Comparable<Timeout> {

        private final LockTimer timer;

        private final Runnable task;

        private final long deadline;

        private final long sequence;

        private Timeout(LockTimer timer, Runnable task, long deadline, long sequence) {
            this.timer = timer;
            this.task = task;
            this.deadline = deadline;
            this.sequence = sequence;
        }

        /**
         * Keeps the task from running.
         *
         * @return {@code true} if it had neither run nor been cancelled yet
         */
        boolean cancel() {
            return this.timer.pending.remove(this) != null;
        }

        @Override
        public int compareTo(Timeout other) {
            long difference = this.deadline - other.deadline;
            if (difference != 0) {
                return (difference < 0) ? -1 : 1;
            }
            return Long.compare(this.sequence, other.sequence);
        }

        private void run() {
            try {
                this.task.run();
            }
            catch (RuntimeException | Error failure) {
                // one failing task must not stop the sweep; report it as an uncaught failure of this thread would be
                Thread thread = Thread.currentThread();
                thread.getUncaughtExceptionHandler().uncaughtException(thread, failure);
            }
        }
    }
}
