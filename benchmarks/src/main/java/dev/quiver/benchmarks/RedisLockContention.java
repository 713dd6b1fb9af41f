package dev.quiver.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.quiver.locks.RedisLock;
import io.lettuce.core.api.sync.RedisCommands;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Hand-offs per second of a Redis lock that 16 acquirers of one process contend for, how long acquisitions wait
 * (99th percentile), and the Redis commands each acquisition costs: {@link RedisLock} beside Redisson's
 * {@code RLock}. {@link RedisLockContentionAcrossJvms} runs the same acquirers in several processes. A timed
 * harness rather than JMH, so the commands can be counted over exactly the measured window.
 * <p>
 * Workload: {@code acquirers} callers share one lock key; each takes the lock, bumps a counter (checking that no one
 * else is inside), releases it and asks again, for a warm-up and then {@code seconds}. RedisLock's acquirers are
 * asynchronous chains of {@code withLock} on one shared instance (no thread per acquirer); Redisson's are threads
 * calling {@code lock()} and {@code unlock()}, as Redisson is used (its default lease, renewed by a watchdog).
 * Commands are the server's {@code INFO commandstats} deltas over the window. The top-level ones that clients sent
 * (the round trips; a script's own calls show in the slow log as coming from no client) are counted afterwards, in
 * a 2 s window of their own with the slow log recording every command, so that the log's cost does not weigh on the
 * hand-offs measured.
 * Targets: RedisLock at least three times Redisson's hand-offs per second, with at most 3 client commands per
 * acquisition.
 * <p>
 * Run it with a Redis at hand ({@code benchmarks/run.sh} starts one):
 * <pre>
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -Dquiver.bench.redis=redis://127.0.0.1:6379 -cp benchmarks/target/benchmarks.jar \
 *     dev.quiver.benchmarks.RedisLockContention REDIS_LOCK 10 16 [results.tsv]
 * </pre>
 * It prints one line per figure and, given a file, appends the lines that {@link ResultsTable} reads.
 */
public final class RedisLockContention {

    private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final long COUNT_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);

    private RedisLockContention() {
    }

    /**
     * Runs the harness.
     *
     * @param args the implementation ({@code REDIS_LOCK}, {@code REDIS_LOCK_DIRECT_EXECUTOR} or {@code REDISSON}), the
     *        measured seconds, the number of acquirers, and optionally a file to append the results to
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        Implementation implementation = Implementation.valueOf(args[0]);
        long seconds = Long.parseLong(args[1]);
        int acquirers = Integer.parseInt(args[2]);
        String key = "quiver:bench:contended:" + UUID.randomUUID();
        try (BenchmarkRedis.RawConnection stats = BenchmarkRedis.raw()) {
            Counting counting = new Counting(acquirers);
            Contenders contenders = implementation.start(key, acquirers, counting);
            Result result;
            try {
                result = counting.measure(seconds, stats.commands());
            }
            finally {
                counting.stop();
                contenders.close();
            }
            List<String> lines = result.lines(implementation.name());
            lines.forEach(System.out::println);
            if (args.length > 3) {
                Files.write(Path.of(args[3]), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            if (result.violations > 0) {
                throw new IllegalStateException(result.violations + " acquisitions overlapped another holder");
            }
        }
        System.exit(0);
    }

    /**
     * The locks compared.
     */
    enum Implementation {

        /** Asynchronous {@code RedisLock.withLock} chains sharing one instance, on the lock's default executor. */
        REDIS_LOCK {
            @Override
            Contenders start(String key, int acquirers, Counting counting) {
                return startRedisLock(key, acquirers, counting, ForkJoinPool.commonPool());
            }
        },

        /**
         * As {@link #REDIS_LOCK}, with {@code executor(Runnable::run)}: the builder's documented choice for
         * continuations that never block (as this workload's), which then run on Lettuce's I/O thread and save the
         * hand-over to an executor thread on every hand-off. Not what a target is measured on: it shows that choice.
         */
        REDIS_LOCK_DIRECT_EXECUTOR {
            @Override
            Contenders start(String key, int acquirers, Counting counting) {
                return startRedisLock(key, acquirers, counting, Runnable::run);
            }
        },

        /** Threads calling Redisson's {@code RLock.lock()} and {@code unlock()}. */
        REDISSON {
            @Override
            Contenders start(String key, int acquirers, Counting counting) {
                RedissonClient redisson = BenchmarkRedis.redisson();
                RLock lock = redisson.getLock(key);
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < acquirers; i++) {
                    int acquirer = i;
                    Thread thread = new Thread(() -> {
                        while (counting.running()) {
                            long asked = System.nanoTime();
                            lock.lock();
                            try {
                                counting.inside(acquirer, System.nanoTime() - asked);
                            }
                            finally {
                                lock.unlock();
                            }
                        }
                    }, "redisson-acquirer-" + i);
                    threads.add(thread);
                    thread.start();
                }
                return () -> {
                    try {
                        for (Thread thread : threads) {
                            thread.join(30_000);
                            if (thread.isAlive()) {
                                throw new IllegalStateException(thread.getName() + " did not stop within 30 s");
                            }
                        }
                    }
                    finally {
                        redisson.shutdown();
                    }
                };
            }
        };

        /**
         * Starts {@code acquirers} callers that take the lock over and over, reporting each hold to {@code counting},
         * until {@link Counting#stop()}.
         */
        abstract Contenders start(String key, int acquirers, Counting counting);

        private static Contenders startRedisLock(String key, int acquirers, Counting counting, Executor executor) {
            LettuceConnectionFactory factory = BenchmarkRedis.connectionFactory();
            // Redisson's lock() waits as long as it takes: so do these, and the longest wait is reported
            RedisLock lock = RedisLock.builder(factory, key)
                .keyPrefix("")
                .blockingTimeout(Duration.ofMinutes(5))
                .executor(executor)
                .build();
            List<CompletableFuture<Void>> chains = new ArrayList<>();
            for (int i = 0; i < acquirers; i++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                chains.add(done);
                loop(lock, counting, i, done);
            }
            return () -> {
                try {
                    CompletableFuture.allOf(chains.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
                }
                catch (ExecutionException | TimeoutException ex) {
                    throw new IllegalStateException("RedisLock contention run failed", ex);
                }
                finally {
                    factory.destroy();
                }
            };
        }

        private static void loop(RedisLock lock, Counting counting, int acquirer, CompletableFuture<Void> done) {
            if (!counting.running()) {
                done.complete(null);
                return;
            }
            long asked = System.nanoTime();
            lock.withLock(() -> {
                counting.inside(acquirer, System.nanoTime() - asked);
                return CompletableFuture.completedFuture(null);
            }).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    done.completeExceptionally(failure);
                }
                else {
                    loop(lock, counting, acquirer, done);
                }
            });
        }
    }

    /**
     * Running acquirers: closing waits for them to stop (after {@link Counting#stop()}) and disconnects them.
     */
    interface Contenders extends AutoCloseable {

        @Override
        void close() throws InterruptedException;
    }

    /**
     * Counts acquisitions per acquirer and overlapping holders, records how long each acquisition waited, and
     * measures one window.
     */
    static final class Counting {

        private final AtomicLongArray acquisitions;

        private final AtomicInteger holders = new AtomicInteger();

        private final AtomicInteger violations = new AtomicInteger();

        private final AtomicBoolean running = new AtomicBoolean(true);

        /** Nanoseconds from asking for the lock to holding it, 3 significant digits. */
        private final Recorder waits = new Recorder(3);

        Counting(int acquirers) {
            this.acquisitions = new AtomicLongArray(acquirers);
        }

        boolean running() {
            return this.running.get();
        }

        /** Tells the acquirers to stop after their current hold. */
        void stop() {
            this.running.set(false);
        }

        int violations() {
            return this.violations.get();
        }

        void inside(int acquirer, long waitedNanos) {
            if (this.holders.incrementAndGet() != 1) {
                this.violations.incrementAndGet();
            }
            this.acquisitions.incrementAndGet(acquirer);
            this.holders.decrementAndGet();
            this.waits.recordValue(waitedNanos);
        }

        /**
         * Waits until every acquirer has held the lock once (its connections are made and its code has run), or
         * fails after {@code seconds}.
         */
        void awaitEveryAcquirer(long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (Arrays.stream(snapshot()).anyMatch((count) -> count == 0)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not every acquirer held the lock within " + seconds + " s: "
                            + Arrays.toString(snapshot()));
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }

        long[] snapshot() {
            long[] counts = new long[this.acquisitions.length()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = this.acquisitions.get(i);
            }
            return counts;
        }

        /** Returns the waits recorded since the last call (the first call: since the start) and starts afresh. */
        Histogram waitsSinceLast() {
            return this.waits.getIntervalHistogram();
        }

        /**
         * Measures hand-offs in one window with the slow log off, then counts client commands in a second, shorter
         * window: the slow log that tells clients' commands from scripts' own costs the server time per command, and
         * more for the lock that sends more of them, so it must not run while hand-offs are counted.
         */
        Result measure(long seconds, RedisCommands<byte[], byte[]> stats) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(WARMUP_NANOS);
            Map<String, Long> before = BenchmarkRedis.commandCalls(stats);
            long[] start = snapshot();
            waitsSinceLast();
            long startNanos = System.nanoTime();
            TimeUnit.SECONDS.sleep(seconds);
            long[] end = snapshot();
            long endNanos = System.nanoTime();
            Histogram waited = waitsSinceLast();
            Map<String, Long> after = BenchmarkRedis.commandCalls(stats);

            BenchmarkRedis.startCountingClientCommands(stats);
            long countedFrom = sum(snapshot());
            TimeUnit.NANOSECONDS.sleep(COUNT_WINDOW_NANOS);
            long counted = sum(snapshot()) - countedFrom;
            long clientCommands = BenchmarkRedis.stopCountingClientCommands(stats).count();
            stop();

            long[] perAcquirer = new long[start.length];
            for (int i = 0; i < start.length; i++) {
                perAcquirer[i] = end[i] - start[i];
            }
            return new Result(sum(perAcquirer), (endNanos - startNanos) / 1e9, perAcquirer,
                    new TreeMap<>(BenchmarkRedis.delta(before, after)), (double) clientCommands / Math.max(1, counted),
                    waited, this.violations.get());
        }

        static long sum(long[] counts) {
            long sum = 0;
            for (long count : counts) {
                sum += count;
            }
            return sum;
        }
    }

    /**
     * The figures of one window.
     */
    record Result(long acquisitions, double seconds, long[] perAcquirer, Map<String, Long> commands,
            double clientCommandsPerAcquisition, Histogram waits, int violations) {

        List<String> lines(String implementation) {
            double rate = this.acquisitions / this.seconds;
            long all = this.commands.values().stream().mapToLong(Long::longValue).sum();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (long count : this.perAcquirer) {
                min = Math.min(min, count);
                max = Math.max(max, count);
            }
            double allPerAcquisition = (double) all / Math.max(1, this.acquisitions);
            String note = String.format(Locale.ROOT, "%d acquisitions in %.1f s, per acquirer %d..%d, overlaps %d; "
                    + "wait %s; commands incl. scripts' own %.2f/acq %s", this.acquisitions, this.seconds, min, max,
                    this.violations, waitSummary(this.waits), allPerAcquisition, this.commands);
            List<String> lines = new ArrayList<>();
            lines.add(String.join("\t", "5 Redis lock contended (" + this.perAcquirer.length + " acquirers)",
                    implementation, String.format(Locale.ROOT, "%.1f", rate), "hand-offs/s", note));
            lines.add(String.join("\t", "5 Redis lock contended: client commands per acquisition", implementation,
                    String.format(Locale.ROOT, "%.2f", this.clientCommandsPerAcquisition), "client cmds/acq", ""));
            lines.add(String.join("\t", "5 Redis lock contended: p99 wait (" + this.perAcquirer.length
                    + " acquirers)", implementation, millis(this.waits.getValueAtPercentile(99)), "ms", ""));
            return lines;
        }
    }

    /** Formats nanoseconds as milliseconds with two decimals. */
    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    /** The median, 99th percentile and longest of recorded waits, in milliseconds. */
    static String waitSummary(Histogram waits) {
        return "p50 " + millis(waits.getValueAtPercentile(50)) + " ms, p99 " + millis(waits.getValueAtPercentile(99))
                + " ms, max " + millis(waits.getMaxValue()) + " ms";
    }
}
