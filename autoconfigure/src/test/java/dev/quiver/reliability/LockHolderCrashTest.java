package dev.quiver.reliability;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.quiver.locks.Permit;
import dev.quiver.locks.RedisLock;
import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 2, holder crash: a child JVM takes a {@link RedisLock} and is killed with SIGKILL while holding it, so it
 * never releases. A waiter in this JVM must get the lock once the key's {@code timeout} has run out, not before, and
 * not much after (within a few of its {@code sleep} retries), with nobody cleaning up by hand.
 */
@Tag("reliability")
@RedisTest
class LockHolderCrashTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static final Duration SLEEP = Duration.ofMillis(20);

    /**
     * The waiter must get the lock by its own retries (every {@link #SLEEP}), not by luck a key lifetime later: a
     * functional deadline, not a latency bound (the delay measured is reported, not asserted).
     */
    private static final Duration LATE_TOLERANCE = TIMEOUT;

    @Test
    void aWaiterGetsTheLockOfAKilledHolderWhenTheKeyTimesOutAndNotBefore(RedisEndpoint endpoint) throws Exception {
        LettuceConnectionFactory factory = endpoint.newConnectionFactory();
        try (ChildJvm holder = ChildJvm.start(LockHolderMain.class, endpoint.url(), "crash",
                String.valueOf(TIMEOUT.toMillis()))) {
            StringRedisTemplate redis = new StringRedisTemplate(factory);
            RedisLock waiterLock = RedisLock.builder(factory, "crash")
                .sleep(SLEEP)
                .timeout(TIMEOUT)
                .blockingTimeout(Duration.ofSeconds(10))
                .build();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            // polling Redis (not only the output) also warms this JVM's connections up before the measurement
            while (!Boolean.TRUE.equals(redis.hasKey(waiterLock.key())) || !holder.output().contains("ACQUIRED")) {
                assertThat(holder.process().isAlive()).as("holder output:%n%s", holder.output()).isTrue();
                assertThat(System.nanoTime()).as("holder acquired within 60 s").isLessThan(deadline);
                Thread.sleep(10);
            }
            holder.kill();
            assertThat(holder.process().isAlive()).isFalse();

            long asked = System.nanoTime();
            Long remainingMillis = redis.getExpire(waiterLock.key(), TimeUnit.MILLISECONDS);
            long answered = System.nanoTime();
            assertThat(remainingMillis).as("the dead holder's key is still there").isPositive();
            CompletableFuture<Permit> waiter = waiterLock.acquire();
            // the key expires between (asked + remaining) and (answered + remaining); PTTL is rounded to 1 ms
            long earliestExpiry = asked + TimeUnit.MILLISECONDS.toNanos(remainingMillis - 1);
            long latestExpiry = answered + TimeUnit.MILLISECONDS.toNanos(remainingMillis + 1);

            Permit permit = waiter.get(10, TimeUnit.SECONDS);
            long acquired = System.nanoTime();
            permit.close();

            long earlyNanos = earliestExpiry - acquired;
            long lateNanos = acquired - latestExpiry;
            assertThat(acquired).as("acquired no earlier than the key's expiry").isGreaterThanOrEqualTo(earliestExpiry);
            assertThat(Duration.ofNanos(lateNanos)).as("delay after the key's expiry, within one more key lifetime")
                .isLessThan(LATE_TOLERANCE);
            Figures.report(2, "holder JVM killed with SIGKILL while holding; key timeout %d ms, %d ms left at "
                    + "the kill (measured within %d ms); the waiter got the lock %d ms after the earliest possible "
                    + "expiry and %d ms after the latest (bound %d ms), never before it; no manual clean-up",
                    TIMEOUT.toMillis(), remainingMillis, (answered - asked) / 1_000_000, -earlyNanos / 1_000_000,
                    lateNanos / 1_000_000, LATE_TOLERANCE.toMillis());
        }
        finally {
            factory.destroy();
        }
    }
}
