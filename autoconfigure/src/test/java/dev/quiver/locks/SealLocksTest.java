package dev.quiver.locks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class SealLocksTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** Threads that may start meanwhile for reasons of the JVM's own (the JIT, a GC helper), not for waiters. */
    private static final int THREAD_SLACK = 8;

    private final SealLocks locks = new SealLocks();

    @Test
    void aPermitTakenThroughOneInstanceExcludesAndWakesAWaiterOfAnother() {
        SealLock first = this.locks.get("order:1");
        SealLock second = this.locks.get("order:1");
        Permit permit = first.acquire().join();
        assertThat(second.isLocked()).isTrue();
        assertThat(second.tryAcquire()).isFalse();
        CompletableFuture<Permit> waiting = second.acquire();
        assertThat(waiting).isNotDone();
        assertThat(first.queueLength()).isEqualTo(1);
        permit.close();
        Permit next = waiting.join();
        assertThat(next.fencingToken()).isGreaterThan(permit.fencingToken());
        assertThat(this.locks.get("order:1").isLocked()).isTrue();
        first.release();
        assertThat(second.isLocked()).isFalse();
        assertThat(this.locks.namesInUse()).isZero();
    }

    @Test
    void anyInstanceOfANameReleasesItsAcquisition() {
        assertThat(this.locks.get("order:2").tryAcquire()).isTrue();
        this.locks.get("order:2").release();
        assertThatIllegalStateException().isThrownBy(() -> this.locks.get("order:2").release());
        assertThat(this.locks.namesInUse()).isZero();
    }

    @Test
    void instancesOfOneNameNeverHoldAtOnceWhenManyThreadsUseFreshInstances() throws Exception {
        int names = 4;
        int threads = 8;
        int rounds = 5_000;
        AtomicInteger[] inside = new AtomicInteger[names];
        int[] counters = new int[names];
        for (int i = 0; i < names; i++) {
            inside[i] = new AtomicInteger();
        }
        AtomicInteger overlaps = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        int name = (thread + round) % names;
                        try (Permit permit = this.locks.get("entity:" + name).acquire().join()) {
                            if (inside[name].incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            counters[name]++;
                            inside[name].decrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(overlaps).hasValue(0);
        int total = 0;
        for (int counter : counters) {
            total += counter;
        }
        assertThat(total).isEqualTo(threads * rounds);
        assertThat(this.locks.namesInUse()).isZero();
    }

    @Test
    void aNameIsForgottenOnceNobodyHoldsOrWaitsForIt() {
        List<Permit> permits = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            permits.add(this.locks.get("player:" + i).acquire().join());
        }
        CompletableFuture<Permit> timesOut = this.locks.get("player:1").acquire(Duration.ofMillis(10));
        CompletableFuture<Permit> cancelled = this.locks.get("player:2").acquire();
        assertThat(this.locks.get("player:3").tryAcquire()).isFalse();
        assertThatExceptionOfType(CompletionException.class).isThrownBy(timesOut::join)
            .withCauseInstanceOf(LockTimeoutException.class);
        cancelled.cancel(false);
        assertThat(this.locks.counts()).isEqualTo(new LockCounts(1_000, 0));
        permits.forEach(Permit::close);
        assertThat(this.locks.namesInUse()).isZero();
        assertThat(this.locks.counts()).isEqualTo(new LockCounts(0, 0));
    }

    @Test
    void aWaiterCompletedFromOutsideLeavesTheQueueAndNothingBehind() {
        SealLock lock = this.locks.get("job");
        Permit held = lock.acquire().join();
        CompletableFuture<Permit> cancelledLate = lock.acquire();
        CompletableFuture<Permit> next = this.locks.get("job").acquire();
        cancelledLate.complete(null);
        held.close();
        next.join().close();
        assertThat(this.locks.namesInUse()).isZero();
    }

    @Test
    void anInstanceKeptFromBeforeANameWasForgottenCoordinatesWithTheNamesNewState() {
        SealLock kept = this.locks.get("report");
        this.locks.get("report").acquire().join().close();
        assertThat(this.locks.namesInUse()).isZero();

        Permit permit = this.locks.get("report").acquire().join();
        CompletableFuture<Permit> waiter = kept.acquire();
        assertThat(waiter).isNotDone();
        permit.close();
        Permit woken = waiter.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(woken.fencingToken()).isGreaterThan(permit.fencingToken());

        CompletableFuture<Permit> other = this.locks.get("report").acquire();
        assertThat(other).isNotDone();
        woken.close();
        other.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join().close();
        assertThat(this.locks.namesInUse()).isZero();
    }

    @Test
    void fencingTokensOfANameKeepGrowingWhenItsStateIsMadeAgain() {
        long last = 0;
        for (int i = 0; i < 5; i++) {
            SealLock lock = this.locks.get("fenced");
            long token = lock.withLock((permit) -> CompletableFuture.completedFuture(permit.fencingToken())).join();
            assertThat(token).isGreaterThan(last);
            last = token;
            assertThat(this.locks.namesInUse()).isZero();
        }
    }

    @Test
    void theFactorysTimeoutAppliesToEveryLock() {
        SealLocks impatient = new SealLocks(Duration.ofMillis(20));
        Permit held = impatient.get("a").acquire().join();
        assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> impatient.get("a").acquire().join())
            .withCauseInstanceOf(LockTimeoutException.class);
        held.close();
        assertThat(impatient.namesInUse()).isZero();
    }

    @Test
    void everyLockReportsToTheFactorysObserverEvenOnceItChanged() {
        AtomicInteger before = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        SealLock lock = this.locks.get("observed");
        this.locks.setObserver(counting(before));
        lock.withLock(() -> CompletableFuture.completedFuture(null)).join();
        this.locks.setObserver(counting(after));
        lock.withLock(() -> CompletableFuture.completedFuture(null)).join();
        assertThat(before).hasValue(2);
        assertThat(after).hasValue(2);
        assertThatExceptionOfType(UnsupportedOperationException.class)
            .isThrownBy(() -> lock.setObserver(LockObserver.none()));
    }

    @Test
    void tenThousandWaitersOnDistinctNamesAndOnOneNameTakeNoThread() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int waiters = 10_000;
        // warm up what a first timeout starts once per JVM (the JDK's delay scheduler)
        this.locks.get("warm-up").acquire(Duration.ofMillis(1)).join().close();
        int before = threads.getThreadCount();

        List<Permit> holders = new ArrayList<>();
        List<CompletableFuture<Permit>> waiting = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            holders.add(this.locks.get("distinct:" + i).acquire().join());
            waiting.add(this.locks.get("distinct:" + i).acquire(PATIENCE));
        }
        Permit single = this.locks.get("single").acquire().join();
        List<CompletableFuture<Permit>> queued = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            queued.add(this.locks.get("single").acquire(PATIENCE));
        }
        assertThat(this.locks.counts()).isEqualTo(new LockCounts(waiters + 1, 2L * waiters));
        assertThat(threads.getThreadCount()).isLessThanOrEqualTo(before + THREAD_SLACK);

        holders.forEach(Permit::close);
        for (CompletableFuture<Permit> waiter : waiting) {
            waiter.join().close();
        }
        CountDownLatch served = new CountDownLatch(waiters);
        queued.forEach((waiter) -> waiter.thenAccept((permit) -> {
            served.countDown();
            permit.close();
        }));
        single.close();
        await().atMost(PATIENCE).until(() -> served.getCount() == 0);
        assertThat(this.locks.namesInUse()).isZero();
    }

    private static LockObserver counting(AtomicInteger calls) {
        return new LockObserver() {
            @Override
            public void waited(WaitOutcome outcome, long waitNanos) {
                calls.incrementAndGet();
            }

            @Override
            public void held(long heldNanos) {
                calls.incrementAndGet();
            }
        };
    }
}
