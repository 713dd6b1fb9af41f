package dev.quiver.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.quiver.dicts.RedisDefaultDict;
import io.lettuce.core.api.sync.RedisCommands;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Counts the Redis commands of one {@link RedisDefaultDict#mget} of 1,000 present keys, from the server's
 * {@code INFO commandstats} before and after: the batch read of {@link DictBatchBenchmark} must be exactly one
 * {@code MGET}.
 * <p>
 * Run it with a Redis at hand ({@code benchmarks/run.sh} starts one):
 * <pre>
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -Dquiver.bench.redis=redis://127.0.0.1:6379 -cp benchmarks/target/benchmarks.jar \
 *     dev.quiver.benchmarks.DictMgetCount [results.tsv]
 * </pre>
 */
public final class DictMgetCount {

    private DictMgetCount() {
    }

    /**
     * Runs the count.
     *
     * @param args optionally a file to append the result line to
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        DictBatchBenchmark.Batch batch = DictBatchBenchmark.Batch.populate(
                "quiver:bench:dict-count:" + UUID.randomUUID() + ":");
        LettuceConnectionFactory factory = BenchmarkRedis.connectionFactory();
        try (BenchmarkRedis.RawConnection connection = BenchmarkRedis.raw()) {
            RedisDefaultDict<Long> dict = RedisDefaultDict.builder(factory, Long.class).prefix(batch.prefix()).build();
            dict.mget(batch.keys());
            RedisCommands<byte[], byte[]> stats = connection.commands();
            Map<String, Long> before = BenchmarkRedis.commandCalls(stats);
            List<Long> values = dict.mget(batch.keys());
            Map<String, Long> delta = new TreeMap<>(BenchmarkRedis.delta(before, BenchmarkRedis.commandCalls(stats)));
            if (!delta.equals(Map.of("mget", 1L)) || values.size() != DictBatchBenchmark.KEYS) {
                throw new IllegalStateException("an mget of " + DictBatchBenchmark.KEYS + " present keys sent "
                        + delta + " and returned " + values.size() + " values; expected exactly one MGET");
            }
            long mgets = delta.get("mget");
            String line = String.join("\t", "6 Dict mget commands (1,000 keys)", "REDIS_DEFAULT_DICT",
                    Long.toString(mgets), "MGET calls", String.format(Locale.ROOT, "%d values; all commands %s",
                            values.size(), delta));
            System.out.println(line);
            if (args.length > 0) {
                Files.write(Path.of(args[0]), List.of(line), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        }
        finally {
            factory.destroy();
            batch.delete();
        }
    }
}
