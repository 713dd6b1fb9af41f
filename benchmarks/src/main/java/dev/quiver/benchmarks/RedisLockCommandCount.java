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

import dev.quiver.benchmarks.RedisLockBenchmark.LockType;
import dev.quiver.benchmarks.RedisLockBenchmark.RemoteLock;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Counts the Redis commands of one uncontended acquire-and-release cycle of {@link RedisLockBenchmark}'s locks:
 * fencing tokens and lease renewal must add no round trip to RedisLock's cycle, which should send as many commands as
 * the floor ({@code SET NX PX}, then {@code EVALSHA}).
 * <p>
 * Each lock runs 1,000 cycles after a warm-up twice: once between two {@code INFO commandstats} readings (every
 * command, a script's own calls included), and once with the slow log recording every command, whose entries that
 * come from a client are the round trips (a script's own calls come from no client there). The server's time for
 * those commands in the first window ({@code INFO commandstats}, a script's time including its own calls) is what
 * the scripts cost beyond the floor's commands, apart from the round trips.
 * <p>
 * Run it with a Redis at hand ({@code benchmarks/run.sh} starts one):
 * <pre>
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -Dquiver.bench.redis=redis://127.0.0.1:6379 -cp benchmarks/target/benchmarks.jar \
 *     dev.quiver.benchmarks.RedisLockCommandCount [results.tsv]
 * </pre>
 */
public final class RedisLockCommandCount {

    private static final int CYCLES = 1_000;

    private RedisLockCommandCount() {
    }

    /**
     * Runs the count.
     *
     * @param args optionally a file to append the result lines to
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BenchmarkRedis.RawConnection connection = BenchmarkRedis.raw()) {
            RedisCommands<byte[], byte[]> stats = connection.commands();
            for (LockType type : LockType.values()) {
                try (RemoteLock lock = type.create("quiver:bench:lock-count:" + UUID.randomUUID())) {
                    cycles(lock, 200);
                    // the time readings outside the calls readings, so that the calls counted hold no INFO
                    Map<String, Long> microsBefore = BenchmarkRedis.commandMicros(stats);
                    Map<String, Long> before = BenchmarkRedis.commandCalls(stats);
                    cycles(lock, CYCLES);
                    Map<String, Long> all = new TreeMap<>(
                            BenchmarkRedis.delta(before, BenchmarkRedis.commandCalls(stats)));
                    Map<String, Long> microsAfter = BenchmarkRedis.commandMicros(stats);
                    BenchmarkRedis.startCountingClientCommands(stats);
                    cycles(lock, CYCLES);
                    BenchmarkRedis.ClientCommands client = BenchmarkRedis.stopCountingClientCommands(stats);
                    // the commands that clients send (the scripts, and the floor's SET), whose time includes the
                    // scripts' own calls
                    long micros = 0;
                    for (String name : client.names()) {
                        micros += microsAfter.getOrDefault(name, 0L) - microsBefore.getOrDefault(name, 0L);
                    }
                    List<String> typeLines = List.of(
                            String.join("\t", "4 Redis lock uncontended: client commands per cycle", type.name(),
                                    String.format(Locale.ROOT, "%.2f", (double) client.count() / CYCLES),
                                    "client cmds/cycle", String.format(Locale.ROOT,
                                            "%d cycles; all commands incl. scripts' own %s", CYCLES, all)),
                            String.join("\t", "4 Redis lock uncontended: server time per cycle", type.name(),
                                    String.format(Locale.ROOT, "%.2f", (double) micros / CYCLES), "us",
                                    "INFO commandstats time of " + client.names()));
                    typeLines.forEach(System.out::println);
                    lines.addAll(typeLines);
                }
            }
        }
        if (args.length > 0) {
            Files.write(Path.of(args[0]), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        System.exit(0);
    }

    private static void cycles(RemoteLock lock, int count) {
        for (int i = 0; i < count; i++) {
            lock.acquireAndRelease();
        }
    }
}
