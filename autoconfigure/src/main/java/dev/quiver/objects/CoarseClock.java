package dev.quiver.objects;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A nanosecond clock that a daemon thread advances about every millisecond while caches read it, and that costs
 * nothing while they do not.
 * <p>
 * Reading it is a single volatile load and a comparison, which keeps {@link System#nanoTime()} (tens of nanoseconds
 * on many virtual machines) off the cache's hit path. The thread ticks for a lease of {@value #LEASE_MILLIS} ms, then
 * marks the clock stopped and ends; the first read after that reads {@link System#nanoTime()} itself and starts a new
 * thread for a new lease. So no thread lives on in a JVM whose caches are idle (nor survives a restart of an
 * application's class loader, as DevTools does), and a busy JVM starts one short-lived thread a second. The value lags
 * the true time by about a tick, more if the thread is descheduled.
 */
final class CoarseClock {

    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** How long a clock thread ticks before it ends, unless a read starts another. */
    static final long LEASE_MILLIS = 1_000;

    /** The value {@link #nanos} holds while no thread ticks. */
    private static final long STOPPED = Long.MIN_VALUE;

    private static final CoarseClock SHARED = new CoarseClock(TimeUnit.MILLISECONDS.toNanos(LEASE_MILLIS));

    private final long leaseNanos;
    private final AtomicBoolean ticking = new AtomicBoolean();
    private volatile long nanos = STOPPED;

    /**
     * Creates a clock whose threads tick for the given lease.
     *
     * @param leaseNanos how long one thread ticks
     */
    CoarseClock(long leaseNanos) {
        this.leaseNanos = leaseNanos;
    }

    /**
     * Returns the shared clock's time.
     *
     * @return a {@link System#nanoTime()} value at most about a tick old
     */
    static long nanoTime() {
        return SHARED.read();
    }

    /**
     * Returns this clock's time, starting its thread if none ticks.
     *
     * @return a {@link System#nanoTime()} value at most about a tick old
     */
    long read() {
        long time = nanos;
        return time != STOPPED ? time : restart();
    }

    /**
     * Tells whether a thread ticks this clock now.
     *
     * @return {@code true} from a read that started a thread until that thread's lease ends
     */
    boolean isTicking() {
        return ticking.get();
    }

    private long restart() {
        long now = System.nanoTime();
        if (ticking.compareAndSet(false, true)) {
            nanos = now;
            Thread ticker = new Thread(this::tick, "quiver-coarse-clock");
            ticker.setDaemon(true);
            ticker.setContextClassLoader(null);
            ticker.start();
        }
        return now;
    }

    private void tick() {
        long leaseEnd = System.nanoTime() + leaseNanos;
        while (true) {
            LockSupport.parkNanos(TICK_NANOS);
            // a stray interrupt would otherwise make every later park return at once and spin the thread
            Thread.interrupted();
            long now = System.nanoTime();
            if (now - leaseEnd >= 0) {
                // stopped first, then free to restart: a read in between reads System.nanoTime() itself
                nanos = STOPPED;
                ticking.set(false);
                return;
            }
            nanos = now;
        }
    }
}
