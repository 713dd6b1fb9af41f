package dev.quiver.locks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisServerProcess;
import dev.quiver.testsupport.RedisServers;
import dev.quiver.testsupport.RedisTest;
import dev.quiver.testsupport.Pause;
import io.lettuce.core.RedisCommandTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisLock} when Redis goes away: killed while callers wait, restarted on the same port.
 */
@RedisTest
class RedisLockFaultTest {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    @Test
    void waitersFailWithinTheirBlockingTimeoutWhenRedisIsKilledAndNewAcquisitionsWorkAfterARestart(
            RedisServers servers) {
        RedisServerProcess server = servers.start();
        Set<String> threadsBefore = threadsAfterWarmUp(server);
        LettuceConnectionFactory holderFactory = server.endpoint().newConnectionFactory(COMMAND_TIMEOUT);
        LettuceConnectionFactory waiterFactory = server.endpoint().newConnectionFactory(COMMAND_TIMEOUT);
        try {
            RedisLock holder = RedisLock.builder(holderFactory, "job").timeout(Duration.ofSeconds(30)).build();
            assertThat(holder.tryAcquire()).isTrue();
            Duration blockingTimeout = Duration.ofMillis(1500);
            List<CompletableFuture<Long>> endings = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                // a few instances, each shared by several waiters
                RedisLock waiter = RedisLock.builder(waiterFactory, "job")
                    .sleep(Duration.ofMillis(100))
                    .blockingTimeout(blockingTimeout)
                    .build();
                endings.add(waiter.acquire().handle((permit, failure) -> {
                    assertThat(failure).as("no waiter may get the lock").isNotNull();
                    Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
                    assertThat(cause).isInstanceOfAny(LockTimeoutException.class, DataAccessException.class);
                    return System.nanoTime();
                }));
            }
            Pause.millis(300);
            server.kill();

            CompletableFuture.allOf(endings.toArray(CompletableFuture[]::new)).orTimeout(10, TimeUnit.SECONDS).join();
            for (CompletableFuture<Long> ending : endings) {
                assertThat(Duration.ofNanos(ending.join() - start)).isLessThan(blockingTimeout.plusSeconds(1));
            }

            server.restart();
            RedisLock afterRestart = RedisLock.builder(waiterFactory, "job").build();
            await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .untilAsserted(() -> afterRestart.acquire(Duration.ofMillis(500)).join().close());
            assertWakeUpByRelease(holderFactory, waiterFactory, "after-restart");
        }
        finally {
            holderFactory.destroy();
            waiterFactory.destroy();
        }
        assertNoThreadLeftBehind(threadsBefore);
    }

    @Test
    void waiterAcrossARestartIsWokenWhenTheSubscriptionIsRestored(RedisServers servers) {
        RedisServerProcess server = servers.start();
        LettuceConnectionFactory holderFactory = server.endpoint().newConnectionFactory(COMMAND_TIMEOUT);
        LettuceConnectionFactory waiterFactory = server.endpoint().newConnectionFactory(COMMAND_TIMEOUT);
        try {
            RedisLock holder = RedisLock.builder(holderFactory, "job").timeout(Duration.ofSeconds(30)).build();
            assertThat(holder.tryAcquire()).isTrue();
            // a sleep this long leaves the re-subscription as the only early wake-up
            RedisLock waiter = RedisLock.builder(waiterFactory, "job")
                .sleep(Duration.ofSeconds(20))
                .timeout(Duration.ofSeconds(20))
                .blockingTimeout(Duration.ofSeconds(20))
                .build();
            CompletableFuture<Permit> waiting = waiter.acquire();
            // the restart must find the subscription made (its confirmation counts as a wake-up): one still being
            // made when Redis goes away fails, and the waiter is left to its 20 s poll, which is not this scenario
            Subscriptions.awaitConfirmed(waiter);
            server.kill();
            Pause.millis(300);
            // the restarted server is empty: the lock is free, but nobody tells the waiter except the subscription
            server.restart();
            long restarted = System.nanoTime();
            waiting.orTimeout(10, TimeUnit.SECONDS).join().close();
            assertThat(Duration.ofNanos(System.nanoTime() - restarted)).isLessThan(Duration.ofSeconds(10));
            assertWakeUpByRelease(holderFactory, waiterFactory, "job");
        }
        finally {
            holderFactory.destroy();
            waiterFactory.destroy();
        }
    }

    @Test
    void acquisitionsFailWithinTheirBlockingTimeoutWhileRedisIsDown(RedisServers servers) {
        RedisServerProcess server = servers.start();
        LettuceConnectionFactory factory = server.endpoint().newConnectionFactory(Duration.ofSeconds(5));
        try {
            RedisLock lock = RedisLock.builder(factory, "job").blockingTimeout(Duration.ofMillis(400)).build();
            lock.acquire().join().close();
            server.kill();
            long start = System.nanoTime();
            // the command timeout (5 s) is longer than the blocking timeout: the wait must end first
            assertThatThrownBy(() -> lock.acquire().join()).hasCauseInstanceOf(LockTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1400));
        }
        finally {
            factory.destroy();
        }
    }

    @Test
    void releaseWhileRedisIsDownNamesTheLockAndKeepsTheTranslatedExceptionType(RedisServers servers) {
        RedisServerProcess server = servers.start();
        LettuceConnectionFactory factory = server.endpoint().newConnectionFactory(COMMAND_TIMEOUT);
        try {
            RedisLock lock = RedisLock.builder(factory, "report").timeout(Duration.ofSeconds(30)).build();
            assertThat(lock.tryAcquire()).isTrue();
            server.kill();
            assertThatThrownBy(lock::release).isInstanceOf(QueryTimeoutException.class)
                .hasMessageContaining("Cannot release RedisLock 'report' (key quiver:lock:report)")
                .hasMessageContaining("frees itself within the lock's timeout (PT30S)")
                .cause()
                .isInstanceOf(QueryTimeoutException.class)
                .hasCauseInstanceOf(RedisCommandTimeoutException.class);
        }
        finally {
            factory.destroy();
        }
    }

    @Test
    void everyCallOnARedisStoppedMidUseFailsWithSpringsDataAccessExceptions(RedisServers servers) {
        RedisServerProcess server = servers.start();
        LettuceConnectionFactory factory = server.endpoint().newConnectionFactory(COMMAND_TIMEOUT);
        try {
            RedisLock holder = RedisLock.builder(factory, "stopped").timeout(Duration.ofSeconds(30)).build();
            // waits longer than the command timeout, so that a try fails before a wait ends
            RedisLock other = RedisLock.builder(factory, "stopped-too").blockingTimeout(Duration.ofSeconds(2)).build();
            assertThat(holder.tryAcquire()).isTrue();
            assertThat(other.isLocked()).isFalse();
            server.stop();

            assertThatThrownBy(other::tryAcquire).isInstanceOf(DataAccessException.class)
                .hasCauseInstanceOf(io.lettuce.core.RedisException.class);
            assertThatThrownBy(other::isLocked).isInstanceOf(DataAccessException.class);
            assertThatThrownBy(holder::isOwned).isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> other.acquire(Duration.ZERO).join()).isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> holder.extend(Duration.ofSeconds(1)).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(DataAccessException.class);
            // a wait that Redis failures outlast ends as a timeout, whose cause is the last failure, translated
            assertThatThrownBy(() -> other.acquire().join()).cause()
                .isInstanceOf(LockTimeoutException.class)
                .cause()
                .isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> other.withLock(() -> CompletableFuture.completedFuture("never")).join())
                .cause()
                .isInstanceOfAny(LockTimeoutException.class, DataAccessException.class);
            assertThatThrownBy(holder::release).isInstanceOf(DataAccessException.class)
                .hasMessageContaining("Cannot release RedisLock 'stopped'");
        }
        finally {
            factory.destroy();
        }
    }

    @Test
    void aSetThatTimedOutDuringAStallAndRanLaterLeavesTheLockFree(RedisServers servers) throws Exception {
        RedisServerProcess server = servers.start();
        LettuceConnectionFactory factory = server.endpoint().newConnectionFactory(COMMAND_TIMEOUT);
        try {
            RedisLock tryLock = RedisLock.builder(factory, "try").timeout(Duration.ofSeconds(30)).build();
            RedisLock waitLock = RedisLock.builder(factory, "wait")
                .timeout(Duration.ofSeconds(30))
                .blockingTimeout(Duration.ofMillis(200))
                .build();
            assertThat(tryLock.tryAcquire()).isTrue();
            tryLock.release();
            server.pause();
            try {
                assertThatThrownBy(tryLock::tryAcquire).isInstanceOf(QueryTimeoutException.class);
                assertThatThrownBy(() -> waitLock.acquire().join()).hasCauseInstanceOf(LockTimeoutException.class);
                // the acquire's SET times out after the blocking timeout ended the wait
                Pause.millis(COMMAND_TIMEOUT.toMillis());
            }
            finally {
                server.resume();
            }
            // both SETs ran when Redis woke; each was followed by the compare-and-delete of its token
            assertThat(tryLock.isLocked()).as("the try-lock after the stall").isFalse();
            assertThat(waitLock.isLocked()).as("the waited-for lock after the stall").isFalse();
        }
        finally {
            factory.destroy();
        }
    }

    @Test
    void aWrongPasswordFailsTheAcquisitionAtOnceInsteadOfReconnectingEverySleep(RedisServers servers) {
        RedisServerProcess server = servers.start("right-password");
        RedisEndpoint wrong = new RedisEndpoint("127.0.0.1", server.port(), "wrong-password", 0);
        LettuceConnectionFactory factory = wrong.newConnectionFactory(COMMAND_TIMEOUT);
        try {
            RedisLock lock = RedisLock.builder(factory, "job").blockingTimeout(Duration.ofSeconds(5)).build();
            long start = System.nanoTime();
            assertThatThrownBy(() -> lock.acquire().join()).hasCauseInstanceOf(RedisConnectionFailureException.class)
                .hasStackTraceContaining("WRONGPASS");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        finally {
            factory.destroy();
        }
    }

    private static void assertWakeUpByRelease(LettuceConnectionFactory holderFactory,
            LettuceConnectionFactory waiterFactory, String name) {
        RedisLock holder = RedisLock.builder(holderFactory, name).build();
        RedisLock waiter = RedisLock.builder(waiterFactory, name)
            .sleep(Duration.ofSeconds(5))
            .timeout(Duration.ofSeconds(10))
            .build();
        // after a restart the holder's connection may still be coming back: its first tries may fail
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(holder::tryAcquire);
        CompletableFuture<Permit> waiting = waiter.acquire();
        Pause.millis(300);
        assertThat(waiting).isNotDone();
        long released = System.nanoTime();
        holder.release();
        waiting.orTimeout(5, TimeUnit.SECONDS).join().close();
        assertThat(Duration.ofNanos(System.nanoTime() - released)).isLessThan(Duration.ofSeconds(2));
    }

    /**
     * Uses a lock once on a factory of its own and destroys the factory, so that threads a lock starts once per JVM
     * exist before counting; returns the names of the live threads.
     */
    private static Set<String> threadsAfterWarmUp(RedisServerProcess server) {
        LettuceConnectionFactory factory = server.endpoint().newConnectionFactory(COMMAND_TIMEOUT);
        try {
            RedisLock lock = RedisLock.builder(factory, "warm-up").build();
            lock.acquire().join().close();
        }
        finally {
            factory.destroy();
        }
        return liveThreads();
    }

    /**
     * Waits until every live thread was alive before, except the JVM's shared pools and the JDK's reaper of the
     * restarted redis-server process (the destroyed factories' Lettuce threads take a moment to end). Polls by hand:
     * Awaitility would add a thread of its own.
     */
    private static void assertNoThreadLeftBehind(Set<String> before) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Set<String> added;
        do {
            added = liveThreads();
            added.removeAll(before);
            added.removeIf((name) -> name.startsWith("ForkJoinPool.commonPool-worker")
                    || name.startsWith("process reaper"));
            if (added.isEmpty()) {
                return;
            }
            Pause.millis(100);
        }
        while (System.nanoTime() < deadline);
        assertThat(added).as("threads left behind").isEmpty();
    }

    private static Set<String> liveThreads() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .collect(Collectors.toSet());
    }
}
