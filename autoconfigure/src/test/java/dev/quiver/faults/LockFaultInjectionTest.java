package dev.quiver.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.quiver.locks.Permit;
import dev.quiver.locks.RedisLock;
import dev.quiver.testsupport.Pause;
import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisServerProcess;
import dev.quiver.testsupport.RedisServers;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link RedisLock} under injected faults, in the spirit of Jepsen: several clients (each its own Lettuce client and
 * connections, as separate processes have), each through its own {@link FaultProxy} to one real redis-server, run
 * many tasks that acquire the lock, write a fenced counter through a resource that refuses stale fencing tokens, and
 * log every hold. Meanwhile the proxies drop connections right after a request passed (Lettuce re-sends it), delay
 * replies, black-hole traffic and reset, and Redis restarts and loses its data and scripts. {@link LockHistory}
 * then checks the history; a second test shows that it catches a lock that does not exclude.
 */
@Tag("faults")
@RedisTest
class LockFaultInjectionTest {

    private static final int PROCESSES = 3;

    private static final int TASKS = 3;

    private static final Duration BLOCKING_TIMEOUT = Duration.ofSeconds(5);

    /** Room for a command timeout and a loaded machine on top of the blocking timeout. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    @Test
    void holdsDoNotOverlapFencedWritesNeverGoBackAndNoClientStarvesUnderNetworkFaultsAndARestart(
            RedisServers servers) throws Exception {
        RedisServerProcess server = servers.start();
        List<FaultProxy> proxies = new ArrayList<>();
        List<LettuceConnectionFactory> factories = new ArrayList<>();
        LockHistory history = new LockHistory();
        try {
            List<Acquirer> acquirers = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                FaultProxy proxy = new FaultProxy(server.port());
                proxies.add(proxy);
                LettuceConnectionFactory factory = new RedisEndpoint("127.0.0.1", proxy.port(), null, 0)
                    .newConnectionFactory(Duration.ofSeconds(1));
                factories.add(factory);
                RedisLock lock = RedisLock.builder(factory, "jepsen")
                    .timeout(Duration.ofSeconds(2))
                    .leaseRenewal(true)
                    .blockingTimeout(BLOCKING_TIMEOUT)
                    .executor(Runnable::run)
                    .build();
                acquirers.add(lock::acquire);
            }
            Runnable faults = () -> {
                Pause.millis(1000);
                proxies.forEach(FaultProxy::dropAfterNextRequest);
                Pause.millis(800);
                proxies.forEach((proxy) -> proxy.delayReplies(150));
                Pause.millis(1000);
                proxies.forEach((proxy) -> proxy.delayReplies(0));
                proxies.forEach((proxy) -> proxy.blackHole(true));
                Pause.millis(600);
                proxies.forEach((proxy) -> proxy.blackHole(false));
                Pause.millis(800);
                proxies.forEach(FaultProxy::resetAll);
                Pause.millis(1000);
                long from = System.nanoTime();
                server.restart();
                history.dataLost(from, System.nanoTime());
                Pause.millis(1500);
                proxies.forEach(FaultProxy::dropAfterNextRequest);
                Pause.millis(500);
                proxies.forEach(FaultProxy::dropAfterNextRequest);
                // time for every client to reconnect and queue again before shares are counted
                Pause.millis(1000);
                history.calmFrom(System.nanoTime());
            };
            run(acquirers, history, Duration.ofSeconds(13), faults);
            history.check(BLOCKING_TIMEOUT, SLACK, PROCESSES);
            assertThat(history.holds()).isGreaterThan(100);
            System.out.printf("[faults] %d clients x %d tasks, %d holds under drops, delays, a black hole, resets "
                    + "and a restart that lost the data; acquisitions by client once calm %s; history checked%n",
                    PROCESSES,
                    TASKS, history.holds(), history.acquisitionsByProcess());
        }
        finally {
            factories.forEach(LettuceConnectionFactory::destroy);
            proxies.forEach(FaultProxy::close);
        }
    }

    @Test
    void theHistoryCheckerCatchesALockThatLetsTwoHoldersIn() throws Exception {
        // a broken lock: two holders at a time, tokens handed out in acquisition order
        Semaphore twoAtATime = new Semaphore(2);
        AtomicLong tokens = new AtomicLong();
        List<Acquirer> acquirers = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            acquirers.add(() -> {
                twoAtATime.acquireUninterruptibly();
                return CompletableFuture.completedFuture(new BrokenPermit(twoAtATime, tokens.incrementAndGet()));
            });
        }
        LockHistory history = new LockHistory();
        run(acquirers, history, Duration.ofSeconds(1), () -> {
        });
        assertThatExceptionOfType(AssertionError.class)
            .isThrownBy(() -> history.check(BLOCKING_TIMEOUT, SLACK, PROCESSES))
            .withMessageContaining("holds overlap");
    }

    /**
     * Runs {@link #TASKS} tasks per client for {@code duration}, each acquiring, writing its fencing token to the
     * fenced resource, holding a moment and releasing, while {@code faults} runs beside them.
     */
    private static void run(List<Acquirer> acquirers, LockHistory history, Duration duration, Runnable faults)
            throws Exception {
        ExecutorService tasks = Executors.newFixedThreadPool(acquirers.size() * TASKS + 1);
        try {
            long end = System.nanoTime() + duration.toNanos();
            List<Future<?>> running = new ArrayList<>();
            running.add(tasks.submit(faults));
            for (int process = 0; process < acquirers.size(); process++) {
                Acquirer acquirer = acquirers.get(process);
                int id = process;
                for (int task = 0; task < TASKS; task++) {
                    running.add(tasks.submit(() -> {
                        while (System.nanoTime() < end) {
                            holdOnce(id, acquirer, history);
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> future : running) {
                future.get(duration.plus(BLOCKING_TIMEOUT).plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        finally {
            tasks.shutdownNow();
            tasks.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void holdOnce(int process, Acquirer acquirer, LockHistory history) throws Exception {
        long asked = System.nanoTime();
        Permit permit;
        try {
            permit = acquirer.acquire().get(BLOCKING_TIMEOUT.plus(SLACK).plusSeconds(10).toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            // timed out or Redis failed: the wait is part of the history all the same
            history.waited(new LockHistory.Wait(process, System.nanoTime() - asked, false));
            Pause.millis(10);
            return;
        }
        long start = System.nanoTime();
        history.waited(new LockHistory.Wait(process, start - asked, true));
        AtomicLong lostAt = new AtomicLong(Long.MAX_VALUE);
        permit.lost().thenRun(() -> lostAt.compareAndSet(Long.MAX_VALUE, System.nanoTime()));
        boolean accepted = history.write(permit.fencingToken());
        Pause.millis(2);
        long end = System.nanoTime();
        history.hold(new LockHistory.Hold(process, permit.fencingToken(), start, end, lostAt.get(), accepted));
        try {
            permit.close();
        }
        catch (RuntimeException ex) {
            // lost in the meantime, or Redis failed: the key frees itself
        }
    }

    /** Asks for the lock. */
    @FunctionalInterface
    private interface Acquirer {

        CompletableFuture<Permit> acquire();
    }

    /** The permit of the broken lock. */
    private record BrokenPermit(Semaphore semaphore, long fencingToken) implements Permit {

        @Override
        public void close() {
            this.semaphore.release();
        }

        @Override
        public CompletableFuture<Void> lost() {
            return new CompletableFuture<>();
        }
    }
}
