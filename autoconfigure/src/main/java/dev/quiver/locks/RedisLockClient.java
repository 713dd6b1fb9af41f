package dev.quiver.locks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;

/**
 * The Redis side of all {@link RedisLock}s of one connection factory: one shared asynchronous command connection,
 * one pub/sub connection for release notifications (opened when somebody first has to wait), and the
 * {@link RedisLockWaiters} of every lock key that has waiters in this JVM.
 * <p>
 * The connections are Lettuce's own, opened from the factory's client, so they share its settings (password,
 * database, TLS, timeouts) and its automatic reconnection, and they close when the factory is destroyed. A
 * dedicated connection is used rather than {@code getReactiveConnection()} per call, which costs several
 * microseconds of wrapper set-up for every command. On Redis Cluster the release notifications use sharded pub/sub
 * ({@code SSUBSCRIBE}/{@code SPUBLISH}), so they stay on the shard that owns the lock key.
 * <p>
 * Every command's failure reaches the locks translated into Spring's {@link DataAccessException} family, as Spring
 * Data Redis translates Lettuce's failures for the dicts and templates: a lost or refused connection as
 * {@code RedisConnectionFailureException}, a timeout as {@link QueryTimeoutException}, an error reply as
 * {@link RedisSystemException}; Lettuce's exception stays the cause.
 */
final class RedisLockClient {

    /**
     * How long a lock's fence key outlives the last write that needs it: it keeps the last fencing token (the tokens go
     * on from Redis's clock once it is gone) and the tokens released last, so that a release re-sent after a reconnect
     * is known.
     */
    static final long FENCE_KEY_LINGER_MILLIS = 60_000;

    private static final byte[] FENCE_KEY_LINGER = ascii(FENCE_KEY_LINGER_MILLIS);

    private static final LettuceExceptionConverter EXCEPTIONS = new LettuceExceptionConverter();

    /** Keyed weakly by factory: a collected factory takes its entry along. Guarded by itself. */
    private static final Map<LettuceConnectionFactory, RedisLockClient> CLIENTS = new WeakHashMap<>();

    private final AbstractRedisClient nativeClient;

    private final boolean cluster;

    /** Tells this client's tries and releases apart from other clients' (other processes, as a rule). */
    private final byte[] id = LockToken.next().bytes();

    /** The release script's wake-up: a sharded publish on a cluster, so that it stays on the key's shard. */
    private final byte[] wakeUpCommand;

    private final Duration awaitTimeout;

    private final ConcurrentMap<String, RedisLockWaiters> waiters = new ConcurrentHashMap<>();

    /** The waiters whose subscription each subscribed lock key's channel is. Guarded by itself. */
    private final Map<String, RedisLockWaiters> subscribers = new HashMap<>();

    private final Connector<RedisClusterAsyncCommands<byte[], byte[]>> commands;

    private final Connector<RedisPubSubAsyncCommands<byte[], byte[]>> pubSub;

    private RedisLockClient(AbstractRedisClient nativeClient, Duration commandTimeout) {
        this.nativeClient = nativeClient;
        this.cluster = nativeClient instanceof RedisClusterClient;
        this.wakeUpCommand = (this.cluster ? "spublish" : "publish").getBytes(StandardCharsets.US_ASCII);
        // sync calls wait for the command timeout (which fails the command) plus room for a first connect
        this.awaitTimeout = commandTimeout.plusSeconds(10);
        this.commands = new Connector<>(this::connectCommands);
        this.pubSub = new Connector<>(this::connectPubSub);
    }

    /**
     * Returns the client of a factory, creating it on first use or when the factory was restarted (it then has a new
     * Lettuce client).
     *
     * @throws IllegalStateException if the factory is not started
     */
    static RedisLockClient of(LettuceConnectionFactory factory) {
        AbstractRedisClient nativeClient = factory.getRequiredNativeClient();
        synchronized (CLIENTS) {
            RedisLockClient client = CLIENTS.get(factory);
            if (client == null || client.nativeClient != nativeClient) {
                client = new RedisLockClient(nativeClient, factory.getClientConfiguration().getCommandTimeout());
                CLIENTS.put(factory, client);
            }
            return client;
        }
    }

    /**
     * Tells whether this client still serves the factory (false after the factory was stopped or restarted).
     */
    boolean serves(LettuceConnectionFactory factory) {
        return factory.isRunning() && factory.getNativeClient() == this.nativeClient;
    }

    boolean isCluster() {
        return this.cluster;
    }

    /**
     * Runs the acquire script for one try: completes with the try's fencing token if the key now holds
     * {@code token} (also when it did already: a command re-sent after a reconnect), or with 0 if the lock is taken
     * (or this client stands back while another client's waiters have their turn); a try that finds the lock taken
     * records that this client's waiters wait, for {@code waitMillis}, so that releases of other clients stop handing
     * the lock over within their own process.
     * <p>
     * The clean-up hangs on the command's own future, which nobody else holds, so that a caller who cancels the
     * returned future (or stops waiting for it) cannot skip it: a try that failed is undone in case it ran late, and a
     * try that took the lock after its caller gave up gives it back. The caller hears of a failure only after the
     * undo is sent.
     */
    CompletableFuture<Long> acquire(byte[] key, byte[] fenceKey, byte[] token, long millis, long fenceMillis,
            long waitMillis) {
        CompletableFuture<Long> tried = withCommands((commands) -> RedisLockScripts.run(commands,
                RedisLockScripts.ACQUIRE, key, fenceKey, token, ascii(millis), ascii(fenceMillis), this.id,
                ascii(waitMillis)));
        CompletableFuture<Long> result = new CompletableFuture<>();
        tried.whenComplete((fence, failure) -> {
            if (failure != null) {
                releaseIfItRanLate(key, fenceKey, token, failure);
                result.completeExceptionally(failure);
            }
            else if (!result.complete(fence) && fence > 0) {
                releaseQuietly(key, fenceKey, token);
            }
        });
        return result;
    }

    /**
     * A try whose reply timed out may still run: on a stalled server it waits in the socket and runs when the server
     * wakes, leaving the lock held by a token nobody owns until the key expires. A compare-and-delete of that token
     * sent on the same connection runs right after it and undoes it; since every try has a token of its own, the undo
     * can never delete the key of a later try. Not when Redis refused the command (it did not run) or no connection
     * was ever made (it was never sent).
     */
    private void releaseIfItRanLate(byte[] key, byte[] fenceKey, byte[] token, Throwable failure) {
        RedisClusterAsyncCommands<byte[], byte[]> connected = this.commands.connected();
        if (connected == null || serverError(failure) != null) {
            return;
        }
        try {
            runRelease(connected, key, fenceKey, token);
        }
        catch (RuntimeException ex) {
            // the key expires after the lock's timeout anyway
        }
    }

    private void releaseQuietly(byte[] key, byte[] fenceKey, byte[] token) {
        try {
            release(key, fenceKey, token);
        }
        catch (RuntimeException ex) {
            // the key expires after the lock's timeout anyway
        }
    }

    /**
     * Runs the release script: completes with 1 if the key held {@code token} and was deleted (or was by an earlier
     * run of the same release), else 0.
     */
    CompletableFuture<Long> release(byte[] key, byte[] fenceKey, byte[] token) {
        return withCommands((commands) -> runRelease(commands, key, fenceKey, token));
    }

    private CompletableFuture<Long> runRelease(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key,
            byte[] fenceKey, byte[] token) {
        return RedisLockScripts.run(commands, RedisLockScripts.RELEASE, key, fenceKey, token, this.wakeUpCommand,
                this.id, FENCE_KEY_LINGER);
    }

    /**
     * Runs the pass script (standalone Redis only): completes with the next waiter's fencing token (&gt; 0) if the
     * key held {@code token} and now holds {@code next}, -1 if it held {@code token} and was deleted (another process
     * listens for releases), else 0; a run of the same pass again answers as the first did.
     */
    CompletableFuture<Long> pass(byte[] key, byte[] fenceKey, byte[] token, byte[] next, long nextMillis,
            long fenceMillis) {
        return withCommands((commands) -> RedisLockScripts.run(commands, RedisLockScripts.PASS, key, fenceKey, token,
                next, ascii(nextMillis), ascii(fenceMillis), this.id));
    }

    /**
     * Runs the extend script: completes with 1 if extended (or by an earlier run of the same call), 0 if not owned,
     * -1 if the key has no expiry.
     */
    CompletableFuture<Long> extend(byte[] key, byte[] fenceKey, byte[] token, long millis, byte[] callId) {
        return withCommands((commands) -> RedisLockScripts.run(commands, RedisLockScripts.EXTEND, key, fenceKey,
                token, ascii(millis), callId, FENCE_KEY_LINGER));
    }

    /**
     * Runs the renew script: completes with 1 if the key held {@code token} and lives {@code millis} from now, else 0.
     */
    CompletableFuture<Long> renew(byte[] key, byte[] fenceKey, byte[] token, long millis) {
        return withCommands((commands) -> RedisLockScripts.run(commands, RedisLockScripts.RENEW, key, fenceKey, token,
                ascii(millis), FENCE_KEY_LINGER));
    }

    private static byte[] ascii(long number) {
        return Long.toString(number).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * {@code EXISTS key}: completes with {@code true} if the key exists.
     */
    CompletableFuture<Boolean> exists(byte[] key) {
        return withCommands((commands) -> commands.exists(key).toCompletableFuture().thenApply((count) -> count > 0));
    }

    /**
     * {@code GET key}: completes with the value, or {@code null} if the key does not exist.
     */
    CompletableFuture<byte @Nullable []> get(byte[] key) {
        return withCommands((commands) -> commands.get(key).toCompletableFuture());
    }

    /**
     * Subscribes to the release channel of some waiters' lock key, which makes them the channel's subscriber;
     * completes when Redis confirmed the subscription.
     */
    CompletableFuture<Void> subscribe(RedisLockWaiters lockWaiters) {
        byte[] channel = lockWaiters.channel();
        RedisPubSubAsyncCommands<byte[], byte[]> connected;
        synchronized (this.subscribers) {
            this.subscribers.put(lockWaiters.key(), lockWaiters);
            connected = this.pubSub.connected();
            if (connected != null) {
                // sent while holding the lock, so that no unsubscribe of former waiters can overtake it
                return sendSubscribe(connected, channel);
            }
        }
        return this.pubSub.get().thenCompose((pubSub) -> {
            synchronized (this.subscribers) {
                if (this.subscribers.get(lockWaiters.key()) != lockWaiters) {
                    // they closed before the connection was made
                    return CompletableFuture.completedFuture(null);
                }
                return sendSubscribe(pubSub, channel);
            }
        });
    }

    private CompletableFuture<Void> sendSubscribe(RedisPubSubAsyncCommands<byte[], byte[]> pubSub, byte[] channel) {
        return (this.cluster ? pubSub.ssubscribe(channel) : pubSub.subscribe(channel)).toCompletableFuture();
    }

    /**
     * Gives up the release subscription of some waiters that closed, without waiting for the reply; does nothing if
     * newer waiters of the same key subscribed since, since the channel's subscription is theirs now (an unsubscribe
     * would cancel it).
     */
    void unsubscribe(RedisLockWaiters lockWaiters) {
        synchronized (this.subscribers) {
            if (!this.subscribers.remove(lockWaiters.key(), lockWaiters)) {
                return;
            }
            RedisPubSubAsyncCommands<byte[], byte[]> pubSub = this.pubSub.connected();
            // once the factory is stopped the subscription is closed with it, and its client refuses new commands
            if (pubSub == null || !pubSub.getStatefulConnection().isOpen()) {
                return;
            }
            try {
                if (this.cluster) {
                    pubSub.sunsubscribe(lockWaiters.channel());
                }
                else {
                    pubSub.unsubscribe(lockWaiters.channel());
                }
            }
            catch (IllegalStateException refused) {
                // stopped between the check and the command ("cannot be started once stopped")
                if (pubSub.getStatefulConnection().isOpen()) {
                    throw refused;
                }
            }
        }
    }

    /**
     * Returns the waiters of a lock key, if this JVM has any (or had them a moment ago).
     */
    @Nullable RedisLockWaiters waitersIfPresent(String key) {
        return this.waiters.get(key);
    }

    /**
     * Returns the waiters of a lock key, creating them if needed.
     */
    RedisLockWaiters waiters(String key) {
        return this.waiters.computeIfAbsent(key, (name) -> new RedisLockWaiters(this, name));
    }

    /**
     * Forgets the waiters of a lock key once they have closed.
     */
    void remove(RedisLockWaiters lockWaiters) {
        this.waiters.remove(lockWaiters.key(), lockWaiters);
    }

    /**
     * Waits for a command of a synchronous call, rethrowing its failure unwrapped.
     */
    <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(this.awaitTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            Throwable cause = translate(ex.getCause());
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new RedisSystemException("Redis command failed", cause);
        }
        catch (TimeoutException ex) {
            future.cancel(false);
            throw new QueryTimeoutException("Redis did not answer within " + this.awaitTimeout, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RedisSystemException("Interrupted while waiting for Redis", ex);
        }
    }

    /**
     * Translates a failed command into Spring's {@link DataAccessException} family, as Spring Data Redis translates
     * Lettuce's failures; a failure that is no Redis failure (or is translated already) is returned unwrapped.
     */
    static Throwable translate(Throwable failure) {
        Throwable cause = RedisLockScripts.unwrap(failure);
        if (cause instanceof RuntimeException runtime && !(cause instanceof DataAccessException)) {
            DataAccessException translated = EXCEPTIONS.translateExceptionIfPossible(runtime);
            if (translated != null) {
                return translated;
            }
        }
        return cause;
    }

    /**
     * Tells whether a failed command may succeed when tried again (a lost connection, a timeout, a server that is
     * loading or failing over) rather than being refused for good (a wrong password, a missing permission).
     */
    static boolean isTransient(Throwable failure) {
        // a refused connect is a RedisConnectionException caused by the server's refusal (WRONGPASS, NOAUTH): judge
        // by that refusal, or a wrong password would be retried every sleep until the blocking timeout
        RedisCommandExecutionException refusal = serverError(failure);
        if (refusal == null) {
            return true;
        }
        String message = String.valueOf(refusal.getMessage());
        return message.startsWith("LOADING") || message.startsWith("BUSY") || message.startsWith("READONLY")
                || message.startsWith("CLUSTERDOWN") || message.startsWith("TRYAGAIN")
                || message.startsWith("MASTERDOWN");
    }

    /** The server's error reply in a failure's cause chain, if the server answered with one. */
    private static @Nullable RedisCommandExecutionException serverError(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            if (cause instanceof RedisCommandExecutionException refusal) {
                return refusal;
            }
        }
        return null;
    }

    private <T> CompletableFuture<T> withCommands(
            Function<RedisClusterAsyncCommands<byte[], byte[]>, CompletableFuture<T>> command) {
        RedisClusterAsyncCommands<byte[], byte[]> connected = this.commands.connected();
        CompletableFuture<T> sent = (connected != null) ? command.apply(connected)
                : this.commands.get().thenCompose(command);
        return translated(sent);
    }

    private static <T> CompletableFuture<T> translated(CompletableFuture<T> sent) {
        return sent.exceptionallyCompose((failure) -> CompletableFuture.failedFuture(translate(failure)));
    }

    private RedisClusterAsyncCommands<byte[], byte[]> connectCommands() {
        if (this.nativeClient instanceof RedisClusterClient clusterClient) {
            return clusterClient.connect(ByteArrayCodec.INSTANCE).async();
        }
        return ((RedisClient) this.nativeClient).connect(ByteArrayCodec.INSTANCE).async();
    }

    private RedisPubSubAsyncCommands<byte[], byte[]> connectPubSub() {
        StatefulRedisPubSubConnection<byte[], byte[]> connection = (this.nativeClient instanceof RedisClusterClient
                clusterClient) ? clusterClient.connectPubSub(ByteArrayCodec.INSTANCE)
                        : ((RedisClient) this.nativeClient).connectPubSub(ByteArrayCodec.INSTANCE);
        connection.addListener(new ReleaseListener());
        return connection.async();
    }

    private void onRelease(byte[] channel) {
        RedisLockWaiters lockWaiters = this.waiters.get(new String(channel, StandardCharsets.UTF_8));
        if (lockWaiters != null) {
            lockWaiters.onRelease();
        }
    }

    /**
     * A channel's subscription ended. This client unsubscribes only after the channel's waiters have left (they are
     * no longer its subscribers then), so an end while waiters are subscribed is the server's: on a cluster, the
     * lock key's slot moved to another node, which drops the sharded subscriptions to its channels. The waiters then
     * subscribe again, which reaches the slot's new owner. (When new waiters subscribed right after former ones
     * unsubscribed, the end of the former subscription is taken for a drop too, and costs one more subscribe.)
     */
    private void onUnsubscribed(byte[] channel) {
        RedisLockWaiters subscriber;
        synchronized (this.subscribers) {
            subscriber = this.subscribers.get(new String(channel, StandardCharsets.UTF_8));
        }
        if (subscriber != null) {
            subscriber.onSubscriptionDropped();
        }
    }

    private void onSubscribed(byte[] channel) {
        RedisLockWaiters lockWaiters = this.waiters.get(new String(channel, StandardCharsets.UTF_8));
        if (lockWaiters != null) {
            lockWaiters.onResubscribed();
        }
    }

    /**
     * Hears release notifications and subscription confirmations (Lettuce re-subscribes by itself after a
     * reconnect; a confirmation then stands for the notifications that may have been missed meanwhile), and the
     * ends of sharded subscriptions, which a cluster node also sends unasked when a slot moves away from it.
     */
    private final class ReleaseListener extends RedisPubSubAdapter<byte[], byte[]> {

        @Override
        public void message(byte[] channel, byte[] message) {
            onRelease(channel);
        }

        @Override
        public void smessage(byte[] channel, byte[] message) {
            onRelease(channel);
        }

        @Override
        public void subscribed(byte[] channel, long count) {
            onSubscribed(channel);
        }

        @Override
        public void ssubscribed(byte[] channel, long count) {
            onSubscribed(channel);
        }

        @Override
        public void sunsubscribed(byte[] channel, long count) {
            onUnsubscribed(channel);
        }
    }

    /**
     * Opens one connection lazily and without blocking the caller: the first caller starts a connect on a short-lived
     * thread of its own (Lettuce's connect blocks, and must not hold up a shared pool or an I/O thread); callers
     * meanwhile share its future; a failed connect is tried again by the next caller.
     */
    private static final class Connector<C> {

        private final Supplier<C> connect;

        private volatile @Nullable C connected;

        private @Nullable CompletableFuture<C> connecting;

        Connector(Supplier<C> connect) {
            this.connect = connect;
        }

        @Nullable C connected() {
            return this.connected;
        }

        synchronized CompletableFuture<C> get() {
            C current = this.connected;
            if (current != null) {
                return CompletableFuture.completedFuture(current);
            }
            CompletableFuture<C> pending = this.connecting;
            if (pending == null) {
                pending = new CompletableFuture<>();
                this.connecting = pending;
                CompletableFuture<C> result = pending;
                Thread thread = new Thread(() -> connect(result), "quiver-lock-connect");
                thread.setDaemon(true);
                thread.start();
            }
            return pending;
        }

        private void connect(CompletableFuture<C> result) {
            try {
                C connection = this.connect.get();
                synchronized (this) {
                    this.connected = connection;
                    this.connecting = null;
                }
                result.complete(connection);
            }
            catch (RuntimeException ex) {
                synchronized (this) {
                    this.connecting = null;
                }
                result.completeExceptionally(ex);
            }
        }
    }
}
