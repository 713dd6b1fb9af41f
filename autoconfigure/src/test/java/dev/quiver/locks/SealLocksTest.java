package dev.quiver.locks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SealLocksTest extends LockFactoryTests {

    private final SealLocks locks = new SealLocks();

    @Override
    AsyncLock lock(String name) {
        return this.locks.get(name);
    }

    @Override
    int namesInUse() {
        return this.locks.namesInUse();
    }

    @Override
    int parked(String name) {
        return this.locks.get(name).queueLength();
    }

    @Override
    LockCounts counts() {
        return this.locks.counts();
    }

    @Override
    Duration wakeUp() {
        // a release hands the lock over before it returns: anything longer than no time is generous
        return PATIENCE;
    }

    @Override
    int rounds() {
        return 2_000;
    }

    @Test
    void everyInstanceOfANameSeesItsQueue() {
        Permit held = this.locks.get("job").acquire().join();
        CompletableFuture<Permit> waiter = this.locks.get("job").acquire();
        assertThat(this.locks.get("job").queueLength()).isEqualTo(1);
        waiter.complete(null);
        assertThat(this.locks.get("job").queueLength()).isZero();
        held.close();
        assertThat(this.locks.get("job").queueLength()).isZero();
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
