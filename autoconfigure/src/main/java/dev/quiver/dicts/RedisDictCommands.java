package dev.quiver.dicts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.util.ClassUtils;

/**
 * The blocking Redis commands of one {@link RedisDefaultDict}, on raw keys and values. Knows the round trips and
 * how they change on a Redis Cluster; knows the dict's prefix only to write the keys of an {@code MGET}, and nothing
 * of values or defaults.
 */
final class RedisDictCommands {

    private static final int SCAN_COUNT = 1000;

    private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.codec.RedisCodec",
            RedisDictCommands.class.getClassLoader());

    private final RedisConnectionFactory factory;

    private final Expiration expiration;

    private final byte[] ttlArgument;

    /** Sends an {@code MGET} straight through Lettuce where it can; null without Lettuce on the class path. */
    private final @Nullable LettuceMget lettuceMget;

    private final PrefixedKeys keys;

    RedisDictCommands(RedisConnectionFactory factory, long ttlMillis, PrefixedKeys keys) {
        this.factory = factory;
        this.keys = keys;
        this.lettuceMget = LETTUCE_PRESENT ? new LettuceMget(keys) : null;
        this.expiration = (ttlMillis > 0) ? Expiration.milliseconds(ttlMillis) : Expiration.persistent();
        this.ttlArgument = Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII);
    }

    /** One {@code GET}. */
    byte @Nullable [] get(byte[] key) {
        return run((connection) -> connection.stringCommands().get(key));
    }

    /**
     * One {@code MGET} of the dict's keys (split per slot by the client on a cluster); no value for each missing key.
     *
     * @param names the keys without the prefix, none null
     */
    ValueStream mget(List<String> names) {
        ValueStream values = run((connection) -> {
            ValueStream direct = (this.lettuceMget != null) ? this.lettuceMget.mget(connection, names) : null;
            if (direct != null) {
                return direct;
            }
            List<byte[]> spring = connection.stringCommands().mGet(this.keys.encodeAll(names));
            return (spring != null) ? ValueStream.of(spring) : null;
        });
        if (values == null || values.size() != names.size()) {
            throw new IllegalStateException("MGET of " + names.size() + " keys answered "
                    + ((values != null) ? values.size() + " values" : "nothing"));
        }
        return values;
    }

    /** One {@code SET}, with the time to live if there is one. */
    void set(byte[] key, byte[] value) {
        run((connection) -> connection.stringCommands().set(key, value, this.expiration, SetOption.upsert()));
    }

    /**
     * One atomic write of every pair: {@code MSET}, or with a time to live one script. On a cluster one write per
     * slot (the client splits {@code MSET}; the scripts are pipelined).
     */
    void mset(List<byte[]> keys, List<byte[]> values) {
        if (this.expiration.isPersistent()) {
            Map<byte[], byte[]> pairs = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                pairs.put(keys.get(i), values.get(i));
            }
            run((connection) -> connection.stringCommands().mSet(pairs));
        }
        else {
            run((connection) -> evalPerSlot(connection, DictScripts.SET_ALL_WITH_TTL, ReturnType.INTEGER, keys,
                    values));
        }
    }

    /**
     * Stores each value whose key is missing, in one script (one per slot on a cluster, pipelined), and returns the
     * value each key holds afterwards.
     */
    List<byte[]> storeAllIfAbsent(List<byte[]> keys, List<byte[]> values) {
        List<Object> replies = run((connection) -> evalPerSlot(connection, DictScripts.STORE_ALL_IF_ABSENT,
                ReturnType.MULTI, keys, values));
        List<byte[]> stored = new ArrayList<>(keys.size());
        for (Object reply : replies) {
            stored.add((byte[]) reply);
        }
        return stored;
    }

    /** One {@code DEL}; whether the key existed. */
    boolean delete(byte[] key) {
        Long deleted = run((connection) -> connection.keyCommands().del(key));
        return deleted != null && deleted > 0;
    }

    /** Counts the keys matching {@code pattern} with {@code SCAN} (on every master of a cluster): O(keys). */
    long count(String pattern) {
        ScanOptions options = ScanOptions.scanOptions().match(pattern).count(SCAN_COUNT).build();
        return run((connection) -> {
            if (connection instanceof RedisClusterConnection cluster) {
                long count = 0;
                for (RedisClusterNode node : cluster.clusterGetNodes()) {
                    if (node.isMaster()) {
                        count += count(cluster.scan(node, options));
                    }
                }
                return count;
            }
            return count(connection.keyCommands().scan(options));
        });
    }

    /**
     * Sends the ops in one pipeline and returns per op the raw value ({@code null} when missing) of a GET and
     * {@code Boolean.TRUE} for a SET. The ops are validated by the caller: keys are strings, values byte arrays.
     */
    List<@Nullable Object> pipeline(List<DictOp> ops) {
        List<Object> replies = run((connection) -> {
            connection.openPipeline();
            for (DictOp op : ops) {
                byte[] key = ((String) op.key()).getBytes(StandardCharsets.UTF_8);
                if (op.kind() == DictOp.Kind.GET) {
                    connection.stringCommands().get(key);
                }
                else {
                    connection.stringCommands().set(key, (byte[]) op.value(), this.expiration, SetOption.upsert());
                }
            }
            return connection.closePipeline();
        });
        if (replies.size() != ops.size()) {
            throw new IllegalStateException("Pipeline of " + ops.size() + " ops answered " + replies.size());
        }
        List<@Nullable Object> results = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            results.add((ops.get(i).kind() == DictOp.Kind.GET) ? replies.get(i) : Boolean.TRUE);
        }
        return results;
    }

    private List<Object> evalPerSlot(RedisConnection connection, RedisScript<?> script, ReturnType type,
            List<byte[]> keys, List<byte[]> values) {
        if (!(connection instanceof RedisClusterConnection) || ClusterSlotHashUtil
            .isSameSlotForAllKeys(keys.toArray(new byte[0][]))) {
            return asList(evalSha(connection, script, type, keys, values));
        }
        // keys of different slots cannot share a script on a cluster: one script per slot, all in one pipeline
        Map<Integer, List<Integer>> slots = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            slots.computeIfAbsent(ClusterSlotHashUtil.calculateSlot(keys.get(i)), (slot) -> new ArrayList<>()).add(i);
        }
        byte[] body = script.getScriptAsString().getBytes(StandardCharsets.UTF_8);
        connection.openPipeline();
        for (List<Integer> indexes : slots.values()) {
            connection.scriptingCommands().eval(body, type, indexes.size(),
                    keysAndArgs(pick(keys, indexes), pick(values, indexes)));
        }
        List<Object> replies = connection.closePipeline();
        Object[] merged = new Object[keys.size()];
        int group = 0;
        for (List<Integer> indexes : slots.values()) {
            List<Object> reply = asList(replies.get(group++));
            for (int j = 0; j < indexes.size(); j++) {
                merged[indexes.get(j)] = (type == ReturnType.MULTI) ? reply.get(j) : reply.get(0);
            }
        }
        return Arrays.asList(merged);
    }

    private Object evalSha(RedisConnection connection, RedisScript<?> script, ReturnType type, List<byte[]> keys,
            List<byte[]> values) {
        byte[][] keysAndArgs = keysAndArgs(keys, values);
        try {
            return connection.scriptingCommands().evalSha(script.getSha1(), type, keys.size(), keysAndArgs);
        }
        catch (DataAccessException ex) {
            if (!isNoScript(ex)) {
                throw ex;
            }
            // the server has not cached the script yet (first use, restart, SCRIPT FLUSH): send its body once
            return connection.scriptingCommands().eval(script.getScriptAsString().getBytes(StandardCharsets.UTF_8),
                    type, keys.size(), keysAndArgs);
        }
    }

    private byte[][] keysAndArgs(List<byte[]> keys, List<byte[]> values) {
        byte[][] keysAndArgs = new byte[keys.size() * 2 + 1][];
        for (int i = 0; i < keys.size(); i++) {
            keysAndArgs[i] = keys.get(i);
            keysAndArgs[keys.size() + 1 + i] = values.get(i);
        }
        keysAndArgs[keys.size()] = this.ttlArgument;
        return keysAndArgs;
    }

    static boolean isNoScript(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }

    private static List<byte[]> pick(List<byte[]> all, List<Integer> indexes) {
        List<byte[]> picked = new ArrayList<>(indexes.size());
        indexes.forEach((index) -> picked.add(all.get(index)));
        return picked;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(@Nullable Object reply) {
        return (reply instanceof List<?> list) ? (List<Object>) list : Collections.singletonList(reply);
    }

    private static long count(Cursor<byte[]> cursor) {
        try (cursor) {
            long count = 0;
            while (cursor.hasNext()) {
                cursor.next();
                count++;
            }
            return count;
        }
    }

    private <T> T run(Function<RedisConnection, T> action) {
        try (RedisConnection connection = this.factory.getConnection()) {
            return action.apply(connection);
        }
    }

}
