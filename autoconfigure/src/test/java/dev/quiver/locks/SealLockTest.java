package dev.quiver.locks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.quiver.locks.LockObserver.WaitOutcome;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SealLockTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static final int RACE_ROUNDS = 100_000;

    private final List<ExecutorService> executors = new ArrayList<>();

    @AfterEach
    void stopExecutors() throws InterruptedException {
        for (ExecutorService executor : this.executors) {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void lostIsOneFutureWhileHeldAndCancelledByCloseWhenAskedBeforeOrAfter() {
        SealLock lock = new SealLock("lost");
        Permit asked = lock.acquire().join();
        CompletableFuture<Void> lost = asked.lost();
        AtomicBoolean aborted = new AtomicBoolean();
        lost.thenRun(() -> aborted.set(true));
        assertThat(asked.lost()).isSameAs(lost);
        asked.close();
        assertThat(lost).isCancelled();
        assertThat(asked.lost()).isCancelled();
        assertThat(aborted).isFalse();

        Permit notAsked = lock.acquire().join();
        notAsked.close();
        assertThat(notAsked.lost()).isCancelled();
        notAsked.close();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void permitsCountTheirFencingTokensInProcessAndAreNeverLost() {
        SealLock lock = new SealLock("fenced");
        Permit first = lock.acquire().join();
        CompletableFuture<Permit> waiting = lock.acquire();
        first.close();
        Permit second = waiting.join();
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(second.lost()).isNotDone();
        second.close();
        assertThat(second.lost()).isCancelled();
        long third = lock.withLock((permit) -> CompletableFuture.completedFuture(permit.fencingToken())).join();
        assertThat(third).isGreaterThan(second.fencingToken());
        assertThat(first.fencingToken()).isPositive();
    }

    @Test
    void anUncontendedAcquireIsGrantedAtOnceAndClosingThePermitFreesTheLock() {
        SealLock lock = new SealLock("plain");
        CompletableFuture<Permit> acquisition = lock.acquire();
        assertThat(acquisition).isCompleted();
        assertThat(lock.isLocked()).isTrue();
        acquisition.join().close();
        assertThat(lock.isLocked()).isFalse();
        assertThat(lock.name()).isEqualTo("plain");
    }

    @Test
    void unnamedLocksGetDistinctGeneratedNames() {
        assertThat(new SealLock().name()).startsWith("seal-lock-").isNotEqualTo(new SealLock().name());
    }

    @Test
    void theLockIsNotReentrant() {
        SealLock lock = new SealLock("not-reentrant");
        Permit permit = lock.acquire().join();
        assertThat(lock.tryAcquire()).isFalse();
        CompletableFuture<Permit> again = lock.acquire();
        assertThat(again).isNotDone();
        permit.close();
        assertThat(again).isCompleted();
        again.join().close();
    }

    @Test
    void tasksOnEightThreadsNeverHoldTheLockTogether() throws Exception {
        SealLock lock = new SealLock("exclusion");
        int threads = 8;
        int tasksPerThread = 2_000;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger mostHoldersAtOnce = new AtomicInteger();
        int[] unguardedCount = new int[1];
        Runnable criticalSection = () -> {
            mostHoldersAtOnce.accumulateAndGet(holders.incrementAndGet(), Math::max);
            unguardedCount[0]++; // not atomic: only mutual exclusion keeps it exact
            holders.decrementAndGet();
        };
        ExecutorService submitters = track(Executors.newFixedThreadPool(threads));
        ExecutorService actionThreads = track(Executors.newFixedThreadPool(2));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<CompletableFuture<?>>>> submitted = new ArrayList<>();
        for (int thread = 0; thread < threads; thread++) {
            submitted.add(submitters.submit(() -> {
                start.await();
                List<CompletableFuture<?>> tasks = new ArrayList<>();
                for (int task = 0; task < tasksPerThread; task++) {
                    switch (task % 3) {
                        case 0 -> tasks.add(lock.withLock(() -> {
                            criticalSection.run();
                            return CompletableFuture.completedFuture(null);
                        }));
                        case 1 -> tasks.add(lock.withLock(() -> CompletableFuture.runAsync(criticalSection,
                                actionThreads)));
                        default -> tasks.add(lock.acquire().thenAccept((permit) -> {
                            try (permit) {
                                criticalSection.run();
                            }
                        }));
                    }
                }
                return tasks;
            }));
        }
        start.countDown();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (Future<List<CompletableFuture<?>>> tasks : submitted) {
            all.addAll(tasks.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        }
        assertThat(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))).succeedsWithin(PATIENCE);
        assertThat(mostHoldersAtOnce).hasValue(1);
        assertThat(unguardedCount[0]).isEqualTo(threads * tasksPerThread);
        assertThat(lock.isLocked()).isFalse();
        assertThat(lock.queueLength()).isZero();
    }

    @Test
    void waitersAreGrantedTheLockInTheOrderTheyQueuedSkippingCancelledOnes() {
        SealLock lock = new SealLock("fifo");
        assertThat(lock.tryAcquire()).isTrue();
        List<Integer> grantOrder = new ArrayList<>();
        List<CompletableFuture<Permit>> waiters = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int position = i;
            CompletableFuture<Permit> waiter = (i % 2 == 0) ? lock.acquire() : lock.acquire(Duration.ofMinutes(1));
            waiter.thenRun(() -> grantOrder.add(position));
            waiters.add(waiter);
        }
        for (int i = 0; i < 100; i += 10) {
            waiters.get(i).cancel(false);
        }
        assertThat(lock.queueLength()).isEqualTo(90);
        assertThat(lock.tryAcquire()).as("a newcomer cannot barge past the queue").isFalse();
        List<Integer> expected = IntStream.range(0, 100).filter((i) -> i % 10 != 0).boxed()
                .collect(Collectors.toList());
        for (int granted = 1; granted <= expected.size(); granted++) {
            lock.release();
            assertThat(grantOrder).containsExactlyElementsOf(expected.subList(0, granted));
            assertThat(lock.tryAcquire()).isFalse();
        }
        lock.release();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void timeoutsRacingWithReleaseNeverLeaveTheLockOwnerlessOrHeldTwice() throws Exception {
        SealLock lock = new SealLock("timeout-race");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int racerGotTheLock = 0;
        for (int round = 0; round < RACE_ROUNDS; round++) {
            assertThat(lock.tryAcquire()).isTrue();
            CompletableFuture<Permit> racer = lock.acquire(Duration.ofNanos(random.nextInt(1, 20_000)));
            CompletableFuture<Permit> patient = lock.acquire();
            spin(random.nextInt(20_000));
            lock.release();
            if (settle(racer) != null) {
                racerGotTheLock++;
            }
            else {
                assertThat(racer).failsWithin(Duration.ZERO).withThrowableOfType(Exception.class)
                        .withCauseInstanceOf(LockTimeoutException.class);
            }
            assertExactlyOneHolderAtATime(lock, racer, patient);
        }
        // both ends of the race were exercised
        assertThat(racerGotTheLock).isBetween(1, RACE_ROUNDS - 1);
    }

    @Test
    void cancellationsRacingWithReleaseNeverLeaveTheLockOwnerlessOrHeldTwice() throws Exception {
        SealLock lock = new SealLock("cancel-race");
        ExecutorService canceller = track(Executors.newSingleThreadExecutor());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int racerGotTheLock = 0;
        for (int round = 0; round < RACE_ROUNDS; round++) {
            assertThat(lock.tryAcquire()).isTrue();
            CompletableFuture<Permit> racer = lock.acquire();
            CompletableFuture<Permit> patient = lock.acquire();
            Future<Boolean> cancelled = canceller.submit(() -> racer.cancel(false));
            spin(random.nextInt(20_000));
            lock.release();
            cancelled.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            if (settle(racer) != null) {
                racerGotTheLock++;
            }
            else {
                assertThat(racer).isCancelled();
            }
            assertExactlyOneHolderAtATime(lock, racer, patient);
        }
        assertThat(racerGotTheLock).isBetween(1, RACE_ROUNDS - 1);
    }

    /**
     * After a race between {@code racer} and a release, checks that the lock went to the racer (and the patient
     * waiter still waits) or, if the racer lost, to the patient waiter; and that it is free once both are done.
     */
    private static void assertExactlyOneHolderAtATime(SealLock lock, CompletableFuture<Permit> racer,
            CompletableFuture<Permit> patient) throws Exception {
        Permit racerPermit = settle(racer);
        if (racerPermit != null) {
            assertThat(patient).as("granted while the racer holds the lock").isNotDone();
            assertThat(lock.isLocked()).isTrue();
            racerPermit.close();
        }
        Permit patientPermit = patient.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(lock.isLocked()).as("the patient waiter holds the lock").isTrue();
        assertThat(lock.tryAcquire()).isFalse();
        patientPermit.close();
        assertThat(lock.isLocked()).as("nobody holds the lock").isFalse();
        assertThat(lock.queueLength()).isZero();
    }

    @Test
    void tenThousandWaitersCreateNoThreadAndAllGetTheLockInTurn() {
        SealLock lock = new SealLock("crowd");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assertThat(lock.tryAcquire()).isTrue();
        int threadsBefore = threads.getThreadCount();
        List<Integer> grantOrder = new ArrayList<>();
        List<CompletableFuture<Void>> turns = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            int position = i;
            turns.add(lock.acquire().thenAccept((permit) -> {
                grantOrder.add(position);
                permit.close();
            }));
        }
        assertThat(lock.queueLength()).isEqualTo(10_000);
        assertThat(threads.getThreadCount()).isLessThanOrEqualTo(threadsBefore);

        lock.release();

        assertThat(CompletableFuture.allOf(turns.toArray(CompletableFuture[]::new))).succeedsWithin(PATIENCE);
        assertThat(grantOrder).containsExactlyElementsOf(IntStream.range(0, 10_000).boxed().toList());
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void tenThousandTimedWaitersShareTheJdkDelayThread() {
        SealLock lock = new SealLock("timed-crowd");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assertThat(lock.tryAcquire()).isTrue();
        int threadsBefore = threads.getThreadCount();
        List<CompletableFuture<Permit>> waiters = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            waiters.add(lock.acquire(Duration.ofMillis(200 + i % 100)));
        }
        assertThat(threads.getThreadCount()).isLessThanOrEqualTo(threadsBefore + 1);
        await().atMost(PATIENCE).until(() -> waiters.stream().allMatch(CompletableFuture::isDone));
        assertThat(waiters).allSatisfy((waiter) -> assertThat(waiter).isCompletedExceptionally());
        assertThat(lock.queueLength()).isZero();
        lock.release();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void aLongChainOfWithLockTasksCompletesWithoutOverflowingTheStack() throws InterruptedException {
        SealLock lock = new SealLock("chain");
        assertThat(lock.tryAcquire()).isTrue();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            int value = i;
            results.add(lock.withLock(() -> CompletableFuture.completedFuture(value)));
        }
        // the whole chain runs on the releasing thread: give it a small stack, so only a flat hand-off survives
        AtomicReference<@Nullable Throwable> releaseFailure = new AtomicReference<>();
        Thread releaser = new Thread(null, () -> {
            try {
                lock.release();
            }
            catch (Throwable ex) {
                releaseFailure.set(ex);
            }
        }, "chain-releaser", 256 * 1024);
        releaser.start();
        releaser.join(PATIENCE.toMillis());

        assertThat(releaseFailure.get()).isNull();
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i)).succeedsWithin(Duration.ZERO).isEqualTo(i);
        }
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void anotherThreadMayReleaseTheLockAndTheNextWaiterGetsIt() throws Exception {
        SealLock lock = new SealLock("cross-thread");
        lock.acquire().join();
        CompletableFuture<Permit> waiter = lock.acquire();
        ExecutorService other = track(Executors.newSingleThreadExecutor());
        other.submit(lock::release).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(waiter).isCompleted();
        other.submit(() -> waiter.join().close()).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void releasingAFreeLockThrowsIllegalStateExceptionNamingTheLock() {
        SealLock lock = new SealLock("idle");
        assertThatIllegalStateException().isThrownBy(lock::release).withMessageContaining("'idle'")
                .withMessageContaining("not locked");
        lock.acquire().join().close();
        assertThatIllegalStateException().isThrownBy(lock::release);
    }

    @Test
    void closingAPermitTwiceDoesNothingTheSecondTimeAndNeverReleasesALaterHolder() {
        SealLock lock = new SealLock("permits");
        Permit first = lock.acquire().join();
        first.close();
        Permit second = lock.acquire().join();
        first.close();
        assertThat(lock.isLocked()).as("the later acquisition still holds").isTrue();
        second.close();
        second.close();
        assertThat(lock.isLocked()).isFalse();

        Permit released = lock.acquire().join();
        lock.release();
        Permit third = lock.acquire().join();
        released.close();
        assertThat(lock.isLocked()).as("a permit released by release() stays spent").isTrue();
        third.close();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void aWaiterThatTimesOutFailsWithLockTimeoutExceptionAndNeverGetsTheLock() {
        SealLock lock = new SealLock("slow");
        Permit holder = lock.acquire().join();
        CompletableFuture<Permit> waiter = lock.acquire(Duration.ofMillis(50));
        assertThatThrownBy(waiter::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(LockTimeoutException.class).hasMessageContaining("'slow'")
                .hasMessageContaining("PT0.05S");
        assertThat(lock.queueLength()).isZero();
        holder.close();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void theDefaultBlockingTimeoutAppliesToAcquire() {
        SealLock lock = new SealLock("bounded", Duration.ofMillis(50));
        assertThat(lock.defaultBlockingTimeout()).isEqualTo(Duration.ofMillis(50));
        Permit holder = lock.acquire().join();
        assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> lock.acquire().join())
                .havingCause().isInstanceOfSatisfying(LockTimeoutException.class, (timeout) -> {
                    assertThat(timeout.getLockName()).isEqualTo("bounded");
                    assertThat(timeout.getBlockingTimeout()).isEqualTo(Duration.ofMillis(50));
                });
        holder.close();
    }

    @Test
    void withoutADefaultBlockingTimeoutAcquireWaitsAsLongAsItTakes() {
        SealLock lock = new SealLock("unbounded");
        Permit holder = lock.acquire().join();
        CompletableFuture<Permit> waiter = lock.acquire();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !waiter.isDone());
        holder.close();
        assertThat(waiter).isCompleted();
        waiter.join().close();
    }

    @Test
    void aZeroTimeoutTriesOnce() {
        SealLock lock = new SealLock("once", Duration.ZERO);
        Permit holder = lock.acquire(Duration.ZERO).join();
        assertThat(lock.acquire(Duration.ZERO)).isCompletedExceptionally();
        assertThat(lock.acquire()).isCompletedExceptionally();
        assertThat(lock.queueLength()).isZero();
        holder.close();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void negativeTimeoutsAreRefusedNamingTheArgument() {
        SealLock lock = new SealLock("strict");
        assertThatIllegalArgumentException().isThrownBy(() -> lock.acquire(Duration.ofSeconds(-1)))
                .withMessageContaining("blockingTimeout").withMessageContaining("PT-1S");
        assertThatIllegalArgumentException().isThrownBy(() -> new SealLock("strict", Duration.ofMillis(-1)))
                .withMessageContaining("defaultBlockingTimeout");
        assertThatIllegalArgumentException().isThrownBy(() -> new SealLock(" ")).withMessageContaining("name");
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void aCancelledWaiterNeverGetsTheLock() {
        SealLock lock = new SealLock("withdrawn");
        Permit holder = lock.acquire().join();
        CompletableFuture<Permit> waiter = lock.acquire();
        assertThat(waiter.cancel(false)).isTrue();
        assertThat(lock.queueLength()).isZero();
        holder.close();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void withLockReleasesBeforeItsFutureCompletes() {
        SealLock lock = new SealLock("scoped");
        CompletableFuture<String> action = new CompletableFuture<>();
        CompletableFuture<String> result = lock.withLock(() -> action);
        CompletableFuture<Boolean> lockedWhenDone = result.thenApply((value) -> lock.isLocked());
        assertThat(lock.isLocked()).isTrue();
        action.complete("done");
        assertThat(result).isCompletedWithValue("done");
        assertThat(lockedWhenDone).isCompletedWithValue(false);
    }

    @Test
    void withLockReleasesWhenTheActionThrows() {
        SealLock lock = new SealLock("throwing");
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Object> result = lock.withLock(() -> {
            throw boom;
        });
        assertThatThrownBy(result::join).hasCause(boom);
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void withLockReleasesWhenTheActionsStageFails() {
        SealLock lock = new SealLock("failing");
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Object> result = lock.withLock(() -> CompletableFuture.failedFuture(boom));
        assertThatThrownBy(result::join).hasCause(boom);
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void withLockFailsWithLockTimeoutExceptionWhenTheLockStaysTaken() {
        SealLock lock = new SealLock("busy", Duration.ofMillis(20));
        Permit holder = lock.acquire().join();
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Object> result = lock.withLock(() -> {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        assertThatThrownBy(result::join).hasCauseInstanceOf(LockTimeoutException.class);
        holder.close();
        assertThat(runs).hasValue(0);
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void cancellingAWaitingWithLockWithdrawsItsAcquisition() {
        SealLock lock = new SealLock("withdrawn-task");
        Permit holder = lock.acquire().join();
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Object> result = lock.withLock(() -> {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        result.cancel(false);
        assertThat(lock.queueLength()).isZero();
        holder.close();
        assertThat(lock.isLocked()).isFalse();
        assertThat(runs).hasValue(0);
    }

    @Test
    void anObserverSeesEveryWaitOutcomeAndHoldDuration() {
        List<WaitOutcome> outcomes = new ArrayList<>();
        List<Long> holds = new ArrayList<>();
        LockObserver observer = new LockObserver() {

            @Override
            public synchronized void waited(WaitOutcome outcome, long waitNanos) {
                assertThat(waitNanos).isNotNegative();
                outcomes.add(outcome);
            }

            @Override
            public synchronized void held(long heldNanos) {
                assertThat(heldNanos).isNotNegative();
                holds.add(heldNanos);
            }
        };
        SealLock lock = new SealLock("observed", null, observer);
        Permit holder = lock.acquire().join();
        CompletableFuture<Permit> waiter = lock.acquire();
        CompletableFuture<Permit> cancelled = lock.acquire();
        cancelled.cancel(false);
        lock.acquire(Duration.ofMillis(10)).exceptionally((timeout) -> null).join();
        holder.close();
        waiter.join().close();
        synchronized (observer) {
            assertThat(outcomes).containsExactly(WaitOutcome.ACQUIRED, WaitOutcome.CANCELLED, WaitOutcome.TIMEOUT,
                    WaitOutcome.ACQUIRED);
            assertThat(holds).hasSize(2);
        }
    }

    private ExecutorService track(ExecutorService executor) {
        this.executors.add(executor);
        return executor;
    }

    /** Waits for {@code acquisition} to finish either way and returns its permit, or {@code null} if it failed. */
    private static @Nullable Permit settle(CompletableFuture<Permit> acquisition) throws Exception {
        return acquisition.handle((permit, failure) -> permit).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static void spin(long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
