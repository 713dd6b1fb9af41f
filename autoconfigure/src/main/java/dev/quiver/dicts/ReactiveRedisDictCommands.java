package dev.quiver.dicts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.core.types.Expiration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The non-blocking Redis commands of one {@link RedisDefaultDict}, on raw keys and values, through the reactive
 * side of the connection factory: no call parks the calling thread, not even the first, which may have to open the
 * factory's connection.
 */
final class ReactiveRedisDictCommands {

    private final ReactiveRedisConnectionFactory factory;

    private final Expiration expiration;

    private final byte[] ttlArgument;

    /** Set once the factory has handed out a connection, after which asking it for one no longer waits. */
    private volatile boolean connected;

    ReactiveRedisDictCommands(ReactiveRedisConnectionFactory factory, long ttlMillis) {
        this.factory = factory;
        this.expiration = (ttlMillis > 0) ? Expiration.milliseconds(ttlMillis) : Expiration.persistent();
        this.ttlArgument = Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII);
    }

    /** One {@code GET}; completes with the bytes, or {@code null} when the key is missing. */
    CompletableFuture<byte @Nullable []> get(byte[] key) {
        return run((connection) -> connection.stringCommands().get(ByteBuffer.wrap(key)))
            .map(ReactiveRedisDictCommands::bytes)
            .toFuture();
    }

    /** One {@code SET}, with the time to live if there is one; completes when Redis has answered. */
    CompletableFuture<@Nullable Void> set(byte[] key, byte[] value) {
        return run((connection) -> connection.stringCommands()
            .set(ByteBuffer.wrap(key), ByteBuffer.wrap(value), this.expiration, SetOption.upsert()))
            .then()
            .toFuture();
    }

    /** One script storing {@code value} if {@code key} is missing; completes with the value the key then holds. */
    CompletableFuture<byte[]> storeIfAbsent(byte[] key, byte[] value) {
        RedisScript<?> script = DictScripts.STORE_IF_ABSENT;
        return run((connection) -> this.<Object>eval(connection, script, key, value)
            .onErrorResume(RedisDictCommands::isNoScript, (ex) -> connection.scriptingCommands()
                .eval(ByteBuffer.wrap(script.getScriptAsString().getBytes(StandardCharsets.UTF_8)), ReturnType.VALUE,
                        1, args(key, value)))
            .next())
            .map(ReactiveRedisDictCommands::bytes)
            .toFuture();
    }

    private <T> Flux<T> eval(ReactiveRedisConnection connection, RedisScript<?> script, byte[] key, byte[] value) {
        return connection.scriptingCommands().evalSha(script.getSha1(), ReturnType.VALUE, 1, args(key, value));
    }

    private ByteBuffer[] args(byte[] key, byte[] value) {
        // fresh buffers on every call: a retried command must not see buffers the first attempt consumed
        return new ByteBuffer[] { ByteBuffer.wrap(key), ByteBuffer.wrap(this.ttlArgument), ByteBuffer.wrap(value) };
    }

    private <T> Mono<T> run(Function<ReactiveRedisConnection, Mono<T>> action) {
        return Mono.usingWhen(connection(), action, ReactiveRedisConnection::closeLater);
    }

    private Mono<ReactiveRedisConnection> connection() {
        Mono<ReactiveRedisConnection> connection = Mono.fromSupplier(this.factory::getReactiveConnection);
        if (this.connected) {
            return connection;
        }
        // Lettuce opens a factory's shared connection synchronously, handshake and all, on first use (and on every
        // use while that fails): until it is open, that wait belongs on a thread meant for blocking, not the caller's
        return connection.subscribeOn(Schedulers.boundedElastic()).doOnNext((opened) -> this.connected = true);
    }

    private static byte[] bytes(Object reply) {
        if (reply instanceof byte[] bytes) {
            return bytes;
        }
        if (reply instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        throw new IllegalStateException("Unexpected Redis reply " + reply.getClass().getName());
    }

}
