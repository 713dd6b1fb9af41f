package dev.quiver.testsupport;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The calls per command a Redis server has counted ({@code INFO commandstats}), for asserting how many commands an
 * operation sent. Commands that scripts run are counted too, under their own names.
 */
public final class RedisCommandStats {

    private static final Pattern CALLS = Pattern.compile("calls=(\\d+)");

    private final Map<String, Long> calls;

    private RedisCommandStats(Map<String, Long> calls) {
        this.calls = calls;
    }

    /**
     * Reads the counts now.
     *
     * @param factory connects to the server
     * @return the counts
     */
    public static RedisCommandStats read(RedisConnectionFactory factory) {
        try (RedisConnection connection = factory.getConnection()) {
            Properties info = connection.serverCommands().info("commandstats");
            Map<String, Long> calls = new HashMap<>();
            info.forEach((name, stats) -> {
                Matcher matcher = CALLS.matcher(String.valueOf(stats));
                if (String.valueOf(name).startsWith("cmdstat_") && matcher.find()) {
                    calls.put(String.valueOf(name).substring("cmdstat_".length()), Long.parseLong(matcher.group(1)));
                }
            });
            return new RedisCommandStats(calls);
        }
    }

    /**
     * Returns the calls of one command counted since an earlier reading.
     *
     * @param before the earlier reading
     * @param command the command's name as {@code INFO} spells it, such as {@code publish} or {@code pubsub|numsub}
     * @return the calls in between
     */
    public long since(RedisCommandStats before, String command) {
        return this.calls.getOrDefault(command, 0L) - before.calls.getOrDefault(command, 0L);
    }

}
