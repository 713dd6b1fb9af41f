package dev.quiver.dicts;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;

/**
 * A dict's {@code MGET} sent straight through Lettuce when the connection is Lettuce's to a single server: each
 * prefixed key is written into the command's buffer as it is sent, and each value appended to one
 * {@link ValueStream} as it is read, without the array per key, the array per value and the key-value pair per value
 * of Spring Data Redis's {@code mGet}. It is the same one {@code MGET}, with the connection's own command timeout,
 * and its failures are translated as Spring translates Lettuce's.
 * <p>
 * Only loaded when Lettuce is on the class path.
 */
final class LettuceMget {

    private static final LettuceExceptionConverter EXCEPTIONS = new LettuceExceptionConverter();

    private final PrefixedKeyCodec codec;

    LettuceMget(PrefixedKeys keys) {
        this.codec = new PrefixedKeyCodec(keys);
    }

    /**
     * Sends one {@code MGET} of {@code keys} (without the prefix) if {@code connection} is a Lettuce connection to a
     * single server that is neither pipelining nor in a transaction.
     *
     * @return the values, none for each missing key; or {@code null} if the connection is of another kind
     * @throws DataAccessException if the command fails or times out
     */
    @Nullable ValueStream mget(RedisConnection connection, List<String> keys) {
        if (!(connection instanceof LettuceConnection lettuce) || connection instanceof RedisClusterConnection
                || lettuce.isPipelined() || lettuce.isQueueing()
                || !(lettuce.getNativeConnection() instanceof RedisAsyncCommands<byte[], byte[]> commands)) {
            return null;
        }
        RedisFuture<ValueStream> reply = dispatch(commands, new ValueStreamOutput(this.codec, keys.size()),
                new CommandArgs<>(this.codec).addKeys(keys));
        Duration timeout = commands.getStatefulConnection().getTimeout();
        try {
            return LettuceFutures.awaitOrCancel(reply, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (RuntimeException ex) {
            DataAccessException translated = EXCEPTIONS.translateExceptionIfPossible(ex);
            throw (translated != null) ? translated : ex;
        }
    }

    /** The connection's codec is for byte-array keys; this command carries its own codec for string keys. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static RedisFuture<ValueStream> dispatch(RedisAsyncCommands<byte[], byte[]> commands,
            ValueStreamOutput output, CommandArgs<String, byte[]> args) {
        return ((BaseRedisAsyncCommands) commands).dispatch(CommandType.MGET, output, args);
    }

    /**
     * Appends each value of an {@code MGET}'s reply to a {@link ValueStream} as Lettuce reads it off the connection.
     */
    static final class ValueStreamOutput extends CommandOutput<String, byte[], ValueStream> {

        /** Room for values of about this many bytes each before the stream grows. */
        private static final int BYTES_PER_VALUE_HINT = 16;

        ValueStreamOutput(PrefixedKeyCodec codec, int keys) {
            super(codec, new ValueStream(keys, keys * BYTES_PER_VALUE_HINT));
        }

        @Override
        public void set(@Nullable ByteBuffer bytes) {
            this.output.add(bytes);
        }
    }

    /**
     * Writes a dict's keys, prefix first, in UTF-8. Keys are only written; the values are read by the command's
     * {@link ValueStreamOutput}.
     */
    static final class PrefixedKeyCodec implements RedisCodec<String, byte[]>, ToByteBufEncoder<String, byte[]> {

        private final PrefixedKeys keys;

        private final byte[] prefix;

        PrefixedKeyCodec(PrefixedKeys keys) {
            this.keys = keys;
            this.prefix = keys.prefix();
        }

        @Override
        public void encodeKey(String key, ByteBuf target) {
            target.writeBytes(this.prefix);
            ByteBufUtil.writeUtf8(target, key);
        }

        /** Exact for a key: Lettuce writes it as the length of the key's bulk string. */
        @Override
        public int estimateSize(Object key) {
            return this.prefix.length + ByteBufUtil.utf8Bytes((CharSequence) key);
        }

        @Override
        public boolean isEstimateExact() {
            return true;
        }

        @Override
        public byte[] decodeValue(ByteBuffer bytes) {
            throw new UnsupportedOperationException("an MGET's values are read by its ValueStreamOutput");
        }

        @Override
        public ByteBuffer encodeKey(String key) {
            return ByteBuffer.wrap(this.keys.encode(key));
        }

        @Override
        public void encodeValue(byte[] value, ByteBuf target) {
            throw new UnsupportedOperationException("an MGET sends no values");
        }

        @Override
        public ByteBuffer encodeValue(byte[] value) {
            throw new UnsupportedOperationException("an MGET sends no values");
        }

        @Override
        public String decodeKey(ByteBuffer bytes) {
            throw new UnsupportedOperationException("an MGET's keys are not read back");
        }
    }
}
