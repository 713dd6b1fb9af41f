package dev.quiver.locks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * What both lock factories promise, {@link SealLocks} and {@link RedisLocks}: instances of one name act as one lock,
 * a name is forgotten once nobody holds or waits for it, and waiting takes no thread.
 */
abstract class LockFactoryTests {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Threads that may start meanwhile for reasons of the JVM's own (the common pool, the JIT), not for waiters. */
    private static final int THREAD_SLACK = 8;

    private static final int BATCH = 500;

    /** Returns the factory's lock of a name. */
    abstract AsyncLock lock(String name);

    /** Returns how many names the factory keeps state for. */
    abstract int namesInUse();

    /** Returns the factory's counts of holding and waiting acquisitions. */
    abstract LockCounts counts();

    /**
     * Returns how many acquisitions of a name wait parked in this process: queued, with nothing of theirs under way.
     */
    abstract int parked(String name);

    /** How soon a waiter must be woken by a release: well before it would find out by itself. */
    abstract Duration wakeUp();

    /** How many times each of 8 concurrent chains takes a lock in the exclusion test. */
    abstract int rounds();

    @Test
    void aPermitTakenThroughOneInstanceExcludesAndItsReleaseWakesAWaiterOfAnother() {
        AsyncLock first = lock("order:1");
        AsyncLock second = lock("order:1");
        Permit permit = first.acquire().join();
        assertThat(second.tryAcquire()).isFalse();
        CompletableFuture<Permit> waiting = second.acquire();
        assertThat(waiting).isNotDone();
        permit.close();
        Permit next = waiting.orTimeout(wakeUp().toMillis(), TimeUnit.MILLISECONDS).join();
        assertThat(next.fencingToken()).isGreaterThan(permit.fencingToken());
        assertThat(lock("order:1").isLocked()).isTrue();
        first.release();
        assertThat(second.isLocked()).isFalse();
        assertThat(namesInUse()).isZero();
    }

    @Test
    void anyInstanceOfANameReleasesItsAcquisition() {
        assertThat(lock("order:2").tryAcquire()).isTrue();
        lock("order:2").release();
        assertThatIllegalStateException().isThrownBy(() -> lock("order:2").release());
        assertThat(namesInUse()).isZero();
    }

    @Test
    void anInstanceKeptFromBeforeANameWasForgottenIsWokenByAReleaseThroughTheNewOne() {
        AsyncLock kept = lock("report");
        lock("report").acquire().join().close();
        assertThat(namesInUse()).isZero();

        Permit permit = lock("report").acquire().join();
        CompletableFuture<Permit> waiter = kept.acquire();
        assertThat(waiter).isNotDone();
        permit.close();
        Permit woken = waiter.orTimeout(wakeUp().toMillis(), TimeUnit.MILLISECONDS).join();
        assertThat(woken.fencingToken()).isGreaterThan(permit.fencingToken());

        CompletableFuture<Permit> other = lock("report").acquire();
        assertThat(other).isNotDone();
        kept.release();
        other.orTimeout(wakeUp().toMillis(), TimeUnit.MILLISECONDS).join().close();
        assertThat(namesInUse()).isZero();
    }

    @Test
    void instancesOfOneNameNeverHoldAtOnceWhenConcurrentCallersUseFreshInstances() {
        int names = 4;
        int chains = 8;
        AtomicInteger[] inside = new AtomicInteger[names];
        for (int i = 0; i < names; i++) {
            inside[i] = new AtomicInteger();
        }
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger entered = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        // a pool of the test's own: on 2 cores the common pool's async tasks would each start a thread
        ExecutorService work = Executors.newFixedThreadPool(4);
        try {
            for (int chain = 0; chain < chains; chain++) {
                CompletableFuture<Void> steps = CompletableFuture.completedFuture(null);
                for (int round = 0; round < rounds(); round++) {
                    int name = (chain + round) % names;
                    steps = steps.thenCompose((ignored) -> lock("entity:" + name)
                        .withLock(() -> CompletableFuture.runAsync(() -> {
                            if (inside[name].incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            entered.incrementAndGet();
                            // stay inside a moment, so that a second holder would be caught
                            Thread.yield();
                            inside[name].decrementAndGet();
                        }, work)));
                }
                all.add(steps);
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
        }
        finally {
            work.shutdownNow();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(entered).hasValue(chains * rounds());
        assertThat(namesInUse()).isZero();
    }

    @Test
    void aNameIsForgottenOnceNobodyHoldsOrWaitsForIt() {
        List<CompletableFuture<Permit>> acquiring = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            acquiring.add(lock("player:" + i).acquire());
        }
        List<Permit> permits = acquiring.stream().map(CompletableFuture::join).toList();
        assertThat(namesInUse()).isEqualTo(500);
        CompletableFuture<Permit> timesOut = lock("player:1").acquire(Duration.ofMillis(50));
        CompletableFuture<Permit> cancelled = lock("player:2").acquire();
        assertThat(lock("player:3").tryAcquire()).isFalse();
        assertThat(lock("player:4").acquire(Duration.ZERO)).failsWithin(PATIENCE);
        assertThatExceptionOfType(CompletionException.class).isThrownBy(timesOut::join)
            .withCauseInstanceOf(LockTimeoutException.class);
        cancelled.cancel(false);
        await().atMost(PATIENCE).until(() -> counts().equals(new LockCounts(500, 0)));
        permits.forEach(Permit::close);
        lock("player:5").withLock(() -> CompletableFuture.completedFuture(null)).join();
        assertThat(namesInUse()).isZero();
        assertThat(counts()).isEqualTo(new LockCounts(0, 0));
    }

    @Test
    void tenThousandWaitersOnDistinctNamesAndOnOneNameTakeNoThread() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int waiters = 10_000;
        // warm up what the first wait starts once (connections, a release subscription, timer threads)
        Permit warmUp = lock("warm-up").acquire().join();
        CompletableFuture<Permit> warmWaiter = lock("warm-up").acquire(PATIENCE);
        warmUp.close();
        warmWaiter.join().close();
        int before = threads.getThreadCount();

        // in batches, each sent once the one before is under way, so that a busy machine's Redis and client are
        // never asked for 10,000 round trips at once (their command timeout would count that against them)
        List<CompletableFuture<Void>> releases = new ArrayList<>();
        List<CompletableFuture<Void>> held = new ArrayList<>();
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        AtomicInteger holders = new AtomicInteger();
        for (int batch = 0; batch < waiters / BATCH; batch++) {
            CompletableFuture<Void> release = new CompletableFuture<>();
            releases.add(release);
            for (int i = batch * BATCH; i < (batch + 1) * BATCH; i++) {
                held.add(lock("distinct:" + i).withLock(() -> {
                    holders.incrementAndGet();
                    return release;
                }));
            }
            int taken = (batch + 1) * BATCH;
            await().atMost(PATIENCE).until(() -> holders.get() == taken);
        }
        for (int batch = 0; batch < waiters / BATCH; batch++) {
            for (int i = batch * BATCH; i < (batch + 1) * BATCH; i++) {
                waiting.add(lock("distinct:" + i).withLock(() -> CompletableFuture.completedFuture(null)));
            }
            int first = batch * BATCH;
            await().atMost(PATIENCE).until(() -> IntStream.range(first, first + BATCH)
                .allMatch((i) -> parked("distinct:" + i) == 1));
        }
        Permit single = lock("single").acquire().join();
        List<CompletableFuture<Permit>> queued = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            // long enough to outlast the release of the distinct names below on a busy machine
            queued.add(lock("single").acquire(Duration.ofMinutes(3)));
        }
        await().atMost(PATIENCE).until(() -> parked("single") == waiters);
        assertThat(counts()).isEqualTo(new LockCounts(waiters + 1, 2L * waiters));
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        assertThat(queued).noneMatch(CompletableFuture::isDone);
        assertThat(threads.getThreadCount()).isLessThanOrEqualTo(before + THREAD_SLACK);

        for (int batch = 0; batch < waiters / BATCH; batch++) {
            releases.get(batch).complete(null);
            List<CompletableFuture<Void>> ended = new ArrayList<>(held.subList(batch * BATCH, (batch + 1) * BATCH));
            ended.addAll(waiting.subList(batch * BATCH, (batch + 1) * BATCH));
            CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
        }
        // the single name's waiters take it in turn; a first few show it moves on, the rest withdraw
        single.close();
        for (CompletableFuture<Permit> waiter : queued.subList(0, 20)) {
            waiter.orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join().close();
        }
        for (CompletableFuture<Permit> waiter : queued) {
            waiter.cancel(false);
            if (!waiter.isCancelled()) {
                // granted before the cancel came
                waiter.join().close();
            }
        }
        await().atMost(PATIENCE).until(() -> namesInUse() == 0);
        assertThat(counts()).isEqualTo(new LockCounts(0, 0));
    }
}
