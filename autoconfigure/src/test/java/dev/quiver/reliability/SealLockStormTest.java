package dev.quiver.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.quiver.locks.LockTimeoutException;
import dev.quiver.locks.Permit;
import dev.quiver.locks.SealLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 5, SealLock storm: 200,000 operations from 8 threads on one {@link SealLock}, each at random one of a
 * wait with a blocking timeout of a few microseconds (which mostly times out under contention), an acquisition
 * cancelled right after it was asked for, a one-shot {@code tryAcquire}, or a patient wait; every holder releases. A
 * holders counter, raised on entry and lowered before release, must never see a second holder. Afterwards the lock
 * must be free with nobody queued, and {@code tryAcquire()} must succeed; a timed-out or cancelled waiter that had
 * been handed the lock would have kept it forever, so this also proves that withdrawn waiters never receive it.
 */
@Tag("reliability")
class SealLockStormTest {

    private static final int THREADS = 8;

    private static final int OPERATIONS = 200_000;

    @Test
    void twoHundredThousandAcquireTimeoutCancelReleaseRacesLeaveTheLockFreeAndNeverHeldTwice() throws Exception {
        SealLock lock = new SealLock("storm");
        AtomicInteger inside = new AtomicInteger();
        LongAdder overlaps = new LongAdder();
        LongAdder held = new LongAdder();
        LongAdder timedOut = new LongAdder();
        LongAdder cancelled = new LongAdder();
        LongAdder cancelTooLate = new LongAdder();
        LongAdder tryRefused = new LongAdder();
        Holder holder = (permit) -> {
            if (inside.incrementAndGet() != 1) {
                overlaps.increment();
            }
            held.increment();
            Thread.onSpinWait();
            inside.decrementAndGet();
            permit.close();
        };
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        long begin = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                running.add(threads.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < OPERATIONS / THREADS; i++) {
                        switch (random.nextInt(4)) {
                            case 0 -> {
                                CompletableFuture<Permit> waiting = lock.acquire(
                                        Duration.ofNanos(random.nextLong(1_000, 50_000)));
                                try {
                                    holder.hold(waiting.get(10, TimeUnit.SECONDS));
                                }
                                catch (ExecutionException ex) {
                                    assertThat(ex.getCause()).isInstanceOf(LockTimeoutException.class);
                                    timedOut.increment();
                                }
                            }
                            case 1 -> {
                                CompletableFuture<Permit> waiting = lock.acquire(Duration.ofSeconds(10));
                                if (random.nextBoolean()) {
                                    Thread.onSpinWait();
                                }
                                if (waiting.cancel(false)) {
                                    cancelled.increment();
                                    assertThat(waiting).isCancelled();
                                }
                                else {
                                    // granted before the cancel: it is ours, and must be given back
                                    cancelTooLate.increment();
                                    holder.hold(waiting.get(10, TimeUnit.SECONDS));
                                }
                            }
                            case 2 -> {
                                if (lock.tryAcquire()) {
                                    holder.hold(lock::release);
                                }
                                else {
                                    tryRefused.increment();
                                }
                            }
                            default -> holder.hold(lock.acquire(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> thread : running) {
                thread.get(120, TimeUnit.SECONDS);
            }
        }
        finally {
            threads.shutdownNow();
        }
        long elapsedMillis = Figures.millisSince(begin);

        assertThat(overlaps.sum()).as("acquisitions that found another holder inside").isZero();
        assertThat(held.sum() + timedOut.sum() + cancelled.sum() + tryRefused.sum()).isEqualTo(OPERATIONS);
        assertThat(lock.isLocked()).as("locked after the storm").isFalse();
        assertThat(lock.queueLength()).as("waiters queued after the storm").isZero();
        assertThat(lock.tryAcquire()).as("tryAcquire after the storm").isTrue();
        lock.release();
        assertThat(timedOut.sum()).as("the storm produced timeouts").isPositive();
        assertThat(cancelled.sum()).as("the storm produced cancellations").isPositive();
        Figures.report(5, "%d operations from %d threads in %d ms (%.0f/s): %d held and released, %d timed out, %d "
                + "cancelled while waiting, %d cancels lost to a grant (then released), %d tryAcquire refused; "
                + "overlaps 0; afterwards free, queue empty, tryAcquire succeeded", OPERATIONS, THREADS,
                elapsedMillis, OPERATIONS * 1000.0 / Math.max(1, elapsedMillis), held.sum(), timedOut.sum(),
                cancelled.sum(), cancelTooLate.sum(), tryRefused.sum());
    }

    /** Holds a granted permit for a moment, tracking holders, and gives it back. */
    @FunctionalInterface
    private interface Holder {

        void hold(AutoCloseable acquisition) throws Exception;
    }
}
