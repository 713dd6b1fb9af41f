package dev.quiver.objects;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A nanosecond clock that one shared daemon thread advances about every millisecond.
 * <p>
 * Reading it is a single volatile load, which keeps {@link System#nanoTime()} (tens of nanoseconds on many virtual
 * machines) off the cache's hit path. The thread starts the first time any cache in the JVM reads the clock and
 * serves every cache after that; its value lags the true time by about a tick, more if the thread is descheduled.
 */
final class CoarseClock {

    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static volatile long nanos = System.nanoTime();

    static {
        Thread ticker = new Thread(CoarseClock::tick, "quiver-coarse-clock");
        ticker.setDaemon(true);
        ticker.setContextClassLoader(null);
        ticker.start();
    }

    private CoarseClock() {
    }

    /**
     * Returns the latest time the clock thread read.
     *
     * @return a {@link System#nanoTime()} value at most about a tick old
     */
    static long nanoTime() {
        return nanos;
    }

    private static void tick() {
        while (true) {
            LockSupport.parkNanos(TICK_NANOS);
            // a stray interrupt would otherwise make every later park return at once and spin the thread
            Thread.interrupted();
            nanos = System.nanoTime();
        }
    }
}
