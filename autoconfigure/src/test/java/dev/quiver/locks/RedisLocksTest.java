package dev.quiver.locks;

import java.time.Duration;

import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link RedisLocks} on a real Redis. Waiters retry only every 10 s here, so a waiter that gets the lock sooner was
 * woken by the release.
 */
@RedisTest
class RedisLocksTest extends LockFactoryTests {

    private final RedisLocks locks;

    RedisLocksTest(LettuceConnectionFactory factory) {
        this.locks = new RedisLocks(factory, RedisLockSettings.defaults()
            .withTimeout(Duration.ofSeconds(60))
            .withSleep(Duration.ofSeconds(10))
            .withBlockingTimeout(PATIENCE));
    }

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
        RedisLock lock = this.locks.get(name);
        RedisLockWaiters queued = lock.client().waitersIfPresent(lock.key());
        return (queued != null) ? queued.size() : 0;
    }

    @Override
    LockCounts counts() {
        return this.locks.counts();
    }

    @Override
    Duration wakeUp() {
        return Duration.ofSeconds(5);
    }

    @Override
    int rounds() {
        return 40;
    }

    @Test
    void anyInstanceOfANameOwnsAndExtendsItsCurrentAcquisition() {
        assertThat(this.locks.get("order:3").tryAcquire()).isTrue();
        assertThat(this.locks.get("order:3").isOwned()).isTrue();
        assertThat(this.locks.get("order:3").extend(Duration.ofSeconds(1)).join()).isTrue();
        this.locks.get("order:3").release();
        assertThat(this.locks.get("order:3").isOwned()).isFalse();
        assertThat(this.locks.namesInUse()).isZero();
    }

    @Test
    void theLocksReportToTheFactorysObserverOnly() {
        assertThatExceptionOfType(UnsupportedOperationException.class)
            .isThrownBy(() -> this.locks.get("order:4").setObserver(LockObserver.none()));
    }
}
