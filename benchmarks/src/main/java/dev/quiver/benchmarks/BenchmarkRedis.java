package dev.quiver.benchmarks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis server the Redis benchmarks run against, and the clients they reach it with: a Spring
 * {@link LettuceConnectionFactory} for Quiver's primitives, a raw Lettuce {@link RedisClient} for the floors, and a
 * {@link RedissonClient} for the peer lock.
 * <p>
 * The address is the system property {@value #PROPERTY} ({@code redis://host:port}, default
 * {@code redis://127.0.0.1:6379}); {@code benchmarks/run.sh} sets it to the server it starts. Pass it to JMH's
 * forks with {@code -jvmArgsAppend -Dquiver.bench.redis=redis://127.0.0.1:PORT}.
 */
public final class BenchmarkRedis {

    /** The system property that holds the Redis address. */
    public static final String PROPERTY = "quiver.bench.redis";

    private static final Pattern CALLS = Pattern.compile("^cmdstat_([^:]+):calls=(\\d+)", Pattern.MULTILINE);

    private static final Pattern MICROS = Pattern.compile("^cmdstat_([^:]+):calls=\\d+,usec=(\\d+)", Pattern.MULTILINE);

    private BenchmarkRedis() {
    }

    /**
     * Returns the Redis address the benchmarks use.
     *
     * @return a {@code redis://host:port} URI
     */
    public static URI uri() {
        return URI.create(System.getProperty(PROPERTY, "redis://127.0.0.1:6379"));
    }

    /**
     * Creates and starts a Spring connection factory for the benchmark Redis, as an application would have one.
     *
     * @return a started factory; the caller destroys it
     */
    public static LettuceConnectionFactory connectionFactory() {
        URI uri = uri();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(uri.getHost(), uri.getPort()));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /**
     * Opens a raw Lettuce connection to the benchmark Redis, with byte-array keys and values, on a client of its own.
     *
     * @return the connection; the caller closes it, which also shuts its client down
     */
    public static RawConnection raw() {
        RedisClient client = RedisClient.create(uri().toString());
        try {
            return new RawConnection(client, client.connect(ByteArrayCodec.INSTANCE));
        }
        catch (RuntimeException failure) {
            client.shutdown();
            throw failure;
        }
    }

    /**
     * Creates a Redisson client for the benchmark Redis, with one connection pool as Redisson sets it up by default.
     *
     * @return the client; the caller shuts it down
     */
    public static RedissonClient redisson() {
        Config config = new Config();
        config.useSingleServer().setAddress(uri().toString());
        return Redisson.create(config);
    }

    /**
     * A raw Lettuce connection and the client it alone uses, closed together.
     *
     * @param client the client
     * @param connection its connection, with byte-array keys and values
     */
    public record RawConnection(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection)
            implements AutoCloseable {

        /**
         * Returns the connection's synchronous commands.
         *
         * @return the commands
         */
        public RedisCommands<byte[], byte[]> commands() {
            return connection.sync();
        }

        /** Closes the connection and shuts the client down. */
        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }

    /**
     * Reads the calls of every command the server has counted so far ({@code INFO commandstats}). Commands that
     * scripts run are counted there too, under their own names.
     *
     * @param commands the commands of a raw connection
     * @return the calls per command name
     */
    public static Map<String, Long> commandCalls(RedisCommands<byte[], byte[]> commands) {
        return commandStats(commands, CALLS);
    }

    /**
     * Reads the time the server has spent running each command so far ({@code INFO commandstats}), in microseconds;
     * a script's time includes its own calls, which are counted under their own names as well.
     *
     * @param commands the commands of a raw connection
     * @return the microseconds per command name
     */
    public static Map<String, Long> commandMicros(RedisCommands<byte[], byte[]> commands) {
        return commandStats(commands, MICROS);
    }

    /** Reads {@code INFO commandstats} and returns, per command name, the number the pattern's second group holds. */
    private static Map<String, Long> commandStats(RedisCommands<byte[], byte[]> commands, Pattern stat) {
        Map<String, Long> values = new HashMap<>();
        Matcher matcher = stat.matcher(commands.info("commandstats"));
        while (matcher.find()) {
            values.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return values;
    }

    /**
     * Returns the calls counted between two {@link #commandCalls} readings, per command, leaving out those that
     * did not change and the {@code INFO} of the earlier reading itself (the later one counts it).
     *
     * @param before the earlier reading
     * @param after the later reading
     * @return the calls per command name
     */
    public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new HashMap<>();
        after.forEach((command, calls) -> {
            long count = calls - before.getOrDefault(command, 0L);
            if (count > 0) {
                delta.put(command, count);
            }
        });
        delta.computeIfPresent("info", (command, calls) -> (calls > 1) ? calls - 1 : null);
        return delta;
    }

    /**
     * Starts counting the commands that clients send: the slow log then records every command, and a script's own
     * calls show there as coming from no client. The slow log costs the server time per command, so nothing should
     * be timed until {@link #stopCountingClientCommands}.
     *
     * @param commands the commands of a raw connection
     */
    public static void startCountingClientCommands(RedisCommands<byte[], byte[]> commands) {
        commands.configSet("slowlog-log-slower-than", "0");
        commands.configSet("slowlog-max-len", "4000000");
        commands.slowlogReset();
    }

    /**
     * Stops counting and returns how many commands clients sent since {@link #startCountingClientCommands}, and
     * their names, leaving out scripts' own calls and the counting's own {@code CONFIG}, {@code INFO} and
     * {@code SLOWLOG}.
     *
     * @param commands the commands of a raw connection
     * @return the clients' commands
     */
    public static ClientCommands stopCountingClientCommands(RedisCommands<byte[], byte[]> commands) {
        commands.configSet("slowlog-log-slower-than", "10000");
        long count = 0;
        Set<String> names = new TreeSet<>();
        for (Object entry : commands.slowlogGet(-1)) {
            List<?> fields = (List<?>) entry;
            Object address = (fields.size() > 4) ? fields.get(4) : null;
            String client = (address instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
                    : String.valueOf(address);
            String command = commandName(fields.get(3));
            if (!client.startsWith("?") && !client.isEmpty() && !command.startsWith("config")
                    && !command.startsWith("info") && !command.startsWith("slowlog")) {
                count++;
                names.add(command);
            }
        }
        commands.slowlogReset();
        commands.configSet("slowlog-max-len", "128");
        return new ClientCommands(count, names);
    }

    /**
     * The commands that clients sent in a window.
     *
     * @param count how many commands
     * @param names the names of the commands sent
     */
    public record ClientCommands(long count, Set<String> names) {
    }

    private static String commandName(Object arguments) {
        if (arguments instanceof List<?> list && !list.isEmpty()) {
            Object first = list.get(0);
            return ((first instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
                    : String.valueOf(first)).toLowerCase(Locale.ROOT);
        }
        return "";
    }

    /**
     * Encodes text as UTF-8.
     *
     * @param text the text
     * @return its bytes
     */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
