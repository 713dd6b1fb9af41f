package dev.quiver.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

import dev.quiver.locks.RedisLock;
import dev.quiver.testsupport.RedisEndpoint;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * One contending process of the mutual-exclusion scenario: {@code tasks} asynchronous tasks, each taking the
 * {@link RedisLock} {@code increments} times (one {@code withLock} per increment) to increment the
 * {@link GuardedCounter}. Registers as ready, waits for the test's go so that all processes contend at once, and
 * prints one {@code RESULT} line: acquisitions, overlaps it saw, its longest wait.
 * <p>
 * Arguments: redis URL, lock name, tasks, increments per task, process id.
 */
public final class LockContenderMain {

    static final String READY = "quiver:reliability:ready";

    static final String GO = "quiver:reliability:go";

    private LockContenderMain() {
    }

    public static void main(String[] args) throws Exception {
        RedisEndpoint endpoint = RedisEndpoint.parse(args[0]);
        String lockName = args[1];
        int tasks = Integer.parseInt(args[2]);
        int increments = Integer.parseInt(args[3]);
        String id = args[4];
        LettuceConnectionFactory factory = endpoint.newConnectionFactory(Duration.ofSeconds(10));
        // the lock's futures complete here and the critical section runs here: it blocks on Redis, so not in the
        // common pool (whose single worker on a small machine would stall every completion behind it)
        ExecutorService workers = Executors.newFixedThreadPool(tasks);
        int exit = 1;
        try {
            StringRedisTemplate redis = new StringRedisTemplate(factory);
            GuardedCounter counter = new GuardedCounter(redis);
            RedisLock lock = RedisLock.builder(factory, lockName)
                .timeout(Duration.ofSeconds(2))
                .blockingTimeout(Duration.ofSeconds(90))
                .executor(workers)
                .build();
            redis.opsForValue().increment(READY);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Boolean.TRUE.equals(redis.hasKey(GO))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no go within 60 s");
                }
                Thread.sleep(5);
            }
            long start = System.nanoTime();
            AtomicLong acquisitions = new AtomicLong();
            AtomicLong overlaps = new AtomicLong();
            LongAccumulator maxWaitNanos = new LongAccumulator(Math::max, 0);
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int task = 0; task < tasks; task++) {
                running.add(increment(lock, counter, increments, acquisitions, overlaps, maxWaitNanos));
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            System.out.printf("RESULT process=%s acquisitions=%d overlaps=%d maxWaitMs=%d elapsedMs=%d%n", id,
                    acquisitions.get(), overlaps.get(), maxWaitNanos.get() / 1_000_000,
                    (System.nanoTime() - start) / 1_000_000);
            exit = 0;
        }
        catch (Throwable ex) {
            ex.printStackTrace(System.out);
        }
        finally {
            System.out.flush();
            workers.shutdownNow();
            factory.destroy();
        }
        System.exit(exit);
    }

    /** One task: takes the lock {@code remaining} more times, one increment each time, one after the other. */
    private static CompletableFuture<Void> increment(RedisLock lock, GuardedCounter counter, int remaining,
            AtomicLong acquisitions, AtomicLong overlaps, LongAccumulator maxWaitNanos) {
        if (remaining == 0) {
            return CompletableFuture.completedFuture(null);
        }
        long asked = System.nanoTime();
        return lock.<Void>withLock(() -> {
            maxWaitNanos.accumulate(System.nanoTime() - asked);
            acquisitions.incrementAndGet();
            if (counter.increment() != 1) {
                overlaps.incrementAndGet();
            }
            return CompletableFuture.completedFuture(null);
        }).thenCompose((ignored) -> increment(lock, counter, remaining - 1, acquisitions, overlaps, maxWaitNanos));
    }
}
