package dev.quiver.locks;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Validation of {@link RedisLock#builder}, {@link RedisLockSettings} and {@link RedisLocks}; no Redis needed, since
 * nothing connects before first use.
 */
class RedisLockBuilderTest {

    private final LettuceConnectionFactory factory = new LettuceConnectionFactory();

    @Test
    void theFenceKeyStartsWithTheLockKeyAndSharesItsClusterSlot() {
        for (String key : List.of("quiver:lock:report", "quiver:lock:{order}:42", "quiver:lock:a{}b",
                "quiver:lock:a{b", "quiver:lock:a}b", "quiver:lock:{a}}b", "quiver:lock:nightly report \uD83D\uDCCA")) {
            String fenceKey = RedisLock.fenceKey(key);
            assertThat(fenceKey).as(key).startsWith(key + ":fence");
            assertThat(SlotHash.getSlot(fenceKey)).as(fenceKey).isEqualTo(SlotHash.getSlot(key));
        }
    }

    @Test
    void defaultsAreThoseOfTheContract() {
        RedisLock lock = RedisLock.builder(this.factory, "report").build();
        assertThat(lock.name()).isEqualTo("report");
        assertThat(lock.key()).isEqualTo("quiver:lock:report");
        assertThat(lock.settings()).isEqualTo(new RedisLockSettings(Duration.ofMillis(20), Duration.ofSeconds(5),
                Duration.ofSeconds(10), false, "quiver:lock:"));
        assertThat(RedisLockSettings.defaults()).isEqualTo(lock.settings());
    }

    @Test
    void everySettingIsApplied() {
        RedisLock lock = RedisLock.builder(this.factory, "report")
            .sleep(Duration.ofMillis(50))
            .timeout(Duration.ofSeconds(30))
            .blockingTimeout(Duration.ZERO)
            .threadLocal(true)
            .keyPrefix("")
            .build();
        assertThat(lock.key()).isEqualTo("report");
        assertThat(lock.settings()).isEqualTo(new RedisLockSettings(Duration.ofMillis(50), Duration.ofSeconds(30),
                Duration.ZERO, true, ""));
    }

    @Test
    void settingAValueTwiceIsRefused() {
        assertThatIllegalStateException()
            .isThrownBy(() -> builder().sleep(Duration.ofMillis(5)).sleep(Duration.ofMillis(6)))
            .withMessage("sleep was already set to PT0.005S");
        assertThatIllegalStateException()
            .isThrownBy(() -> builder().timeout(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(1)))
            .withMessage("timeout was already set to PT1S");
        assertThatIllegalStateException()
            .isThrownBy(() -> builder().blockingTimeout(Duration.ZERO).blockingTimeout(Duration.ZERO))
            .withMessage("blockingTimeout was already set to PT0S");
        assertThatIllegalStateException().isThrownBy(() -> builder().threadLocal(false).threadLocal(true))
            .withMessage("threadLocal was already set to false");
        assertThatIllegalStateException().isThrownBy(() -> builder().keyPrefix("a:").keyPrefix("b:"))
            .withMessage("keyPrefix was already set to a:");
        assertThatIllegalStateException()
            .isThrownBy(() -> builder().observer(LockObserver.none()).observer(LockObserver.none()))
            .withMessageStartingWith("observer was already set");
        assertThatIllegalStateException().isThrownBy(() -> builder().executor(Runnable::run).executor(Runnable::run))
            .withMessageStartingWith("executor was already set");
    }

    @Test
    void badDurationsAreRefusedNamingTheParameterAndTheValue() {
        RedisLock.Builder builder = RedisLock.builder(this.factory, "x");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.sleep(Duration.ZERO))
            .withMessage("sleep must be at least 1ms, got PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.sleep(Duration.ofMillis(-5)))
            .withMessage("sleep must be at least 1ms, got PT-0.005S");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.timeout(Duration.ofNanos(999_999)))
            .withMessage("timeout must be at least 1ms, got PT0.000999999S");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.timeout(Duration.ofSeconds(-1)))
            .withMessage("timeout must be at least 1ms, got PT-1S");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.blockingTimeout(Duration.ofSeconds(-1)))
            .withMessage("blockingTimeout must not be negative, got PT-1S");
        assertThatNullPointerException().isThrownBy(() -> builder.sleep(null)).withMessage("sleep");
        assertThatNullPointerException().isThrownBy(() -> builder.timeout(null)).withMessage("timeout");
        assertThatNullPointerException().isThrownBy(() -> builder.blockingTimeout(null))
            .withMessage("blockingTimeout");
        assertThatNullPointerException().isThrownBy(() -> builder.keyPrefix(null)).withMessage("keyPrefix");
        assertThatNullPointerException().isThrownBy(() -> builder.observer(null)).withMessage("observer");
        assertThatNullPointerException().isThrownBy(() -> builder.executor(null)).withMessage("executor");
    }

    // redis-py: test_high_sleep_raises_error
    @Test
    void sleepLongerThanTheTimeoutIsRefused() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> RedisLock.builder(this.factory, "x")
                .timeout(Duration.ofSeconds(1))
                .sleep(Duration.ofSeconds(2))
                .build())
            .withMessageStartingWith("sleep (PT2S) must not be longer than timeout (PT1S)");
    }

    @Test
    void blankOrMissingNamesAndFactoriesAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> RedisLock.builder(this.factory, " "))
            .withMessage("name must not be blank, got ' '");
        assertThatIllegalArgumentException().isThrownBy(() -> RedisLock.builder(this.factory, ""))
            .withMessage("name must not be blank, got ''");
        assertThatNullPointerException().isThrownBy(() -> RedisLock.builder(this.factory, null)).withMessage("name");
        assertThatNullPointerException().isThrownBy(() -> RedisLock.builder(null, "x")).withMessage("factory");
        RedisConnectionFactory other = (RedisConnectionFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { RedisConnectionFactory.class }, (proxy, method, args) -> null);
        assertThatIllegalArgumentException().isThrownBy(() -> RedisLock.builder(other, "x"))
            .withMessageContaining("needs a LettuceConnectionFactory");
        assertThatIllegalArgumentException().isThrownBy(() -> new RedisLocks(other))
            .withMessageContaining("needs a LettuceConnectionFactory");
    }

    @Test
    void callArgumentsAreValidated() {
        RedisLock lock = RedisLock.builder(this.factory, "x").build();
        assertThatIllegalArgumentException().isThrownBy(() -> lock.acquire(Duration.ofMillis(-1)))
            .withMessage("blockingTimeout must not be negative, got PT-0.001S");
        assertThatIllegalArgumentException().isThrownBy(() -> lock.extend(Duration.ZERO))
            .withMessage("additional must be at least 1ms, got PT0S");
        assertThatNullPointerException()
            .isThrownBy(() -> lock.withLock((Supplier<CompletionStage<Object>>) null))
            .withMessage("action");
        assertThatNullPointerException()
            .isThrownBy(() -> lock.withLock((Function<Permit, CompletionStage<Object>>) null))
            .withMessage("action");
        assertThatIllegalStateException().isThrownBy(lock::release).withMessageContaining("holds no acquisition");
    }

    @Test
    void settingsRefuseBadValuesToo() {
        RedisLockSettings defaults = RedisLockSettings.defaults();
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withTimeout(Duration.ofMillis(10)))
            .withMessageStartingWith("sleep (PT0.02S) must not be longer than timeout (PT0.01S)");
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withBlockingTimeout(Duration.ofSeconds(-2)))
            .withMessage("blockingTimeout must not be negative, got PT-2S");
        assertThatNullPointerException().isThrownBy(() -> defaults.withKeyPrefix(null)).withMessage("keyPrefix");
        assertThat(defaults.withThreadLocal(true).threadLocal()).isTrue();
    }

    @Test
    void acquiringOnAFactoryThatIsNotStartedFailsTheFuture() {
        RedisLock lock = RedisLock.builder(this.factory, "x").build();
        assertThat(lock.acquire()).failsWithin(Duration.ofSeconds(1))
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .withCauseInstanceOf(IllegalStateException.class);
    }

    private RedisLock.Builder builder() {
        return RedisLock.builder(this.factory, "x");
    }
}
