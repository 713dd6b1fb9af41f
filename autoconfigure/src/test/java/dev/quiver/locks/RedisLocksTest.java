package dev.quiver.locks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisLocks} on a real Redis. Waiters retry only every 10 s here, so a waiter that gets the lock sooner was
 * woken by the release.
 */
@RedisTest
class RedisLocksTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Much less than the retry interval: a wake-up within it came from the release. */
    private static final Duration WAKE_UP = Duration.ofSeconds(5);

    /** Threads that may start meanwhile for reasons of the JVM's own (the common pool, the JIT), not for waiters. */
    private static final int THREAD_SLACK = 8;

    private final RedisLocks locks;

    RedisLocksTest(LettuceConnectionFactory factory) {
        this.locks = new RedisLocks(factory, RedisLockSettings.defaults()
            .withTimeout(Duration.ofSeconds(60))
            .withSleep(Duration.ofSeconds(10))
            .withBlockingTimeout(PATIENCE));
    }

    @Test
    void aPermitTakenThroughOneInstanceExcludesAndItsReleaseWakesAWaiterOfAnother() {
        RedisLock first = this.locks.get("order:1");
        RedisLock second = this.locks.get("order:1");
        Permit permit = first.acquire().join();
        assertThat(second.tryAcquire()).isFalse();
        CompletableFuture<Permit> waiting = second.acquire();
        assertThat(waiting).isNotDone();
        permit.close();
        Permit next = waiting.orTimeout(WAKE_UP.toMillis(), TimeUnit.MILLISECONDS).join();
        assertThat(next.fencingToken()).isGreaterThan(permit.fencingToken());
        assertThat(this.locks.get("order:1").isOwned()).isTrue();
        first.release();
        assertThat(second.isLocked()).isFalse();
        assertThat(this.locks.namesInUse()).isZero();
    }

    @Test
    void anyInstanceOfANameReleasesTheNamesCurrentAcquisition() {
        assertThat(this.locks.get("order:2").tryAcquire()).isTrue();
        assertThat(this.locks.get("order:2").isOwned()).isTrue();
        assertThat(this.locks.get("order:2").extend(Duration.ofSeconds(1)).join()).isTrue();
        this.locks.get("order:2").release();
        assertThatIllegalStateException().isThrownBy(() -> this.locks.get("order:2").release());
        assertThat(this.locks.namesInUse()).isZero();
    }

    @Test
    void aNameIsForgottenOnceNobodyHoldsOrWaitsForIt() {
        List<CompletableFuture<Permit>> acquiring = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            acquiring.add(this.locks.get("player:" + i).acquire());
        }
        List<Permit> permits = acquiring.stream().map(CompletableFuture::join).toList();
        assertThat(this.locks.namesInUse()).isEqualTo(500);
        CompletableFuture<Permit> timesOut = this.locks.get("player:1").acquire(Duration.ofMillis(50));
        CompletableFuture<Permit> cancelled = this.locks.get("player:2").acquire();
        assertThat(this.locks.get("player:3").tryAcquire()).isFalse();
        assertThat(this.locks.get("player:4").acquire(Duration.ZERO)).failsWithin(PATIENCE);
        assertThatExceptionOfType(CompletionException.class).isThrownBy(timesOut::join)
            .withCauseInstanceOf(LockTimeoutException.class);
        cancelled.cancel(false);
        await().atMost(PATIENCE).until(() -> this.locks.counts().equals(new LockCounts(500, 0)));
        permits.forEach(Permit::close);
        this.locks.get("player:5").withLock(() -> CompletableFuture.completedFuture(null)).join();
        assertThat(this.locks.namesInUse()).isZero();
        assertThat(this.locks.counts()).isEqualTo(new LockCounts(0, 0));
    }

    @Test
    void anInstanceKeptFromBeforeANameWasForgottenIsWokenByAReleaseThroughTheNewOne() {
        RedisLock kept = this.locks.get("report");
        this.locks.get("report").acquire().join().close();
        assertThat(this.locks.namesInUse()).isZero();

        Permit permit = this.locks.get("report").acquire().join();
        CompletableFuture<Permit> waiter = kept.acquire();
        assertThat(waiter).isNotDone();
        permit.close();
        Permit woken = waiter.orTimeout(WAKE_UP.toMillis(), TimeUnit.MILLISECONDS).join();

        CompletableFuture<Permit> other = this.locks.get("report").acquire();
        assertThat(other).isNotDone();
        kept.release();
        assertThat(woken.lost()).isCancelled();
        other.orTimeout(WAKE_UP.toMillis(), TimeUnit.MILLISECONDS).join().close();
        assertThat(this.locks.namesInUse()).isZero();
    }

    @Test
    void instancesOfOneNameNeverHoldAtOnceWhenConcurrentCallersUseFreshInstances() {
        int names = 4;
        int chains = 8;
        int rounds = 40;
        AtomicInteger[] inside = new AtomicInteger[names];
        for (int i = 0; i < names; i++) {
            inside[i] = new AtomicInteger();
        }
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger entered = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int chain = 0; chain < chains; chain++) {
            CompletableFuture<Void> steps = CompletableFuture.completedFuture(null);
            for (int round = 0; round < rounds; round++) {
                int name = (chain + round) % names;
                steps = steps.thenCompose((ignored) -> this.locks.get("entity:" + name)
                    .withLock(() -> CompletableFuture.runAsync(() -> {
                        if (inside[name].incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        entered.incrementAndGet();
                        inside[name].decrementAndGet();
                    })));
            }
            all.add(steps);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(overlaps).hasValue(0);
        assertThat(entered).hasValue(chains * rounds);
        assertThat(this.locks.namesInUse()).isZero();
    }

    @Test
    void tenThousandWaitersOnDistinctNamesAndOnOneNameTakeNoThread() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int waiters = 10_000;
        // warm up what the first wait starts once (the connections, the release subscription, the lock timer)
        Permit warmUp = this.locks.get("warm-up").acquire().join();
        CompletableFuture<Permit> warmWaiter = this.locks.get("warm-up").acquire();
        warmUp.close();
        warmWaiter.join().close();
        int before = threads.getThreadCount();

        // holders and waiters release without blocking, so that 10,000 releases go to Redis pipelined
        CompletableFuture<Void> holding = new CompletableFuture<>();
        AtomicInteger holders = new AtomicInteger();
        List<CompletableFuture<Void>> held = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            held.add(this.locks.get("distinct:" + i).withLock(() -> {
                holders.incrementAndGet();
                return holding;
            }));
        }
        await().atMost(PATIENCE).until(() -> holders.get() == waiters);
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            waiting.add(this.locks.get("distinct:" + i).withLock(() -> CompletableFuture.completedFuture(null)));
        }
        Permit single = this.locks.get("single").acquire().join();
        List<CompletableFuture<Permit>> queued = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            queued.add(this.locks.get("single").acquire());
        }
        await().atMost(PATIENCE)
            .until(() -> this.locks.counts().equals(new LockCounts(waiters + 1, 2L * waiters)));
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        assertThat(queued).noneMatch(CompletableFuture::isDone);
        assertThat(threads.getThreadCount()).isLessThanOrEqualTo(before + THREAD_SLACK);

        holding.complete(null);
        CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
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
        await().atMost(PATIENCE).until(() -> this.locks.namesInUse() == 0);
        assertThat(this.locks.counts()).isEqualTo(new LockCounts(0, 0));
    }
}
