package dev.quiver.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.quiver.locks.RedisLock;
import io.lettuce.core.api.sync.RedisCommands;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Hand-offs per second of a Redis lock that 16 acquirers of one process contend for, and the Redis commands each
 * acquisition costs: {@link RedisLock} beside Redisson's {@code RLock}. A timed harness rather than JMH, so the
 * commands can be counted over exactly the measured window.
 * <p>
 * Workload: {@code acquirers} callers share one lock key; each takes the lock, bumps a counter (checking that no one
 * else is inside), releases it and asks again, for a warm-up and then {@code seconds}. RedisLock's acquirers are
 * asynchronous chains of {@code withLock} on one shared instance (no thread per acquirer); Redisson's are threads
 * calling {@code lock()} and {@code unlock()}, as Redisson is used (its default lease, renewed by a watchdog).
 * Commands are the server's {@code INFO commandstats} deltas over the window. The top-level ones that clients sent
 * (the round trips; a script's own calls show in the slow log as coming from no client) are counted afterwards, in
 * a 2 s window of their own with the slow log recording every command, so that the log's cost does not weigh on the
 * hand-offs measured.
 * Targets: RedisLock at least twice Redisson's hand-offs per second, with at most 3 client commands per acquisition.
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
     * @param args the implementation ({@code REDIS_LOCK} or {@code REDISSON}), the measured seconds, the number of
     *        acquirers, and optionally a file to append the results to
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        Implementation implementation = Implementation.valueOf(args[0]);
        long seconds = Long.parseLong(args[1]);
        int acquirers = Integer.parseInt(args[2]);
        String key = "quiver:bench:contended:" + UUID.randomUUID();
        try (BenchmarkRedis.RawConnection stats = BenchmarkRedis.raw()) {
            Result result = implementation.run(key, acquirers, seconds, stats.commands());
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

        /** Asynchronous {@code RedisLock.withLock} chains sharing one instance. */
        REDIS_LOCK {
            @Override
            Result run(String key, int acquirers, long seconds, RedisCommands<byte[], byte[]> stats)
                    throws InterruptedException {
                LettuceConnectionFactory factory = BenchmarkRedis.connectionFactory();
                try {
                    RedisLock lock = RedisLock.builder(factory, key).keyPrefix("").build();
                    Counting counting = new Counting(acquirers);
                    List<CompletableFuture<Void>> chains = new ArrayList<>();
                    for (int i = 0; i < acquirers; i++) {
                        CompletableFuture<Void> done = new CompletableFuture<>();
                        chains.add(done);
                        loop(lock, counting, i, done);
                    }
                    Result result = counting.measure(seconds, stats);
                    CompletableFuture.allOf(chains.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
                    return result;
                }
                catch (ExecutionException | TimeoutException ex) {
                    throw new IllegalStateException("RedisLock contention run failed", ex);
                }
                finally {
                    factory.destroy();
                }
            }

            private void loop(RedisLock lock, Counting counting, int acquirer, CompletableFuture<Void> done) {
                if (!counting.running()) {
                    done.complete(null);
                    return;
                }
                lock.withLock(() -> {
                    counting.inside(acquirer);
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
        },

        /** Threads calling Redisson's {@code RLock.lock()} and {@code unlock()}. */
        REDISSON {
            @Override
            Result run(String key, int acquirers, long seconds, RedisCommands<byte[], byte[]> stats)
                    throws InterruptedException {
                RedissonClient redisson = BenchmarkRedis.redisson();
                try {
                    RLock lock = redisson.getLock(key);
                    Counting counting = new Counting(acquirers);
                    List<Thread> threads = new ArrayList<>();
                    for (int i = 0; i < acquirers; i++) {
                        int acquirer = i;
                        Thread thread = new Thread(() -> {
                            while (counting.running()) {
                                lock.lock();
                                try {
                                    counting.inside(acquirer);
                                }
                                finally {
                                    lock.unlock();
                                }
                            }
                        }, "redisson-acquirer-" + i);
                        threads.add(thread);
                        thread.start();
                    }
                    Result result = counting.measure(seconds, stats);
                    for (Thread thread : threads) {
                        thread.join(30_000);
                        if (thread.isAlive()) {
                            throw new IllegalStateException(thread.getName() + " did not stop within 30 s");
                        }
                    }
                    return result;
                }
                finally {
                    redisson.shutdown();
                }
            }
        };

        abstract Result run(String key, int acquirers, long seconds, RedisCommands<byte[], byte[]> stats)
                throws InterruptedException;
    }

    /**
     * Counts acquisitions per acquirer and overlapping holders, and measures one window.
     */
    static final class Counting {

        private final AtomicLongArray acquisitions;

        private final AtomicInteger holders = new AtomicInteger();

        private final AtomicInteger violations = new AtomicInteger();

        private final AtomicBoolean running = new AtomicBoolean(true);

        Counting(int acquirers) {
            this.acquisitions = new AtomicLongArray(acquirers);
        }

        boolean running() {
            return this.running.get();
        }

        void inside(int acquirer) {
            if (this.holders.incrementAndGet() != 1) {
                this.violations.incrementAndGet();
            }
            this.acquisitions.incrementAndGet(acquirer);
            this.holders.decrementAndGet();
        }

        long[] snapshot() {
            long[] counts = new long[this.acquisitions.length()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = this.acquisitions.get(i);
            }
            return counts;
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
            long startNanos = System.nanoTime();
            TimeUnit.SECONDS.sleep(seconds);
            long[] end = snapshot();
            long endNanos = System.nanoTime();
            Map<String, Long> after = BenchmarkRedis.commandCalls(stats);

            stats.configSet("slowlog-log-slower-than", "0");
            stats.configSet("slowlog-max-len", "4000000");
            stats.slowlogReset();
            long countedFrom = sum(snapshot());
            TimeUnit.NANOSECONDS.sleep(COUNT_WINDOW_NANOS);
            long counted = sum(snapshot()) - countedFrom;
            stats.configSet("slowlog-log-slower-than", "10000");
            long clientCommands = countClientCommands(stats);
            stats.slowlogReset();
            stats.configSet("slowlog-max-len", "128");
            this.running.set(false);

            long[] perAcquirer = new long[start.length];
            for (int i = 0; i < start.length; i++) {
                perAcquirer[i] = end[i] - start[i];
            }
            return new Result(sum(perAcquirer), (endNanos - startNanos) / 1e9, perAcquirer,
                    new TreeMap<>(BenchmarkRedis.delta(before, after)), (double) clientCommands / Math.max(1, counted),
                    this.violations.get());
        }

        private static long sum(long[] counts) {
            long sum = 0;
            for (long count : counts) {
                sum += count;
            }
            return sum;
        }

        /** Counts the slow log entries of real clients (a script's own calls have no client address). */
        private static long countClientCommands(RedisCommands<byte[], byte[]> stats) {
            List<Object> entries = stats.slowlogGet(-1);
            long count = 0;
            for (Object entry : entries) {
                List<?> fields = (List<?>) entry;
                Object address = (fields.size() > 4) ? fields.get(4) : null;
                String text = (address instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
                        : String.valueOf(address);
                String command = commandName(fields.get(3));
                if (!text.startsWith("?") && !text.isEmpty() && !command.startsWith("config")
                        && !command.startsWith("info") && !command.startsWith("slowlog")) {
                    count++;
                }
            }
            return count;
        }

        private static String commandName(Object arguments) {
            if (arguments instanceof List<?> list && !list.isEmpty()) {
                Object first = list.get(0);
                return ((first instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
                        : String.valueOf(first)).toLowerCase(Locale.ROOT);
            }
            return "";
        }
    }

    /**
     * The figures of one window.
     */
    record Result(long acquisitions, double seconds, long[] perAcquirer, Map<String, Long> commands,
            double clientCommandsPerAcquisition, int violations) {

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
                    + "commands incl. scripts' own %.2f/acq %s", this.acquisitions, this.seconds, min, max,
                    this.violations, allPerAcquisition, this.commands);
            List<String> lines = new ArrayList<>();
            lines.add(String.join("\t", "5 Redis lock contended (" + this.perAcquirer.length + " acquirers)",
                    implementation,
                    String.format(Locale.ROOT, "%.1f", rate), "hand-offs/s", note));
            lines.add(String.join("\t", "5 Redis lock contended: client commands per acquisition", implementation,
                    String.format(Locale.ROOT, "%.2f", this.clientCommandsPerAcquisition), "client cmds/acq", ""));
            return lines;
        }
    }

}
