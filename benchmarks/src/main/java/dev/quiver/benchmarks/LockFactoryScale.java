package dev.quiver.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.quiver.autoconfigure.LockMetrics;
import dev.quiver.locks.AsyncLock;
import dev.quiver.locks.RedisLockSettings;
import dev.quiver.locks.RedisLocks;
import dev.quiver.locks.SealLocks;
import dev.quiver.testsupport.Heap;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * One lock per entity at scale: {@code names} distinct names, each acquired and released once through a lock
 * factory ({@link RedisLocks} or {@link SealLocks}), with the factory's meters bound to a Micrometer registry as the
 * auto-configuration binds them. A timed harness rather than JMH, since what it measures is the state a long run
 * leaves behind.
 * <p>
 * Workload: {@code inFlight} asynchronous chains share the names in order; each takes the next name's lock with
 * {@code withLock}, runs an empty action and so releases it, and goes on with the next name, so at most
 * {@code inFlight} acquisitions are under way at once (pipelined on one connection for Redis). The run stops at
 * 10%, 50% and 100% of the names, lets every chain finish, and records the used heap after {@code System.gc()}
 * (the lowest of three) and the number of meters in the registry. Figures: the heap growth from 10% to 100% (target
 * under 8 MiB), the meters added over the same stretch (target none), and the acquisitions per second of the three
 * stretches together.
 * <p>
 * Run it with a Redis at hand for {@code REDIS_LOCKS} ({@code benchmarks/run.sh} starts one):
 * <pre>
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -Dquiver.bench.redis=redis://127.0.0.1:6379 -cp benchmarks/target/benchmarks.jar \
 *     dev.quiver.benchmarks.LockFactoryScale REDIS_LOCKS 1000000 128 [results.tsv]
 * </pre>
 * It prints one line per figure and, given a file, appends the lines that {@link ResultsTable} reads.
 */
public final class LockFactoryScale {

    private static final double MIB = 1024.0 * 1024.0;

    private static final double[] CHECKPOINTS = { 0.1, 0.5, 1.0 };

    private LockFactoryScale() {
    }

    /**
     * Runs the harness.
     *
     * @param args the factory ({@code REDIS_LOCKS} or {@code SEAL_LOCKS}), the number of names, the number of
     *        acquisitions in flight, and optionally a file to append the results to
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        Factory factory = Factory.valueOf(args[0]);
        int names = Integer.parseInt(args[1]);
        int inFlight = Integer.parseInt(args[2]);
        MeterRegistry registry = new SimpleMeterRegistry();
        List<String> lines;
        try (Locks locks = factory.open(registry)) {
            lines = run(factory, locks.lockOf(), registry, names, inFlight);
        }
        lines.forEach(System.out::println);
        if (args.length > 3) {
            Files.write(Path.of(args[3]), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    private static List<String> run(Factory factory, Function<String, AsyncLock> lockOf, MeterRegistry registry,
            int names, int inFlight) throws InterruptedException {
        String prefix = "entity:" + System.nanoTime() + ":";
        int done = 0;
        long runNanos = 0;
        double[] heapMiB = new double[CHECKPOINTS.length];
        int[] meters = new int[CHECKPOINTS.length];
        for (int i = 0; i < CHECKPOINTS.length; i++) {
            int until = (int) Math.round(names * CHECKPOINTS[i]);
            long start = System.nanoTime();
            acquireEachOnce(lockOf, prefix, done, until, inFlight);
            runNanos += System.nanoTime() - start;
            done = until;
            heapMiB[i] = Heap.usedAfterGc(Duration.ofMillis(200)) / MIB;
            meters[i] = registry.getMeters().size();
        }
        double growth = heapMiB[CHECKPOINTS.length - 1] - heapMiB[0];
        double rate = names / (runNanos / 1e9);
        String workload = String.format(Locale.ROOT, " (%,d names once each, %d in flight)", names, inFlight);
        String heapNote = String.format(Locale.ROOT, "used heap after GC at 10%%: %.1f MiB, 50%%: %.1f MiB, "
                + "100%%: %.1f MiB; meters %d, %d, %d", heapMiB[0], heapMiB[1], heapMiB[2], meters[0], meters[1],
                meters[2]);
        List<String> lines = new ArrayList<>();
        lines.add(String.join("\t", "7 Lock factory scale: heap growth 10% to 100%" + workload, factory.name(),
                String.format(Locale.ROOT, "%.2f", growth), "MiB", heapNote));
        lines.add(String.join("\t", "7 Lock factory scale: meters added 10% to 100%" + workload, factory.name(),
                String.valueOf(meters[CHECKPOINTS.length - 1] - meters[0]), "meters",
                "meters at the end: " + meters[CHECKPOINTS.length - 1]));
        lines.add(String.join("\t", "7 Lock factory scale: throughput" + workload, factory.name(),
                String.format(Locale.ROOT, "%.0f", rate), "acquisitions/s",
                String.format(Locale.ROOT, "%.1f s in all, heap measurements left out", runNanos / 1e9)));
        return lines;
    }

    /** Takes and releases the lock of each name from {@code from} to {@code until}, once, on parallel chains. */
    private static void acquireEachOnce(Function<String, AsyncLock> lockOf, String prefix, int from, int until,
            int inFlight) throws InterruptedException {
        AtomicInteger next = new AtomicInteger(from);
        CountDownLatch finished = new CountDownLatch(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable[] chains = new Runnable[inFlight];
        for (int c = 0; c < inFlight; c++) {
            int chain = c;
            chains[c] = () -> {
                // loops while acquisitions complete at once, and resumes from their callback otherwise
                for (;;) {
                    int index = next.getAndIncrement();
                    if (index >= until || failure.get() != null) {
                        finished.countDown();
                        return;
                    }
                    CompletableFuture<Object> released = lockOf.apply(prefix + index)
                        .withLock(() -> CompletableFuture.completedFuture(null));
                    if (released.isDone() && !released.isCompletedExceptionally()) {
                        continue;
                    }
                    // a failure, at once or later, is recorded and ends every chain at its next step
                    released.whenComplete((ignored, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                        chains[chain].run();
                    });
                    return;
                }
            };
        }
        for (Runnable chain : chains) {
            chain.run();
        }
        if (!finished.await(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the run did not finish within 30 minutes");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("an acquisition failed", failure.get());
        }
    }

    /** The lock factories compared, each opened with its meters bound. */
    enum Factory {

        /** {@link RedisLocks} on the benchmark Redis, with the default settings. */
        REDIS_LOCKS {
            @Override
            Locks open(MeterRegistry registry) {
                LettuceConnectionFactory connections = BenchmarkRedis.connectionFactory();
                RedisLocks locks = new RedisLocks(connections, RedisLockSettings.defaults());
                locks.setObserver(new LockMetrics(registry, "redisLocks", "redis"));
                return new Locks(locks::get, connections::destroy);
            }
        },

        /** {@link SealLocks}, waiting as long as it takes. */
        SEAL_LOCKS {
            @Override
            Locks open(MeterRegistry registry) {
                SealLocks locks = new SealLocks();
                locks.setObserver(new LockMetrics(registry, "sealLocks", "seal"));
                return new Locks(locks::get, () -> {
                });
            }
        };

        abstract Locks open(MeterRegistry registry);
    }

    /** A factory's {@code get}, and what closes its connections. */
    record Locks(Function<String, AsyncLock> lockOf, Runnable closer) implements AutoCloseable {

        @Override
        public void close() {
            this.closer.run();
        }
    }
}
