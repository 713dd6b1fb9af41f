package dev.quiver.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import dev.quiver.locks.LockTimeoutException;
import dev.quiver.locks.Permit;
import dev.quiver.locks.RedisLock;
import dev.quiver.testsupport.RedisServerProcess;
import dev.quiver.testsupport.RedisServers;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Scenario 3, Redis restart: Redis is killed (SIGKILL) while one task holds a {@link RedisLock} and 50 wait for it.
 * Every waiter must end, exceptionally, within its blocking timeout plus one second; the holder's {@code release()}
 * must fail with an exception that says what went wrong; once Redis is back on the same port, 1,000 acquire/release
 * cycles must succeed; and no thread may be left behind.
 */
@Tag("reliability")
@RedisTest
class RedisRestartTest {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    private static final Duration BLOCKING_TIMEOUT = Duration.ofSeconds(2);

    private static final int WAITERS = 50;

    private static final int CYCLES = 1_000;

    @Test
    void waitersEndInTimeTheHolderHearsWhyAndTheLockWorksAgainAfterARestartOnTheSamePort(RedisServers servers)
            throws Exception {
        RedisServerProcess server = servers.start();
        int port = server.port();
        Set<String> threadsBefore = threadsAfterWarmUp(server);
        int threadCountBefore = threadsBefore.size();
        LettuceConnectionFactory holderFactory = server.endpoint().newConnectionFactory(COMMAND_TIMEOUT);
        LettuceConnectionFactory waiterFactory = server.endpoint().newConnectionFactory(COMMAND_TIMEOUT);
        Map<String, Integer> endings = new TreeMap<>();
        long slowestEndingMillis;
        Throwable releaseFailure;
        long cyclesMillis;
        long reconnectMillis;
        try {
            RedisLock holder = RedisLock.builder(holderFactory, "restart").timeout(Duration.ofSeconds(30)).build();
            assertThat(holder.tryAcquire()).isTrue();
            // five instances shared by ten waiters each, as beans are shared by an application's tasks
            List<RedisLock> waiterLocks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiterLocks.add(RedisLock.builder(waiterFactory, "restart")
                    .sleep(Duration.ofMillis(50))
                    .blockingTimeout(BLOCKING_TIMEOUT)
                    .build());
            }
            long start = System.nanoTime();
            List<CompletableFuture<Long>> waiters = new ArrayList<>();
            for (int i = 0; i < WAITERS; i++) {
                waiters.add(waiterLocks.get(i % 5).acquire().handle((permit, failure) -> {
                    long ended = System.nanoTime();
                    Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
                    synchronized (endings) {
                        endings.merge((cause != null) ? cause.getClass().getSimpleName() : "acquired", 1, Integer::sum);
                    }
                    if (permit != null) {
                        permit.close();
                    }
                    return ended;
                }));
            }
            Thread.sleep(300);
            server.kill();

            releaseFailure = catchThrowable(holder::release);

            CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
            slowestEndingMillis = 0;
            for (CompletableFuture<Long> waiter : waiters) {
                slowestEndingMillis = Math.max(slowestEndingMillis, (waiter.join() - start) / 1_000_000);
            }
            assertThat(endings).as("how the waits ended").doesNotContainKey("acquired");
            assertThat(endings.keySet()).allSatisfy((type) -> assertThat(type).isIn(
                    LockTimeoutException.class.getSimpleName(), QueryTimeoutException.class.getSimpleName(),
                    RedisConnectionFailureException.class.getSimpleName(), RedisSystemException.class.getSimpleName()));
            assertThat(Duration.ofMillis(slowestEndingMillis)).as("the slowest waiter's wait")
                .isLessThanOrEqualTo(BLOCKING_TIMEOUT.plusSeconds(1));
            assertThat(releaseFailure).as("the holder's release while Redis is down")
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("restart");

            server.restart();
            assertThat(server.port()).isEqualTo(port);
            RedisLock lock = RedisLock.builder(waiterFactory, "restart").blockingTimeout(Duration.ofSeconds(5)).build();
            long restarted = System.nanoTime();
            awaitRedisBack(lock);
            reconnectMillis = Figures.millisSince(restarted);
            long cyclesStart = System.nanoTime();
            for (int i = 0; i < CYCLES; i++) {
                try (Permit permit = lock.acquire().get(5, TimeUnit.SECONDS)) {
                    assertThat(permit).isNotNull();
                }
            }
            cyclesMillis = Figures.millisSince(cyclesStart);
            assertThat(lock.isLocked()).isFalse();
        }
        finally {
            holderFactory.destroy();
            waiterFactory.destroy();
        }
        int threadCountAfter = Threads.assertNoneLeftBehind(threadsBefore);
        Figures.report(3, "Redis killed with 1 holder and %d waiters (blocking timeout %d ms, command timeout %d ms); "
                + "all waiters ended exceptionally %s, the slowest after %d ms (bound %d ms); the holder's release "
                + "threw %s: \"%s\"; after the restart on port %d the lock worked again within %d ms (Lettuce's "
                + "reconnect back-off), then %d acquire/release cycles in %d ms; live threads %d before, %d after",
                WAITERS, BLOCKING_TIMEOUT.toMillis(), COMMAND_TIMEOUT.toMillis(), endings,
                slowestEndingMillis, BLOCKING_TIMEOUT.plusSeconds(1).toMillis(),
                releaseFailure.getClass().getSimpleName(), releaseFailure.getMessage(), port, reconnectMillis, CYCLES,
                cyclesMillis, threadCountBefore, threadCountAfter);
    }

    /** Lettuce reconnects on its own schedule; wait (by hand, no extra thread) until a lock round trip works. */
    private static void awaitRedisBack(RedisLock lock) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                lock.acquire().get(5, TimeUnit.SECONDS).close();
                return;
            }
            catch (Exception ex) {
                assertThat(System.nanoTime()).as("Redis usable again within 20 s: " + ex).isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    /**
     * Uses a lock once on a factory of its own and destroys it, so that what a lock starts once per JVM (its timer)
     * runs before the threads are counted.
     */
    private static Set<String> threadsAfterWarmUp(RedisServerProcess server) throws Exception {
        LettuceConnectionFactory factory = server.endpoint().newConnectionFactory(COMMAND_TIMEOUT);
        try {
            RedisLock lock = RedisLock.builder(factory, "warm-up").build();
            lock.acquire().get(10, TimeUnit.SECONDS).close();
            lock.acquire(Duration.ofMillis(10)).get(10, TimeUnit.SECONDS).close();
        }
        finally {
            factory.destroy();
        }
        return Threads.liveNames();
    }
}
