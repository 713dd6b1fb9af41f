package dev.quiver.reliability;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.LockTimeoutException;
import dev.quiver.locks.RedisLock;
import dev.quiver.testsupport.RedisServerProcess;
import dev.quiver.testsupport.RedisServers;
import dev.quiver.testsupport.RedisTest;
import io.lettuce.core.RedisCommandTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 4, network stall: Redis is frozen with SIGSTOP (connections stay open, nothing is answered) for longer
 * than the command timeout. Calls of the dict and the lock made during the stall must fail with a timeout exception
 * within about the command timeout (the lock's {@code acquire} within its shorter blocking timeout), and everything
 * must work again once Redis runs (SIGCONT), with every reply matched to its own command, and the lock commands
 * that timed out but ran when Redis woke must not leave a lock held by nobody.
 */
@Tag("reliability")
@RedisTest
class NetworkStallTest {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    private static final Duration STALL = Duration.ofMillis(1500);

    @Test
    void callsDuringAStallTimeOutAndEverythingWorksAgainAfterIt(RedisServers servers) throws Exception {
        RedisServerProcess server = servers.start();
        LettuceConnectionFactory factory = server.endpoint().newConnectionFactory(COMMAND_TIMEOUT);
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            RedisDefaultDict<String> dict = RedisDefaultDict.builder(factory, String.class)
                .prefix("quiver:dict:stall:")
                .defaults((key) -> "default-" + key)
                .build();
            RedisLock lock = RedisLock.builder(factory, "stall")
                .timeout(Duration.ofSeconds(2))
                .blockingTimeout(Duration.ofMillis(300))
                .build();
            RedisLock tryLock = RedisLock.builder(factory, "stall-try").timeout(Duration.ofSeconds(2)).build();
            // warm up every connection, so the stall meets established ones
            dict.set("warm", "up");
            assertThat(dict.get("warm")).isEqualTo("up");
            assertThat(dict.aget("warm").get(5, TimeUnit.SECONDS)).isEqualTo("up");
            lock.acquire().get(5, TimeUnit.SECONDS).close();
            assertThat(tryLock.tryAcquire()).isTrue();
            tryLock.release();

            server.pause();
            long pausedAt = System.nanoTime();
            Map<String, Future<Outcome>> calls = new LinkedHashMap<>();
            calls.put("dict.get", callers.submit(timed(() -> dict.get("a"))));
            calls.put("dict.set", callers.submit(timed(() -> {
                dict.set("written-during-stall", "late");
                return null;
            })));
            calls.put("dict.aget", callers.submit(timed(() -> dict.aget("b").get(10, TimeUnit.SECONDS))));
            calls.put("dict.mget", callers.submit(timed(() -> dict.mget(List.of("c", "d")))));
            calls.put("lock.tryAcquire", callers.submit(timed(tryLock::tryAcquire)));
            calls.put("lock.acquire", callers.submit(timed(() -> lock.acquire().get(10, TimeUnit.SECONDS))));
            Map<String, Outcome> outcomes = new LinkedHashMap<>();
            for (Map.Entry<String, Future<Outcome>> call : calls.entrySet()) {
                outcomes.put(call.getKey(), call.getValue().get(10, TimeUnit.SECONDS));
            }
            Thread.sleep(Math.max(0, STALL.toMillis() - Figures.millisSince(pausedAt)));
            long stalledMillis = Figures.millisSince(pausedAt);
            server.resume();
            long resumedAt = System.nanoTime();

            assertThat(outcomes.get("dict.get").failure()).isInstanceOf(QueryTimeoutException.class)
                .hasCauseInstanceOf(RedisCommandTimeoutException.class);
            assertThat(outcomes.get("dict.set").failure()).isInstanceOf(QueryTimeoutException.class);
            assertThat(outcomes.get("dict.aget").failure()).isInstanceOf(QueryTimeoutException.class);
            assertThat(outcomes.get("dict.mget").failure()).isInstanceOf(QueryTimeoutException.class)
                .hasCauseInstanceOf(RedisCommandTimeoutException.class);
            assertThat(outcomes.get("lock.tryAcquire").failure()).isInstanceOf(QueryTimeoutException.class)
                .hasCauseInstanceOf(RedisCommandTimeoutException.class);
            assertThat(outcomes.get("lock.acquire").failure()).isInstanceOf(LockTimeoutException.class);
            outcomes.forEach((call, outcome) -> assertThat(Duration.ofMillis(outcome.millis()))
                .as("how long %s took to fail", call)
                .isLessThan(COMMAND_TIMEOUT.plusMillis(700)));

            // recovery: the first dict and lock calls after the stall, then replies matched to their commands
            String recovered = dict.get("after");
            long recoveryMillis = Figures.millisSince(resumedAt);
            boolean tryLockFree = !tryLock.isLocked();
            boolean lockFree = !lock.isLocked();
            // the SETs of the timed-out tryAcquire and acquire ran when Redis woke; nobody may hold the locks now
            assertThat(tryLockFree).as("the try-lock right after the stall").isTrue();
            assertThat(lockFree).as("the waited-for lock right after the stall").isTrue();
            assertThat(recovered).isEqualTo("default-after");
            assertThat(dict.mget(List.of("warm", "after", "e"))).containsExactly("up", "default-after", "default-e");
            int roundTrips = 1_000;
            for (int i = 0; i < roundTrips; i++) {
                dict.set("k" + (i % 50), "v" + i);
                assertThat(dict.get("k" + (i % 50))).isEqualTo("v" + i);
            }
            for (int i = 0; i < 100; i++) {
                lock.acquire(Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).close();
            }
            // a write that timed out had reached the socket: Redis runs it when it wakes, so it lands late
            String lateWrite = dict.remove("written-during-stall") ? "landed after the stall" : "never landed";
            assertThat(tryLock.tryAcquire()).as("the try-lock after the stall").isTrue();
            tryLock.release();
            Figures.report(4, "Redis frozen with SIGSTOP for %d ms (command timeout %d ms); during the stall %s; "
                    + "after SIGCONT the first call answered %d ms later, then %d set/get round trips each read "
                    + "back its own value and 100 lock cycles succeeded; the timed-out dict.set %s; the timed-out "
                    + "tryAcquire's SET left its lock %s, the timed-out acquire's SET left its lock %s", stalledMillis,
                    COMMAND_TIMEOUT.toMillis(), outcomes, recoveryMillis, roundTrips, lateWrite,
                    tryLockFree ? "free" : "held by nobody", lockFree ? "free" : "held by nobody");
        }
        finally {
            callers.shutdownNow();
            if (server.isRunning()) {
                server.resume();
            }
            factory.destroy();
        }
    }

    @Test
    void asyncCallsOnAFactoryNotYetConnectedReturnWhileRedisIsFrozen(RedisServers servers) throws Exception {
        RedisServerProcess server = servers.start();
        LettuceConnectionFactory factory = server.endpoint().newConnectionFactory(COMMAND_TIMEOUT);
        try {
            RedisDefaultDict<String> dict = RedisDefaultDict.builder(factory, String.class)
                .prefix("quiver:dict:cold:")
                .defaults((key) -> "default-" + key)
                .build();
            RedisLock lock = RedisLock.builder(factory, "cold").blockingTimeout(Duration.ofSeconds(10)).build();
            // no call has connected yet: the first async calls meet a server that accepts but never answers
            server.pause();
            CompletableFuture<String> aget = dict.aget("a");
            CompletableFuture<Void> aset = dict.aset("b", "written");
            CompletableFuture<?> acquire = lock.acquire();
            // a call that waited for the connection would have failed by now: the handshake times out while frozen
            boolean agetPending = !aget.isDone();
            boolean asetPending = !aset.isDone();
            boolean acquirePending = !acquire.isDone();
            server.resume();

            assertThat(agetPending).as("aget returned before Redis answered").isTrue();
            assertThat(asetPending).as("aset returned before Redis answered").isTrue();
            assertThat(acquirePending).as("acquire returned before Redis answered").isTrue();
            // whatever the frozen handshake did to them, the dict and the lock work once Redis runs
            aget.handle((value, failure) -> null).get(10, TimeUnit.SECONDS);
            aset.handle((value, failure) -> null).get(10, TimeUnit.SECONDS);
            acquire.handle((permit, failure) -> null).get(10, TimeUnit.SECONDS);
            assertThat(dict.aget("c").get(10, TimeUnit.SECONDS)).isEqualTo("default-c");
            dict.aset("d", "later").get(10, TimeUnit.SECONDS);
            assertThat(dict.get("d")).isEqualTo("later");
        }
        finally {
            if (server.isRunning()) {
                server.resume();
            }
            factory.destroy();
        }
    }

    private static Callable<Outcome> timed(Callable<?> call) {
        return () -> {
            long start = System.nanoTime();
            try {
                call.call();
                return new Outcome(null, Figures.millisSince(start));
            }
            catch (ExecutionException ex) {
                return new Outcome(ex.getCause(), Figures.millisSince(start));
            }
            catch (Exception ex) {
                return new Outcome(ex, Figures.millisSince(start));
            }
        };
    }

    /** How a call made during the stall ended, and after how long. */
    record Outcome(Throwable failure, long millis) {

        @Override
        public String toString() {
            return ((this.failure != null) ? this.failure.getClass().getSimpleName() : "succeeded") + " after "
                    + this.millis + " ms";
        }
    }
}
