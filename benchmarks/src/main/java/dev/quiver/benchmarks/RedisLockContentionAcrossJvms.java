package dev.quiver.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.quiver.benchmarks.RedisLockContention.Implementation;
import org.HdrHistogram.Histogram;

/**
 * Hand-offs per second of a Redis lock that acquirers in several processes contend for, each process's share of
 * them, and how long acquisitions wait: {@link dev.quiver.locks.RedisLock} beside Redisson's {@code RLock}, taking
 * turns in one run.
 * <p>
 * Workload: {@code processes} child JVMs ({@link RedisLockContenderJvm}, started by this harness with its own class
 * path) each run {@code acquirers} acquirers of {@link RedisLockContention} on one lock key: take the lock, count the
 * hold, release, ask again. Once every acquirer of every child has held the lock, all warm up for 2 s more, and then
 * count for {@code seconds} between one {@code start} and one {@code stop} written to all of them. Every round runs
 * both locks, Redisson first in odd rounds and RedisLock first in even ones, so that a slow stretch of a busy machine
 * does not fall on one lock alone.
 * The share is the busiest process's acquisitions over the idlest's (equal demand: the same acquirers in each);
 * waits run from asking for the lock to holding it, merged over all processes. Holds that overlap are counted within
 * each process (the reliability suite checks exclusion across processes).
 * Targets: RedisLock at least twice Redisson's hand-offs per second, share within 1.5; the 99th percentile wait is
 * reported.
 * <p>
 * Run it with a Redis at hand ({@code benchmarks/run.sh} starts one):
 * <pre>
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -Dquiver.bench.redis=redis://127.0.0.1:6379 -cp benchmarks/target/benchmarks.jar \
 *     dev.quiver.benchmarks.RedisLockContentionAcrossJvms 2 4 4 10 [results.tsv]
 * </pre>
 * (rounds, processes, acquirers per process, measured seconds). It prints one line per figure and, given a file,
 * appends the lines that {@link ResultsTable} reads.
 */
public final class RedisLockContentionAcrossJvms {

    private static final long WARMUP_MILLIS = 2_000;

    private static final long READY_TIMEOUT_SECONDS = 150;

    private RedisLockContentionAcrossJvms() {
    }

    /**
     * Runs the harness.
     *
     * @param args the rounds, the processes, the acquirers per process, the measured seconds, and optionally a file
     *        to append the results to
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int processes = Integer.parseInt(args[1]);
        int acquirers = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        for (int round = 1; round <= rounds; round++) {
            List<Implementation> order = (round % 2 == 1) ? List.of(Implementation.REDISSON, Implementation.REDIS_LOCK)
                    : List.of(Implementation.REDIS_LOCK, Implementation.REDISSON);
            for (Implementation implementation : order) {
                Result result = run(implementation, processes, acquirers, seconds);
                List<String> lines = result.lines(implementation.name());
                lines.forEach(System.out::println);
                if (args.length > 4) {
                    Files.write(Path.of(args[4]), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
                if (result.overlaps() > 0) {
                    throw new IllegalStateException(result.overlaps() + " acquisitions overlapped another holder");
                }
            }
        }
        System.exit(0);
    }

    private static Result run(Implementation implementation, int processes, int acquirers, long seconds)
            throws IOException, InterruptedException {
        String key = "quiver:bench:contended-jvms:" + UUID.randomUUID();
        List<Child> children = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                children.add(Child.start(implementation, key, acquirers));
            }
            for (Child child : children) {
                child.await(RedisLockContenderJvm.READY);
            }
            Thread.sleep(WARMUP_MILLIS);
            long startNanos = System.nanoTime();
            children.forEach((child) -> child.tell("start"));
            TimeUnit.SECONDS.sleep(seconds);
            children.forEach((child) -> child.tell("stop"));
            long endNanos = System.nanoTime();
            long[] perProcess = new long[processes];
            int overlaps = 0;
            Histogram waits = null;
            for (int i = 0; i < processes; i++) {
                String[] fields = children.get(i).await(RedisLockContenderJvm.RESULT).split(" ");
                perProcess[i] = Arrays.stream(fields[1].split(",")).mapToLong(Long::parseLong).sum();
                overlaps += Integer.parseInt(fields[2]);
                Histogram processWaits = RedisLockContenderJvm.decode(fields[3]);
                if (waits == null) {
                    waits = processWaits;
                }
                else {
                    waits.add(processWaits);
                }
            }
            return new Result(acquirers, perProcess, (endNanos - startNanos) / 1e9, waits, overlaps);
        }
        finally {
            for (Child child : children) {
                child.stop();
            }
        }
    }

    /**
     * A running {@link RedisLockContenderJvm}: its standard input, and the lines it printed for the parent.
     */
    private static final class Child {

        private final Process process;

        private final OutputStream input;

        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        /** The last lines of its other output, to show when it fails. */
        private final Deque<String> log = new ArrayDeque<>();

        private Child(Process process) {
            this.process = process;
            this.input = process.getOutputStream();
            Thread reader = new Thread(this::read, "contender-output-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Implementation implementation, String key, int acquirers) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = List.of(java, "-Xmx256m",
                    "-D" + BenchmarkRedis.PROPERTY + "=" + BenchmarkRedis.uri(), "-cp",
                    System.getProperty("java.class.path"), RedisLockContenderJvm.class.getName(), implementation.name(),
                    key, Integer.toString(acquirers));
            return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        private void read() {
            try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    if (line.startsWith("quiver-contender-")) {
                        this.lines.add(line);
                    }
                    else {
                        synchronized (this.log) {
                            this.log.addLast(line);
                            if (this.log.size() > 40) {
                                this.log.removeFirst();
                            }
                        }
                    }
                }
            }
            catch (IOException ex) {
                // the process ended: await() reports it
            }
        }

        void tell(String command) {
            try {
                this.input.write((command + "\n").getBytes(StandardCharsets.UTF_8));
                this.input.flush();
            }
            catch (IOException ex) {
                throw new IllegalStateException("contender " + this.process.pid() + " is gone" + logTail(), ex);
            }
        }

        String await(String prefix) throws InterruptedException {
            String line = this.lines.poll(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (line == null || !line.startsWith(prefix)) {
                throw new IllegalStateException("contender " + this.process.pid() + " printed " + line
                        + " instead of " + prefix + logTail());
            }
            return line;
        }

        void stop() throws InterruptedException {
            try {
                // a child still waiting for a command (the run failed before it was told to stop) reads the end of
                // its input and exits, instead of being waited for until the timeout
                this.input.close();
            }
            catch (IOException ex) {
                // gone already
            }
            if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
                this.process.destroyForcibly();
                this.process.waitFor();
            }
        }

        private String logTail() {
            synchronized (this.log) {
                return "; its last output:\n" + String.join("\n", this.log);
            }
        }
    }

    /**
     * The figures of one window across all processes.
     */
    record Result(int acquirers, long[] perProcess, double seconds, Histogram waits, int overlaps) {

        List<String> lines(String implementation) {
            long total = Arrays.stream(this.perProcess).sum();
            long min = Arrays.stream(this.perProcess).min().orElse(0);
            long max = Arrays.stream(this.perProcess).max().orElse(0);
            String scenario = "5 Redis lock contended across " + this.perProcess.length + " JVMs ("
                    + this.acquirers + " acquirers each)";
            String note = String.format(Locale.ROOT, "%d acquisitions in %.1f s, per process %s, overlaps %d; wait %s",
                    total, this.seconds, Arrays.toString(this.perProcess), this.overlaps,
                    RedisLockContention.waitSummary(this.waits));
            List<String> lines = new ArrayList<>();
            lines.add(String.join("\t", scenario, implementation,
                    String.format(Locale.ROOT, "%.1f", total / this.seconds), "hand-offs/s", note));
            lines.add(String.join("\t", "5 Redis lock contended across JVMs: share, busiest over idlest process",
                    implementation, String.format(Locale.ROOT, "%.3f", (double) max / Math.max(1, min)), "max/min",
                    ""));
            lines.add(String.join("\t", "5 Redis lock contended across JVMs: p99 wait", implementation,
                    RedisLockContention.millis(this.waits.getValueAtPercentile(99)), "ms", ""));
            return lines;
        }
    }
}
