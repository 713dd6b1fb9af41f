package dev.quiver.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.quiver.dicts.RedisDefaultDict;
import io.lettuce.core.KeyValue;
import io.lettuce.core.api.sync.RedisCommands;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The time to read 1,000 keys in one batch: {@link RedisDefaultDict#mget} beside a raw Lettuce {@code MGET} of the
 * same bytes and a loop of single {@code GET}s, and the same {@code MGET} through Spring Data Redis's
 * {@code RedisConnection}, the path the dict takes where it cannot send
 * its own {@code MGET} through Lettuce (a cluster, another client, a pipeline).
 * <p>
 * Workload: 1,000 keys, each holding a {@code Long} as JSON (the dict's default codec), written once by the dict;
 * two threads read all of them, over and over. The dict decodes every value into a {@code Long}; the raw
 * {@code MGET} returns the bytes; the {@code GET} loop pays a round trip per key. {@link DictMgetCount} checks that
 * the dict's read is one {@code MGET}. Target: the dict within 1.3 times the raw {@code MGET}.
 * <p>
 * Run it with a Redis at hand ({@code benchmarks/run.sh} starts one):
 * <pre>
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar DictBatchBenchmark -f 1 -wi 2 -w 2s -i 3 -r 3s \
 *     -jvmArgsAppend -Dquiver.bench.redis=redis://127.0.0.1:6379
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
public class DictBatchBenchmark {

    /** Keys read per batch. */
    static final int KEYS = 1000;

    /** The reader under test. */
    @Param
    BatchType batchType;

    private Batch batch;

    private BatchReader reader;

    /**
     * Writes the keys through the dict and connects the chosen reader.
     */
    @Setup
    public void populate() {
        this.batch = Batch.populate("quiver:bench:dict:" + UUID.randomUUID() + ":");
        this.reader = this.batchType.create(this.batch);
    }

    /**
     * Disconnects the reader and deletes the keys.
     */
    @TearDown
    public void close() {
        try {
            this.reader.close();
        }
        finally {
            this.batch.delete();
        }
    }

    /**
     * Reads every key once.
     *
     * @return the values read, so the reads are not dead code
     */
    @Benchmark
    public Object readAll() {
        return this.reader.readAll();
    }

    /**
     * The readers compared, each behind the same small facade.
     */
    public enum BatchType {

        /** {@code RedisDefaultDict.mget(keys)}: one {@code MGET}, values decoded from JSON. */
        REDIS_DEFAULT_DICT {
            @Override
            BatchReader create(Batch batch) {
                LettuceConnectionFactory factory = BenchmarkRedis.connectionFactory();
                RedisDefaultDict<Long> dict = RedisDefaultDict.builder(factory, Long.class).prefix(batch.prefix())
                    .build();
                return new BatchReader(() -> dict.mget(batch.keys()), factory::destroy);
            }
        },

        /** Raw Lettuce {@code MGET} of the same keys, returning the stored bytes. */
        LETTUCE_MGET {
            @Override
            BatchReader create(Batch batch) {
                BenchmarkRedis.RawConnection connection = BenchmarkRedis.raw();
                RedisCommands<byte[], byte[]> commands = connection.commands();
                byte[][] keys = batch.redisKeys();
                return new BatchReader(() -> {
                    List<KeyValue<byte[], byte[]>> values = commands.mget(keys);
                    if (values.size() != KEYS) {
                        throw new IllegalStateException("MGET answered " + values.size() + " values");
                    }
                    return values;
                }, connection::close);
            }
        },

        /** Spring Data Redis's {@code RedisConnection.mGet} of the same keys, the dict's path on a cluster. */
        SPRING_MGET {
            @Override
            BatchReader create(Batch batch) {
                LettuceConnectionFactory factory = BenchmarkRedis.connectionFactory();
                byte[][] keys = batch.redisKeys();
                return new BatchReader(() -> {
                    try (RedisConnection connection = factory.getConnection()) {
                        return connection.stringCommands().mGet(keys);
                    }
                }, factory::destroy);
            }
        },

        /** One raw Lettuce {@code GET} per key, each waiting for its reply. */
        LETTUCE_GET_LOOP {
            @Override
            BatchReader create(Batch batch) {
                BenchmarkRedis.RawConnection connection = BenchmarkRedis.raw();
                RedisCommands<byte[], byte[]> commands = connection.commands();
                byte[][] keys = batch.redisKeys();
                return new BatchReader(() -> {
                    List<byte[]> values = new ArrayList<>(KEYS);
                    for (byte[] key : keys) {
                        values.add(commands.get(key));
                    }
                    return values;
                }, connection::close);
            }
        };

        abstract BatchReader create(Batch batch);
    }

    /**
     * The keys of one run, written through a dict so every reader sees the dict's bytes.
     *
     * @param prefix the key prefix of this run
     * @param keys the keys without the prefix
     */
    record Batch(String prefix, List<String> keys) {

        static Batch populate(String prefix) {
            List<String> keys = new ArrayList<>(KEYS);
            Map<String, Long> values = new LinkedHashMap<>();
            for (int i = 0; i < KEYS; i++) {
                String key = "k" + i;
                keys.add(key);
                values.put(key, 1_000_000L + i * 7919L);
            }
            LettuceConnectionFactory factory = BenchmarkRedis.connectionFactory();
            try {
                RedisDefaultDict.builder(factory, Long.class).prefix(prefix).build().mset(values);
            }
            finally {
                factory.destroy();
            }
            return new Batch(prefix, List.copyOf(keys));
        }

        byte[][] redisKeys() {
            byte[][] redisKeys = new byte[this.keys.size()][];
            for (int i = 0; i < redisKeys.length; i++) {
                redisKeys[i] = BenchmarkRedis.utf8(this.prefix + this.keys.get(i));
            }
            return redisKeys;
        }

        void delete() {
            try (BenchmarkRedis.RawConnection connection = BenchmarkRedis.raw()) {
                connection.commands().del(redisKeys());
            }
        }
    }

    /**
     * One reader: what it does per invocation, and how it disconnects (each runs in a JVM of its own).
     *
     * @param reads reads every key once and returns what it read
     * @param disconnect closes its connections
     */
    record BatchReader(Supplier<Object> reads, Runnable disconnect) {

        Object readAll() {
            return this.reads.get();
        }

        void close() {
            this.disconnect.run();
        }
    }
}
