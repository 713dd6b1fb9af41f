package dev.quiver.locks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import dev.quiver.testsupport.Pause;
import dev.quiver.testsupport.RedisCommandStats;
import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisServerProcess;
import dev.quiver.testsupport.RedisServers;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Behaviour of {@link RedisLock} on a real Redis, including the scenarios of redis-py's lock tests that apply.
 */
@RedisTest
class RedisLockTest {

    private static final String KEY = "quiver:lock:foo";

    private final List<LettuceConnectionFactory> factories = new ArrayList<>();

    private RedisEndpoint redis;

    private LettuceConnectionFactory factory;

    private StringRedisTemplate raw;

    @BeforeEach
    void setUp(RedisEndpoint redis) {
        this.redis = redis;
        this.factory = newFactory();
        this.raw = new StringRedisTemplate(newFactory());
    }

    @AfterEach
    void tearDown() {
        this.factories.forEach(LettuceConnectionFactory::destroy);
    }

    // redis-py: test_lock, test_lock_token

    @Test
    void lockStoresA128BitRandomTokenThatTheReleaseDeletes() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").build();
        assertThat(lock.tryAcquire()).isTrue();
        assertThat(this.raw.opsForValue().get(KEY)).matches("[0-9a-f]{32}");
        assertThat(this.raw.getExpire(KEY, TimeUnit.MILLISECONDS)).isBetween(1L, 5000L);
        lock.release();
        assertThat(this.raw.hasKey(KEY)).isFalse();
    }

    @Test
    void everyAcquisitionHasAFreshToken() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").build();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Permit permit = lock.acquire().join();
            tokens.add(this.raw.opsForValue().get(KEY));
            permit.close();
        }
        assertThat(tokens).doesNotHaveDuplicates().allMatch((token) -> token.matches("[0-9a-f]{32}"));
    }

    // redis-py: test_locked, test_owned

    @Test
    void isLockedTellsWhetherAnyoneHoldsTheLockAndIsOwnedWhetherThisInstanceDoes() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").build();
        RedisLock other = RedisLock.builder(newFactory(), "foo").build();
        assertThat(lock.isLocked()).isFalse();
        assertThat(lock.isOwned()).isFalse();

        assertThat(other.tryAcquire()).isTrue();
        assertThat(lock.isLocked()).isTrue();
        assertThat(lock.isOwned()).isFalse();
        assertThat(other.isOwned()).isTrue();
        other.release();

        assertThat(lock.tryAcquire()).isTrue();
        assertThat(lock.isOwned()).isTrue();
        assertThat(other.isOwned()).isFalse();
        lock.release();
        assertThat(lock.isLocked()).isFalse();
        assertThat(lock.isOwned()).isFalse();
    }

    // redis-py: test_competing_locks

    @Test
    void competingLocksExcludeEachOther() {
        RedisLock lock1 = RedisLock.builder(this.factory, "foo").build();
        RedisLock lock2 = RedisLock.builder(newFactory(), "foo").build();
        assertThat(lock1.tryAcquire()).isTrue();
        assertThat(lock2.tryAcquire()).isFalse();
        lock1.release();
        assertThat(lock2.tryAcquire()).isTrue();
        assertThat(lock1.tryAcquire()).isFalse();
        lock2.release();
    }

    @Test
    void tasksSharingOneInstanceExcludeEachOther() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").blockingTimeout(Duration.ofMillis(300)).build();
        Permit first = lock.acquire().join();
        assertThat(lock.tryAcquire()).isFalse();
        assertThatThrownBy(() -> lock.acquire().join()).hasCauseInstanceOf(LockTimeoutException.class);
        first.close();
        lock.acquire().join().close();
    }

    @Test
    void aClientPassesTheLockWithinItselfOnlyAFewTimesWhileAnotherClientWaits() throws Exception {
        RedisLock busy = RedisLock.builder(this.factory, "turns").blockingTimeout(Duration.ofSeconds(20)).build();
        RedisLock other = RedisLock.builder(newFactory(), "turns").blockingTimeout(Duration.ofSeconds(20)).build();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean otherWaits = new AtomicBoolean();
        AtomicInteger holds = new AtomicInteger();
        AtomicInteger holdsWhileOtherWaits = new AtomicInteger();
        List<CompletableFuture<Void>> chains = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            chains.add(done);
            holdAndAskAgain(busy, running, () -> {
                holds.incrementAndGet();
                if (otherWaits.get()) {
                    holdsWhileOtherWaits.incrementAndGet();
                }
            }, done);
        }
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> holds.get() >= 40);
            CompletableFuture<Permit> asked = other.acquire();
            // counting starts once the other client's first try found the lock taken and left its waiting record
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> {
                RedisLockWaiters queued = other.client().waitersIfPresent(other.key());
                return (queued != null && queued.size() > 0) || asked.isDone();
            });
            otherWaits.set(true);
            Permit permit = asked.orTimeout(20, TimeUnit.SECONDS).join();
            otherWaits.set(false);
            permit.close();
        }
        finally {
            running.set(false);
            CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
        // the turn of the busy client ends after 8 passes within it (TURN_PASSES in fence.lua), and one whose pass
        // may have run just before the waiting record
        assertThat(holdsWhileOtherWaits.get()).isLessThanOrEqualTo(8 + 1);
    }

    /** Takes the lock, runs {@code inside} and holds on for a millisecond, over and over while running. */
    private static void holdAndAskAgain(RedisLock lock, AtomicBoolean running, Runnable inside,
            CompletableFuture<Void> done) {
        if (!running.get()) {
            done.complete(null);
            return;
        }
        lock.withLock(() -> {
            inside.run();
            return CompletableFuture.runAsync(() -> { },
                    CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS));
        }).whenComplete((ignored, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            }
            else {
                holdAndAskAgain(lock, running, inside, done);
            }
        });
    }

    // redis-py: test_timeout, test_float_timeout

    @Test
    void timeoutIsTheLifetimeOfTheKey() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").timeout(Duration.ofSeconds(10)).build();
        assertThat(lock.tryAcquire()).isTrue();
        assertThat(this.raw.getExpire(KEY, TimeUnit.MILLISECONDS)).isGreaterThan(8000L).isLessThanOrEqualTo(10000L);
        lock.release();
    }

    @Test
    void fractionalTimeoutKeepsItsMilliseconds() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").timeout(Duration.ofMillis(9500)).build();
        assertThat(lock.tryAcquire()).isTrue();
        assertThat(this.raw.getExpire(KEY, TimeUnit.MILLISECONDS)).isGreaterThan(8000L).isLessThanOrEqualTo(9500L);
        lock.release();
    }

    // redis-py: test_blocking_timeout

    @Test
    void acquireGivesUpAfterTheBlockingTimeout() {
        RedisLock holder = RedisLock.builder(this.factory, "foo").build();
        assertThat(holder.tryAcquire()).isTrue();
        RedisLock waiter = RedisLock.builder(newFactory(), "foo").blockingTimeout(Duration.ofMillis(200)).build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> waiter.acquire().join()).isInstanceOf(CompletionException.class)
            .cause()
            .isInstanceOf(LockTimeoutException.class)
            .hasMessageContaining("'foo'");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMillis).isBetween(200L, 1000L);
        holder.release();
    }

    @Test
    void acquireWithZeroBlockingTimeoutTriesOnce() {
        RedisLock holder = RedisLock.builder(this.factory, "foo").build();
        RedisLock other = RedisLock.builder(newFactory(), "foo").build();
        assertThat(holder.acquire(Duration.ZERO).join()).isNotNull();
        long start = System.nanoTime();
        assertThatThrownBy(() -> other.acquire(Duration.ZERO).join()).hasCauseInstanceOf(LockTimeoutException.class);
        // far below the 10 s default blocking timeout: it tried once and gave up, however slow the first connection
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        holder.release();
    }

    // redis-py: test_context_manager, test_context_manager_raises_when_locked_not_acquired

    @Test
    void withLockHoldsTheLockWhileTheActionRunsAndReleasesItAfter() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").blockingTimeout(Duration.ofMillis(200)).build();
        String seen = lock.withLock(() -> CompletableFuture.completedFuture(this.raw.opsForValue().get(KEY))).join();
        assertThat(seen).matches("[0-9a-f]{32}");
        assertThat(this.raw.hasKey(KEY)).isFalse();
    }

    @Test
    void permitInTryWithResourcesReleasesTheLock() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").blockingTimeout(Duration.ofMillis(200)).build();
        try (Permit permit = lock.acquire().join()) {
            assertThat(this.raw.hasKey(KEY)).isTrue();
        }
        assertThat(this.raw.hasKey(KEY)).isFalse();
    }

    @Test
    void withLockDoesNotRunTheActionWhenTheLockStaysTaken() {
        this.raw.opsForValue().set(KEY, "bar");
        RedisLock lock = RedisLock.builder(this.factory, "foo").blockingTimeout(Duration.ofMillis(100)).build();
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Object> result = lock.withLock(() -> {
            ran.set(true);
            return CompletableFuture.completedFuture(null);
        });
        assertThatThrownBy(result::join).hasCauseInstanceOf(LockTimeoutException.class);
        assertThat(ran).isFalse();
        assertThat(this.raw.opsForValue().get(KEY)).isEqualTo("bar");
    }

    @Test
    void withLockReleasesTheLockWhenTheActionFails() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").build();
        CompletableFuture<Object> result = lock.withLock(() -> {
            throw new IllegalArgumentException("boom");
        });
        assertThatThrownBy(result::join).hasCauseInstanceOf(IllegalArgumentException.class);
        CompletableFuture<Object> failedStage = lock
            .withLock(() -> CompletableFuture.failedFuture(new IllegalStateException("stage boom")));
        assertThatThrownBy(failedStage::join).cause().hasMessage("stage boom");
        assertThat(this.raw.hasKey(KEY)).isFalse();
    }

    @Test
    void withLockReportsALockThatExpiredWhileTheActionRan() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").timeout(Duration.ofMillis(100)).build();
        CompletableFuture<String> result = lock.withLock(() -> CompletableFuture.supplyAsync(() -> "done",
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)));
        assertThatThrownBy(result::join).hasCauseInstanceOf(LockNotOwnedException.class);
    }

    // redis-py: test_releasing_unlocked_lock_raises_error, test_releasing_lock_no_longer_owned_raises_error

    @Test
    void releasingALockThisInstanceDoesNotHoldThrowsIllegalStateException() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").build();
        assertThatIllegalStateException().isThrownBy(lock::release)
            .isNotInstanceOf(LockNotOwnedException.class)
            .withMessageContaining("holds no acquisition");
    }

    @Test
    void releasingALockNoLongerOwnedThrowsAndLeavesTheOtherOwnersKeyAlone() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").build();
        assertThat(lock.tryAcquire()).isTrue();
        this.raw.opsForValue().set(KEY, "a");
        assertThatExceptionOfType(LockNotOwnedException.class).isThrownBy(lock::release);
        assertThat(this.raw.opsForValue().get(KEY)).isEqualTo("a");
        // the lost acquisition is forgotten all the same
        assertThatIllegalStateException().isThrownBy(lock::release).isNotInstanceOf(LockNotOwnedException.class);
    }

    // redis-py: test_extend_lock, test_extend_lock_float, test_extending_unlocked_lock_raises_error,
    // test_extending_lock_with_no_timeout_raises_error, test_extending_lock_no_longer_owned_raises_error

    @Test
    void extendAddsToTheRemainingLifetime() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").timeout(Duration.ofSeconds(10)).build();
        assertThat(lock.tryAcquire()).isTrue();
        assertThat(this.raw.getExpire(KEY, TimeUnit.MILLISECONDS)).isGreaterThan(8000L).isLessThanOrEqualTo(10000L);
        assertThat(lock.extend(Duration.ofSeconds(10)).join()).isTrue();
        assertThat(this.raw.getExpire(KEY, TimeUnit.MILLISECONDS)).isGreaterThan(16000L).isLessThanOrEqualTo(20000L);
        lock.release();
    }

    @Test
    void extendTakesFractionalSeconds() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").timeout(Duration.ofMillis(10_000)).build();
        assertThat(lock.tryAcquire()).isTrue();
        assertThat(lock.extend(Duration.ofMillis(2500)).join()).isTrue();
        assertThat(this.raw.getExpire(KEY, TimeUnit.MILLISECONDS)).isGreaterThan(10500L).isLessThanOrEqualTo(12500L);
        lock.release();
    }

    @Test
    void extendingALockThisInstanceDoesNotHoldFailsWithIllegalStateException() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").build();
        assertThatThrownBy(() -> lock.extend(Duration.ofSeconds(1)).join())
            .cause()
            .isInstanceOf(IllegalStateException.class)
            .isNotInstanceOf(LockNotOwnedException.class);
    }

    @Test
    void extendingALockWhoseKeyHasNoExpiryCompletesWithFalse() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").build();
        assertThat(lock.tryAcquire()).isTrue();
        this.raw.persist(KEY);
        assertThat(lock.extend(Duration.ofSeconds(10)).join()).isFalse();
        assertThat(this.raw.getExpire(KEY, TimeUnit.MILLISECONDS)).isEqualTo(-1L);
        lock.release();
    }

    @Test
    void extendingALockNoLongerOwnedFailsWithLockNotOwnedExceptionAndLeavesTheKeyAlone() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").timeout(Duration.ofSeconds(10)).build();
        assertThat(lock.tryAcquire()).isTrue();
        this.raw.opsForValue().set(KEY, "a");
        assertThatThrownBy(() -> lock.extend(Duration.ofSeconds(10)).join())
            .hasCauseInstanceOf(LockNotOwnedException.class);
        assertThat(this.raw.opsForValue().get(KEY)).isEqualTo("a");
        assertThat(this.raw.getExpire(KEY, TimeUnit.MILLISECONDS)).isEqualTo(-1L);
    }

    // redis-py: thread_local

    @Test
    void threadLocalAcquisitionCannotBeReleasedOrExtendedFromAnotherThread() throws Exception {
        RedisLock lock = RedisLock.builder(this.factory, "foo").threadLocal(true).build();
        assertThat(lock.tryAcquire()).isTrue();
        AtomicReference<Throwable> releaseFailure = new AtomicReference<>();
        AtomicReference<Throwable> extendFailure = new AtomicReference<>();
        AtomicBoolean ownedThere = new AtomicBoolean(true);
        Thread other = new Thread(() -> {
            ownedThere.set(lock.isOwned());
            extendFailure.set(catchCause(() -> lock.extend(Duration.ofSeconds(1)).join()));
            releaseFailure.set(catchCause(lock::release));
        });
        other.start();
        other.join();
        assertThat(releaseFailure.get()).isInstanceOf(LockNotOwnedException.class).hasMessageContaining("thread");
        assertThat(extendFailure.get()).isInstanceOf(LockNotOwnedException.class);
        assertThat(ownedThere).isFalse();
        assertThat(lock.isOwned()).isTrue();
        lock.release();
        assertThat(this.raw.hasKey(KEY)).isFalse();
    }

    @Test
    void sharedAcquisitionCanBeReleasedFromAnyThread() throws Exception {
        RedisLock lock = RedisLock.builder(this.factory, "foo").build();
        assertThat(lock.tryAcquire()).isTrue();
        Thread other = new Thread(lock::release);
        other.start();
        other.join();
        assertThat(this.raw.hasKey(KEY)).isFalse();
    }

    @Test
    void permitReleasesItsOwnAcquisitionOnceAndNeverALaterOne() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").build();
        Permit first = lock.acquire().join();
        first.close();
        Permit second = lock.acquire().join();
        String secondToken = this.raw.opsForValue().get(KEY);
        first.close();
        assertThat(this.raw.opsForValue().get(KEY)).isEqualTo(secondToken);
        second.close();
        assertThat(this.raw.hasKey(KEY)).isFalse();
    }

    @Test
    void callerBlockedInJoinGetsThePermitWithoutWaitingForTheExecutor() throws Exception {
        List<Runnable> parked = Collections.synchronizedList(new ArrayList<>());
        RedisLock holder = RedisLock.builder(newFactory(), "foo").build();
        assertThat(holder.tryAcquire()).isTrue();
        RedisLock lock = RedisLock.builder(this.factory, "foo").executor(parked::add).build();
        CompletableFuture<Permit> waiting = lock.acquire();
        // released once the caller below blocks in get(): the grant finds it waiting and leaves the completion to it
        Thread caller = Thread.currentThread();
        CompletableFuture.runAsync(() -> {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                .until(() -> caller.getState() == Thread.State.TIMED_WAITING);
            holder.release();
        });
        Permit permit = waiting.get(5, TimeUnit.SECONDS);
        assertThat(lock.isOwned()).isTrue();
        assertThat(parked).isEmpty();
        permit.close();
        assertThat(this.raw.hasKey(KEY)).isFalse();
    }

    @Test
    void aGrantCancelledBeforeItsCompletionGivesTheLockBack() {
        List<Runnable> parked = Collections.synchronizedList(new ArrayList<>());
        RedisLock lock = RedisLock.builder(this.factory, "foo").executor(parked::add).build();
        CompletableFuture<Permit> acquired = lock.acquire();
        await().atMost(Duration.ofSeconds(5)).until(() -> !parked.isEmpty());
        assertThat(this.raw.hasKey(KEY)).isTrue();
        acquired.cancel(false);
        new ArrayList<>(parked).forEach(Runnable::run);
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.raw.hasKey(KEY));
        assertThat(acquired).isCancelled();
    }

    @Test
    void aLateExecutorCompletionFindsThePermitHandedOutAndKeepsTheLock() throws Exception {
        List<Runnable> parked = Collections.synchronizedList(new ArrayList<>());
        RedisLock lock = RedisLock.builder(this.factory, "foo").executor(parked::add).build();
        CompletableFuture<Permit> acquired = lock.acquire();
        // granted before anyone waits in join(): the executor is asked to complete the future, and is late
        await().atMost(Duration.ofSeconds(5)).until(() -> !parked.isEmpty());
        Permit permit = acquired.join();
        new ArrayList<>(parked).forEach(Runnable::run);
        assertThat(lock.isOwned()).isTrue();
        permit.close();
        assertThat(this.raw.hasKey(KEY)).isFalse();
    }

    @Test
    void dependentStagesStillRunOnTheExecutorWhenNobodyBlocks() throws Exception {
        List<Runnable> parked = Collections.synchronizedList(new ArrayList<>());
        RedisLock lock = RedisLock.builder(this.factory, "foo").executor(parked::add).build();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<Void> done = lock.acquire().thenAccept((permit) -> ranOn.set(Thread.currentThread()));
        await().atMost(Duration.ofSeconds(5)).until(() -> !parked.isEmpty());
        assertThat(done).isNotDone();
        Thread runner = new Thread(() -> new ArrayList<>(parked).forEach(Runnable::run), "the-executor");
        runner.start();
        runner.join();
        done.get(5, TimeUnit.SECONDS);
        assertThat(ranOn.get()).isSameAs(runner);
        lock.release();
    }

    @Test
    void releasedPermitMakesTheInstanceHoldNothing() {
        RedisLock lock = RedisLock.builder(this.factory, "foo").build();
        lock.acquire().join().close();
        assertThatIllegalStateException().isThrownBy(lock::release);
    }

    // waiting

    @Test
    void waiterIsWokenByTheReleaseRatherThanByItsSleep() {
        RedisLock holder = RedisLock.builder(this.factory, "foo").build();
        assertThat(holder.tryAcquire()).isTrue();
        RedisLock waiter = RedisLock.builder(newFactory(), "foo")
            .sleep(Duration.ofSeconds(5))
            .timeout(Duration.ofSeconds(10))
            .build();
        CompletableFuture<Permit> waiting = waiter.acquire();
        awaitSubscribers(KEY, 1);
        Pause.millis(300);
        assertThat(waiting).isNotDone();
        long released = System.nanoTime();
        holder.release();
        waiting.join().close();
        assertThat(Duration.ofNanos(System.nanoTime() - released)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void waitersOfOneProcessShareOneSubscriptionAndGiveItUpWhenNoneIsLeft() {
        RedisLock holder = RedisLock.builder(newFactory(), "foo").build();
        assertThat(holder.tryAcquire()).isTrue();
        List<CompletableFuture<Permit>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RedisLock waiter = RedisLock.builder(this.factory, "foo").blockingTimeout(Duration.ofSeconds(5)).build();
            waiting.add(waiter.acquire());
        }
        awaitSubscribers(KEY, 1);
        Pause.millis(100);
        assertThat(this.redis.subscribers(KEY)).isEqualTo(1);
        holder.release();
        CompletableFuture.allOf(waiting.stream()
            .map((permit) -> permit.thenAccept(Permit::close))
            .toArray(CompletableFuture[]::new)).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> this.redis.subscribers(KEY) == 0);
    }

    @Test
    void waitersOfOneProcessTakeTheLockInArrivalOrder() {
        RedisLock holder = RedisLock.builder(newFactory(), "foo").build();
        assertThat(holder.tryAcquire()).isTrue();
        RedisLock lock = RedisLock.builder(this.factory, "foo").build();
        // connected beforehand: a first try that waits for the connection may answer after the next waiter's
        assertThat(lock.isLocked()).isTrue();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int arrival = i;
            done.add(lock.acquire().thenAccept((permit) -> {
                order.add(arrival);
                permit.close();
            }));
            Pause.millis(30);
        }
        holder.release();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void waitersThatArriveAtOnceTakeTheLockInArrivalOrder() {
        // a long retry sleep: every waiter after the first is woken by a hand-off, none by its own poll
        RedisLock lock = RedisLock.builder(this.factory, "foo").sleep(Duration.ofSeconds(10))
            .timeout(Duration.ofSeconds(60)).blockingTimeout(Duration.ofSeconds(60)).build();
        int waiters = 1_000;
        // back to back, several rounds: the first tries of some are in flight while the earliest ones already queue,
        // and the later arrivals queue without a try
        for (int round = 0; round < 5; round++) {
            Permit held = lock.acquire().join();
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                int arrival = i;
                done.add(lock.acquire().thenAccept((permit) -> {
                    order.add(arrival);
                    permit.close();
                }));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                RedisLockWaiters queued = lock.client().waitersIfPresent(KEY);
                return queued != null && queued.size() == waiters;
            });
            held.close();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
            int firstOutOfOrder = IntStream.range(0, waiters).filter((i) -> order.get(i) != i).findFirst().orElse(-1);
            assertThat(firstOutOfOrder).as("round %d: first grant out of arrival order; grants from there: %s", round,
                    (firstOutOfOrder < 0) ? "" : order.subList(firstOutOfOrder, Math.min(waiters, firstOutOfOrder + 8)))
                .isEqualTo(-1);
        }
    }

    @Test
    void releaseHandsTheLockToTheNextWaiterOfTheSameProcessWithoutFreeingTheKey() throws Exception {
        // a long retry sleep: a retry in flight when the holder releases would make that release free the key
        RedisLock lock = RedisLock.builder(this.factory, "foo").sleep(Duration.ofSeconds(4)).build();
        Permit first = lock.acquire().join();
        String firstToken = this.raw.opsForValue().get(KEY);
        CompletableFuture<Permit> next = lock.acquire();
        Subscriptions.awaitConfirmed(lock);
        RedisCommandStats before = RedisCommandStats.read(this.factory);
        first.close();
        Permit second = next.get(5, TimeUnit.SECONDS);
        assertThat(RedisCommandStats.read(this.factory).since(before, "publish")).isZero();
        assertThat(this.raw.opsForValue().get(KEY)).matches("[0-9a-f]{32}").isNotEqualTo(firstToken);
        assertThat(this.raw.getExpire(KEY, TimeUnit.MILLISECONDS)).isBetween(1L, 5000L);
        assertThat(lock.isOwned()).isTrue();
        second.close();
        assertThat(this.raw.hasKey(KEY)).isFalse();
    }

    @Test
    void releaseFreesTheKeyForEveryoneOncePassesWithinTheProcessUsedUpItsTurnWhileAnotherProcessWaits()
            throws Exception {
        // a sleep this long leaves the local waiters no poll of their own: each takes the lock only when passed it
        RedisLock lock = RedisLock.builder(this.factory, "foo")
            .sleep(Duration.ofSeconds(10))
            .timeout(Duration.ofSeconds(30))
            .build();
        RedisLock elsewhere = RedisLock.builder(newFactory(), "foo").build();
        Permit held = lock.acquire().join();
        AtomicInteger localHolds = new AtomicInteger();
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            waiters.add(lock.acquire().thenAcceptAsync((permit) -> {
                localHolds.incrementAndGet();
                permit.close();
            }));
        }
        // the remote waiter keeps the lock until the publishes are counted, so that its own release is not counted
        CompletableFuture<Void> counted = new CompletableFuture<>();
        AtomicInteger localHoldsFirst = new AtomicInteger(-1);
        waiters.add(elsewhere.acquire().thenCompose((permit) -> {
            localHoldsFirst.set(localHolds.get());
            return counted.thenRun(permit::close);
        }));
        awaitSubscribers(KEY, 2);
        Subscriptions.awaitConfirmed(lock);
        RedisCommandStats before = RedisCommandStats.read(this.factory);
        held.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> localHoldsFirst.get() >= 0);
        // 8 passes within the process (TURN_PASSES in fence.lua), then one release that frees the key and publishes
        assertThat(localHoldsFirst).hasValue(8);
        assertThat(RedisCommandStats.read(this.factory).since(before, "publish")).isEqualTo(1);
        counted.complete(null);
        CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(this.raw.hasKey(KEY)).isFalse();
    }

    @Test
    void handOverSkipsAWaiterThatTimedOut() throws Exception {
        // a key that outlives the wait: a hand-over lost to the waiter that left would not free itself in time
        RedisLock lock = RedisLock.builder(this.factory, "foo").timeout(Duration.ofSeconds(30)).build();
        Permit held = lock.acquire().join();
        CompletableFuture<Permit> gaveUp = lock.acquire(Duration.ofMillis(200));
        CompletableFuture<Permit> patient = lock.acquire(Duration.ofSeconds(10));
        awaitSubscribers(KEY, 1);
        assertThatThrownBy(gaveUp::join).hasCauseInstanceOf(LockTimeoutException.class);
        held.close();
        patient.get(5, TimeUnit.SECONDS).close();
        assertThat(this.raw.hasKey(KEY)).isFalse();
    }

    @Test
    void cancelledOrTimedOutWaitersNeverTakeTheLock() {
        RedisLock holder = RedisLock.builder(newFactory(), "foo").build();
        assertThat(holder.tryAcquire()).isTrue();
        RedisLock lock = RedisLock.builder(this.factory, "foo").build();
        CompletableFuture<Permit> cancelled = lock.acquire();
        CompletableFuture<Permit> timedOut = lock.acquire(Duration.ofMillis(150));
        Pause.millis(50);
        cancelled.cancel(false);
        assertThatThrownBy(timedOut::join).hasCauseInstanceOf(LockTimeoutException.class);
        holder.release();
        Pause.millis(200);
        assertThat(this.raw.hasKey(KEY)).isFalse();
        assertThatIllegalStateException().isThrownBy(lock::release);
    }

    @Test
    void cancelsRacingGrantsToCallersBlockedInJoinNeverLeaveTheLockHeld() throws Exception {
        // a long key lifetime: a permit that nobody got and nobody gave back would keep the key for a minute
        RedisLock lock = RedisLock.builder(this.factory, "foo").timeout(Duration.ofSeconds(60))
            .blockingTimeout(Duration.ofSeconds(10)).build();
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            int granted = 0;
            for (int round = 0; round < 200; round++) {
                Permit held = lock.acquire().join();
                CompletableFuture<Permit> waiting = lock.acquire();
                // one caller blocks in join() while the holder releases and another cancels: in either order, a
                // varying time apart
                java.util.concurrent.Future<Permit> joined = callers.submit(() -> waiting.join());
                if (round % 2 == 0) {
                    callers.submit(() -> waiting.cancel(false));
                    spin((round % 20) * 10_000L);
                    held.close();
                }
                else {
                    held.close();
                    spin((round % 20) * 10_000L);
                    callers.submit(() -> waiting.cancel(false));
                }
                try {
                    joined.get(10, TimeUnit.SECONDS).close();
                    granted++;
                }
                catch (java.util.concurrent.ExecutionException ex) {
                    assertThat(ex).hasCauseInstanceOf(java.util.concurrent.CancellationException.class);
                }
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                    .until(() -> !this.raw.hasKey(KEY));
            }
            // both outcomes came up, or the race was not run
            assertThat(granted).isBetween(1, 199);
        }
        finally {
            callers.shutdownNow();
        }
    }

    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @Test
    void holderThatDiesFreesTheLockWhenItsKeyExpires() {
        LettuceConnectionFactory doomed = this.redis.newConnectionFactory();
        RedisLock holder = RedisLock.builder(doomed, "foo").timeout(Duration.ofMillis(600)).build();
        assertThat(holder.tryAcquire()).isTrue();
        long held = System.nanoTime();
        doomed.destroy();
        RedisLock waiter = RedisLock.builder(this.factory, "foo").blockingTimeout(Duration.ofSeconds(3)).build();
        waiter.acquire().join().close();
        assertThat(Duration.ofNanos(System.nanoTime() - held)).isBetween(Duration.ofMillis(500),
                Duration.ofMillis(2000));
    }

    @Test
    void sixteenAcquirersOnFourFactoriesCountExactly() {
        int acquirers = 16;
        int increments = 2000;
        StringRedisTemplate counter = this.raw;
        counter.opsForValue().set("counter", "0");
        List<RedisLock> locks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            LettuceConnectionFactory each = (i == 0) ? this.factory : newFactory();
            // two acquirers share each instance: sharing must exclude as well as separate processes do
            RedisLock a = RedisLock.builder(each, "counter").blockingTimeout(Duration.ofSeconds(30)).build();
            RedisLock b = RedisLock.builder(each, "counter").blockingTimeout(Duration.ofSeconds(30)).build();
            locks.addAll(List.of(a, a, b, b));
        }
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        ExecutorService work = Executors.newFixedThreadPool(4);
        try {
            long start = System.nanoTime();
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int i = 0; i < acquirers; i++) {
                runs.add(incrementTimes(locks.get(i), increments / acquirers, counter, inside, maxInside, work));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("%d contended increments by %d acquirers took %d ms%n", increments, acquirers,
                    elapsed.toMillis());
        }
        finally {
            work.shutdownNow();
        }
        assertThat(counter.opsForValue().get("counter")).isEqualTo(String.valueOf(increments));
        assertThat(maxInside).hasValue(1);
    }

    @Test
    void passwordProtectedRedisWorksThroughAPasswordConfiguredFactory(RedisServers servers) {
        RedisServerProcess server = servers.start("s3cret-pass");
        LettuceConnectionFactory first = server.endpoint().newConnectionFactory();
        LettuceConnectionFactory second = server.endpoint().newConnectionFactory();
        this.factories.addAll(List.of(first, second));
        RedisLock holder = RedisLock.builder(first, "secured").build();
        RedisLock waiter = RedisLock.builder(second, "secured").sleep(Duration.ofSeconds(2)).build();
        Permit held = holder.acquire().join();
        CompletableFuture<Permit> waiting = waiter.acquire();
        Pause.millis(200);
        assertThat(waiting).isNotDone();
        held.close();
        waiting.join().close();
        assertThat(server.command("EXISTS", "quiver:lock:secured")).isEqualTo(":0");
    }

    @Test
    void observerHearsWaitsAndHolds() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        LockObserver observer = new LockObserver() {
            @Override
            public void waited(WaitOutcome outcome, long nanos) {
                events.add("wait " + outcome);
            }

            @Override
            public void held(long nanos) {
                events.add("held");
            }
        };
        RedisLock lock = RedisLock.builder(this.factory, "foo").observer(observer).build();
        Permit permit = lock.acquire().join();
        assertThatThrownBy(() -> lock.acquire(Duration.ofMillis(50)).join())
            .hasCauseInstanceOf(LockTimeoutException.class);
        CompletableFuture<Permit> cancelled = lock.acquire();
        cancelled.cancel(false);
        permit.close();
        await().atMost(Duration.ofSeconds(2)).until(() -> events.size() == 4);
        assertThat(events).containsExactlyInAnyOrder("wait ACQUIRED", "wait TIMEOUT", "wait CANCELLED", "held");
    }

    @Test
    void redisLocksHandsOutTheLockInUseForANameWithTheConfiguredSettings() {
        RedisLocks locks = new RedisLocks(this.factory,
                RedisLockSettings.defaults().withTimeout(Duration.ofSeconds(30)).withKeyPrefix("app:"));
        RedisLock report = locks.get("report");
        assertThat(report.key()).isEqualTo("app:report");
        assertThat(report.tryAcquire()).isTrue();
        assertThat(locks.get("report")).isSameAs(report);
        assertThat(locks.get("other")).isNotSameAs(report);
        assertThat(this.raw.getExpire("app:report", TimeUnit.MILLISECONDS)).isGreaterThan(28000L);
        report.release();
    }

    private CompletableFuture<Void> incrementTimes(RedisLock lock, int times, StringRedisTemplate counter,
            AtomicInteger inside, AtomicInteger maxInside, ExecutorService work) {
        if (times == 0) {
            return CompletableFuture.completedFuture(null);
        }
        return lock.withLock(() -> CompletableFuture.runAsync(() -> {
            int now = inside.incrementAndGet();
            maxInside.accumulateAndGet(now, Math::max);
            long value = Long.parseLong(counter.opsForValue().get("counter"));
            counter.opsForValue().set("counter", String.valueOf(value + 1));
            inside.decrementAndGet();
        }, work)).thenCompose((ignored) -> incrementTimes(lock, times - 1, counter, inside, maxInside, work));
    }

    /** Waits until this process's waiters of the key have seen their subscription confirmed (the first wake-up). */
    private void awaitSubscribers(String channel, long count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> this.redis.subscribers(channel) == count);
    }

    private LettuceConnectionFactory newFactory() {
        LettuceConnectionFactory created = this.redis.newConnectionFactory();
        this.factories.add(created);
        return created;
    }

    private static Throwable catchCause(Runnable action) {
        try {
            action.run();
            return null;
        }
        catch (CompletionException ex) {
            return ex.getCause();
        }
        catch (RuntimeException ex) {
            return ex;
        }
    }
}
