package dev.quiver.locks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A lock shared by every process that uses the same Redis: the key {@code keyPrefix + name} holds a random token of
 * the current holder and expires after {@code timeout}, so the lock frees itself when a holder dies.
 * <p>
 * Acquiring is one script that sets the key to a fresh token of the try, {@code NX PX timeout}, and gives the
 * acquisition its {@link Permit#fencingToken() fencing token}; releasing is one script that deletes the key only while
 * it still holds this acquisition's token and publishes the release on the key's channel. Every script answers the
 * same when it runs twice (Lettuce re-sends unanswered commands after a reconnect), and every try carries its own
 * token, so that undoing a try that may have run late can never free the lock of a later one. On a standalone Redis,
 * when this process has a waiter for the key, the release script instead hands the key to that waiter, so a hand-off
 * within one process is one round trip; while other clients wait, it does so at most 8 times in a row, and then the
 * turn goes to the client that has waited longest. A caller that finds the lock taken waits without parking a
 * thread: the waiters of one JVM queue in arrival order behind one subscription per lock key, and the head of the
 * queue tries again when a release is published, or every {@code sleep} in case a notification was lost, until
 * {@code blockingTimeout}. On Redis Cluster the notifications use sharded pub/sub.
 * <p>
 * Each permit has a lease of {@code timeout} from the moment its acquire was sent; {@link Permit#lost()} completes
 * when the lease runs out, or when a renewal (with {@code leaseRenewal}) finds the key gone or taken. Use the fencing
 * token and {@code lost()} to guard against what no lease can exclude: a holder paused past its lease, or a Redis
 * that restarted without its data. Besides the lock key, a lock keeps a small hash, the lock key followed by
 * {@code ":fence"}, for the timeout and a minute after its last acquisition.
 * <p>
 * One instance may be shared by many tasks: each {@link #acquire()} is its own acquisition with its own token, and
 * tasks sharing an instance exclude each other exactly as processes do. The instance remembers its current
 * acquisition for {@link #release()}, {@link #extend(Duration)} and {@link #isOwned()}; with {@code threadLocal}, that
 * acquisition belongs to the thread that called {@code acquire()} (or {@code tryAcquire()}), and other threads may
 * not release or extend it. A {@link Permit} always releases its own acquisition, from any thread. The locks that
 * {@link RedisLocks} hands out for one name act as one instance, whichever of them a caller uses.
 * <p>
 * The futures of this lock complete on its executor ({@link ForkJoinPool#commonPool()} unless set; Quiver's
 * auto-configuration gives the application's task executor), in the context of the code that acquired (with an
 * observer that carries one), never on a Redis I/O thread, so dependent stages may call the synchronous
 * {@link #release()} or {@link Permit#close()}. Failures of Redis are Spring's {@link DataAccessException}s,
 * translated as Spring Data Redis translates Lettuce's ({@link RedisConnectionFailureException} when Redis cannot be
 * reached, {@link QueryTimeoutException} when it does not answer in time, {@link RedisSystemException} for an error
 * reply), with Lettuce's exception as the cause; a wait that Redis failures outlast ends with a
 * {@link LockTimeoutException} whose cause is the last of them. The lock needs a {@link LettuceConnectionFactory},
 * which must be started when the lock is first used; its connections are shared by all locks of that factory. This
 * class is thread-safe.
 */
public final class RedisLock implements AsyncLock {

    /**
     * How much longer than two retry intervals a try that found the lock taken counts as a waiting client: the head
     * of a client's waiters tries at least every {@code sleep}, so the record lapses only when the client stopped
     * waiting (or is stalled for this long), and releases then no longer give it a turn that it would not take.
     */
    private static final long WAIT_RECORD_SLACK_MILLIS = 500;

    private final LettuceConnectionFactory factory;

    private final String name;

    private final String key;

    private final byte[] keyBytes;

    private final byte[] fenceKeyBytes;

    private final RedisLockSettings settings;

    private final long timeoutMillis;

    private final long fenceMillis;

    private final long waitMillis;

    private final long sleepNanos;

    private volatile LockObserver observer;

    private final Executor executor;

    private final AtomicReference<@Nullable RedisPermit> current = new AtomicReference<>();

    private volatile @Nullable RedisLockClient client;

    /** The locks of the factory that made this one, which a use of the name attaches to; {@code null} if none. */
    private final @Nullable LocksInUse<RedisLock> shared;

    /**
     * Creates a lock; one of a {@link RedisLocks} factory ({@code shared} not {@code null}) works, when used, on the
     * lock of its name that is in use, if there is one, so that the current acquisition that {@link #release()} sees
     * is the name's.
     */
    RedisLock(LettuceConnectionFactory factory, String name, RedisLockSettings settings, LockObserver observer,
            Executor executor, @Nullable LocksInUse<RedisLock> shared) {
        this.shared = shared;
        this.factory = factory;
        this.name = requireName(name);
        this.settings = settings;
        this.key = settings.keyPrefix() + name;
        this.keyBytes = this.key.getBytes(StandardCharsets.UTF_8);
        this.fenceKeyBytes = fenceKey(this.key).getBytes(StandardCharsets.UTF_8);
        this.timeoutMillis = settings.timeout().toMillis();
        this.fenceMillis = this.timeoutMillis + RedisLockClient.FENCE_KEY_LINGER_MILLIS;
        this.waitMillis = 2 * settings.sleep().toMillis() + WAIT_RECORD_SLACK_MILLIS;
        this.sleepNanos = settings.sleep().toNanos();
        this.observer = Objects.requireNonNull(observer, "observer");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Starts building a lock.
     *
     * @param factory the connection factory of the Redis that holds the lock (a {@link LettuceConnectionFactory})
     * @param name the name of the lock, appended to the key prefix to form the Redis key
     * @return a builder with every setting at its default
     * @throws NullPointerException if {@code factory} or {@code name} is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank or {@code factory} is not a
     *         {@link LettuceConnectionFactory}
     */
    public static Builder builder(RedisConnectionFactory factory, String name) {
        return new Builder(requireLettuce(factory), requireName(name));
    }

    @Override
    public String name() {
        return this.name;
    }

    /**
     * Returns the Redis key that holds this lock.
     *
     * @return the key prefix followed by the name
     */
    public String key() {
        return this.key;
    }

    /**
     * Returns the settings this lock was built with.
     *
     * @return the settings
     */
    public RedisLockSettings settings() {
        return this.settings;
    }

    /**
     * Acquires the lock, waiting up to the lock's {@code blockingTimeout}.
     *
     * @return a future that completes with the {@link Permit} once the lock is held, or exceptionally with
     *         {@link LockTimeoutException} when the blocking timeout passes first (its cause, if any, is the last
     *         Redis failure met while waiting) or with a Redis exception that trying again cannot cure; cancelling
     *         it withdraws the request, and a withdrawn request never holds the lock
     */
    @Override
    public CompletableFuture<Permit> acquire() {
        return acquire(this.settings.blockingTimeout());
    }

    /**
     * Acquires the lock, waiting up to {@code blockingTimeout}.
     *
     * @param blockingTimeout how long to wait for the lock; zero means try once
     * @return a future that completes with the {@link Permit} once the lock is held, or exceptionally with
     *         {@link LockTimeoutException} when {@code blockingTimeout} passes first (its cause, if any, is the last
     *         Redis failure met while waiting) or with a Redis exception that trying again cannot cure
     * @throws NullPointerException if {@code blockingTimeout} is {@code null}
     * @throws IllegalArgumentException if {@code blockingTimeout} is negative
     */
    @Override
    public CompletableFuture<Permit> acquire(Duration blockingTimeout) {
        RedisLockSettings.requireNotNegative("blockingTimeout", blockingTimeout);
        return new Acquisition(attach(), blockingTimeout).start();
    }

    /**
     * Takes the lock if it is free now, with one script run; blocks the caller for that round trip.
     *
     * @return {@code true} if the lock is now held by this instance (release it with {@link #release()})
     */
    @Override
    public boolean tryAcquire() {
        RedisLock lock = attach();
        boolean acquired = false;
        try {
            acquired = lock.tryOnce();
            return acquired;
        }
        finally {
            if (!acquired) {
                lock.detach();
            }
        }
    }

    private boolean tryOnce() {
        LockWait wait = this.observer.startWait();
        long start = System.nanoTime();
        LockToken token = LockToken.next();
        long fence;
        try (LockWait.Scope scope = wait.openScope()) {
            RedisLockClient redis = client();
            fence = redis.await(redis.acquire(this.keyBytes, this.fenceKeyBytes, token.bytes(), this.timeoutMillis,
                    this.fenceMillis, this.waitMillis));
        }
        catch (RuntimeException ex) {
            wait.stop(LockObserver.WaitOutcome.ERROR, ex);
            throw ex;
        }
        boolean acquired = fence > 0;
        if (acquired) {
            hold(token, fence, Thread.currentThread(), start, wait);
        }
        wait.stop(acquired ? LockObserver.WaitOutcome.ACQUIRED : LockObserver.WaitOutcome.TIMEOUT, null);
        return acquired;
    }

    /**
     * Releases this instance's current acquisition: deletes the key if it still holds that acquisition's token.
     * Blocks for one round trip to Redis. The acquisition counts as released afterwards even if it was lost.
     *
     * @throws IllegalStateException if this instance holds no acquisition
     * @throws LockNotOwnedException if the key expired and is gone or held by someone else (whose key is left
     *         untouched), or, with {@code threadLocal}, if another thread acquired it
     * @throws DataAccessException if Redis failed or did not answer: the message names the lock and says that the
     *         key, if the release did not reach Redis, frees itself after the lock's timeout; the type is the one
     *         Spring translates the failure to (e.g. {@link QueryTimeoutException}), with that translation as cause
     */
    @Override
    public void release() {
        RedisPermit permit = currentPermit();
        if (permit == null) {
            throw new IllegalStateException("Cannot release " + this + ": this instance holds no acquisition");
        }
        if (this.settings.threadLocal() && permit.owner() != Thread.currentThread()) {
            throw new LockNotOwnedException("Cannot release " + this + " from thread '"
                    + Thread.currentThread().getName() + "': it was acquired by thread '" + permit.owner().getName()
                    + "' and is thread-local");
        }
        if (!permit.markReleased()) {
            throw new IllegalStateException("Cannot release " + this + ": its acquisition was released already");
        }
        permit.lock().releaseMarked(permit);
    }

    /**
     * Acquires the lock (waiting up to {@code blockingTimeout}), runs {@code action}, and releases the lock when the
     * action's stage completes, whatever the outcome. The release does not block any thread.
     *
     * @param action supplies the work to run while the lock is held
     * @param <T> the action's result type
     * @return a future that completes as the action's stage does, after the lock is released; exceptionally with
     *         {@link LockTimeoutException} if the lock was not acquired (the action then does not run), or with
     *         {@link LockNotOwnedException} if the action succeeded but the key had expired before the release (the
     *         action then ran partly without the lock); cancelling it before the lock is acquired withdraws the
     *         request
     * @throws NullPointerException if {@code action} is {@code null}
     */
    @Override
    public <T> CompletableFuture<T> withLock(Supplier<? extends CompletionStage<T>> action) {
        Objects.requireNonNull(action, "action");
        return withLock((permit) -> action.get());
    }

    /**
     * Acquires the lock (waiting up to {@code blockingTimeout}), runs {@code action} with the permit, and releases
     * the lock when the action's stage completes, whatever the outcome. The action may hand the permit's
     * {@link Permit#fencingToken()} to the resource it writes, and stop when {@link Permit#lost()} completes; it must
     * not close the permit itself. The release does not block any thread.
     *
     * @param action the work to run while the lock is held, given the permit
     * @param <T> the action's result type
     * @return a future that completes as the action's stage does, after the lock is released; exceptionally with
     *         {@link LockTimeoutException} if the lock was not acquired (the action then does not run), or with
     *         {@link LockNotOwnedException} if the action succeeded but the key had expired before the release;
     *         cancelling it before the lock is acquired withdraws the request
     * @throws NullPointerException if {@code action} is {@code null}
     */
    @Override
    public <T> CompletableFuture<T> withLock(Function<? super Permit, ? extends CompletionStage<T>> action) {
        Objects.requireNonNull(action, "action");
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<Permit> acquisition = acquire();
        result.whenComplete((value, failure) -> acquisition.cancel(false));
        acquisition.whenComplete((permit, acquireFailure) -> {
            if (acquireFailure != null) {
                result.completeExceptionally(RedisLockScripts.unwrap(acquireFailure));
                return;
            }
            CompletionStage<T> stage;
            try {
                stage = Objects.requireNonNull(action.apply(permit),
                        "action returned null instead of a CompletionStage");
            }
            catch (Throwable ex) {
                stage = CompletableFuture.failedFuture(ex);
            }
            RedisPermit held = (RedisPermit) permit;
            stage.whenComplete((value, actionFailure) -> held.lock().releaseAsync(held)
                .whenComplete((ignored, releaseFailure) -> completeOn(() -> held.runInCallerContext(() -> {
                    if (actionFailure != null) {
                        Throwable failure = RedisLockScripts.unwrap(actionFailure);
                        if (releaseFailure != null) {
                            failure.addSuppressed(RedisLockScripts.unwrap(releaseFailure));
                        }
                        result.completeExceptionally(failure);
                    }
                    else if (releaseFailure != null) {
                        result.completeExceptionally(RedisLockScripts.unwrap(releaseFailure));
                    }
                    else {
                        result.complete(value);
                    }
                }))));
        });
        return result;
    }

    /**
     * Tells whether anyone holds the lock now ({@code EXISTS key}); blocks for one round trip.
     *
     * @return {@code true} if the key exists
     */
    @Override
    public boolean isLocked() {
        RedisLockClient redis = client();
        return redis.await(redis.exists(this.keyBytes));
    }

    /**
     * Tells whether the key still holds the token of this instance's current acquisition ({@code GET key}); blocks
     * for one round trip. With {@code threadLocal}, only the acquiring thread owns it.
     *
     * @return {@code true} if this instance (and, if thread-local, this thread) holds the lock
     */
    public boolean isOwned() {
        RedisPermit permit = currentPermit();
        if (permit == null || (this.settings.threadLocal() && permit.owner() != Thread.currentThread())) {
            return false;
        }
        RedisLockClient redis = client();
        byte[] value = redis.await(redis.get(this.keyBytes));
        return value != null && permit.token().matches(value);
    }

    /**
     * Adds {@code additional} to the remaining lifetime of the key of this instance's current acquisition, as
     * redis-py's {@code extend} does (one compare-and-pexpire script).
     *
     * @param additional the time to add (at least 1 ms)
     * @return a future that completes with {@code true} when the key was extended, with {@code false} when the key
     *         still holds the token but has no expiry (someone made it persistent, so there is no lifetime to add
     *         to), or exceptionally with {@link LockNotOwnedException} when the key expired and is gone or held by
     *         someone else (or, with {@code threadLocal}, was acquired by another thread), and with
     *         {@link IllegalStateException} when this instance holds no acquisition
     * @throws NullPointerException if {@code additional} is {@code null}
     * @throws IllegalArgumentException if {@code additional} is shorter than 1 ms
     */
    public CompletableFuture<Boolean> extend(Duration additional) {
        long millis = RedisLockSettings.requireAtLeastOneMilli("additional", additional).toMillis();
        RedisPermit permit = currentPermit();
        if (permit == null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("Cannot extend " + this + ": this instance holds no acquisition"));
        }
        if (this.settings.threadLocal() && permit.owner() != Thread.currentThread()) {
            return CompletableFuture.failedFuture(new LockNotOwnedException("Cannot extend " + this + " from thread '"
                    + Thread.currentThread().getName() + "': it was acquired by thread '" + permit.owner().getName()
                    + "' and is thread-local"));
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        CompletableFuture<Long> extended;
        try {
            extended = client().extend(this.keyBytes, this.fenceKeyBytes, permit.token().bytes(), millis,
                    LockToken.next().bytes());
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        extended.whenComplete((reply, failure) -> completeOn(() -> {
            if (failure != null) {
                result.completeExceptionally(RedisLockScripts.unwrap(failure));
            }
            else if (reply == 0) {
                result.completeExceptionally(new LockNotOwnedException(
                        "Cannot extend " + this + ": the key expired and is gone or held by someone else"));
            }
            else {
                if (reply > 0) {
                    permit.extendLease(millis * 1_000_000L);
                }
                result.complete(reply > 0);
            }
        }));
        return result;
    }

    @Override
    public String toString() {
        return "RedisLock '" + this.name + "' (key " + this.key + ")";
    }

    /** Counts a use of the name: returns the lock to work on, this one unless it comes from a factory. */
    private RedisLock attach() {
        LocksInUse<RedisLock> factoryLocks = this.shared;
        return (factoryLocks != null) ? factoryLocks.attach(this.name, this) : this;
    }

    /** Ends a use that {@link #attach()} counted, once it failed or its acquisition was released. */
    void detach() {
        LocksInUse<RedisLock> factoryLocks = this.shared;
        if (factoryLocks != null) {
            factoryLocks.detach(this.name, this);
        }
    }

    /** Returns the name's current acquisition: this lock's, or that of the factory's lock in use. */
    private @Nullable RedisPermit currentPermit() {
        LocksInUse<RedisLock> factoryLocks = this.shared;
        RedisLock lock = (factoryLocks != null) ? factoryLocks.inUse(this.name) : this;
        return (lock != null) ? lock.current.get() : null;
    }

    /** Tells whether this lock has an acquisition that it has not released. */
    boolean holds() {
        return this.current.get() != null;
    }

    RedisLockClient client() {
        RedisLockClient redis = this.client;
        if (redis == null || !redis.serves(this.factory)) {
            redis = RedisLockClient.of(this.factory);
            this.client = redis;
        }
        return redis;
    }

    byte[] keyBytes() {
        return this.keyBytes;
    }

    byte[] fenceKeyBytes() {
        return this.fenceKeyBytes;
    }

    long timeoutMillis() {
        return this.timeoutMillis;
    }

    long fenceMillis() {
        return this.fenceMillis;
    }

    long waitMillis() {
        return this.waitMillis;
    }

    long sleepNanos() {
        return this.sleepNanos;
    }

    long timeoutNanos() {
        return this.timeoutMillis * 1_000_000L;
    }

    LockObserver observer() {
        return this.observer;
    }

    /**
     * Replaces the observer told how long callers waited for and held this lock, e.g. to record metrics.
     *
     * @param observer the observer
     * @throws NullPointerException if {@code observer} is {@code null}
     * @throws UnsupportedOperationException if this lock comes from {@link RedisLocks}, whose locks all report to
     *         the factory's observer ({@link RedisLocks#setObserver})
     */
    public void setObserver(LockObserver observer) {
        Objects.requireNonNull(observer, "observer must not be null");
        if (this.shared != null) {
            throw new UnsupportedOperationException(this + " comes from RedisLocks, whose locks all report to the "
                    + "factory's observer: set it with RedisLocks.setObserver");
        }
        this.observer = observer;
    }

    /**
     * Records a new acquisition as this instance's current one.
     */
    RedisPermit hold(LockToken token, long fencingToken, Thread owner, long sentNanos, LockWait wait) {
        RedisPermit permit = new RedisPermit(this, token, fencingToken, owner, wait);
        this.current.set(permit);
        permit.startLease(sentNanos);
        return permit;
    }

    /**
     * Runs a completion on the lock's executor, or at once if the executor refuses it.
     */
    void completeOn(Runnable completion) {
        try {
            this.executor.execute(completion);
        }
        catch (RejectedExecutionException ex) {
            completion.run();
        }
    }

    /**
     * Releases a permit already marked released, synchronously.
     */
    void releaseMarked(RedisPermit permit) {
        endHold(permit);
        RedisLockClient redis = client();
        long released;
        try {
            released = redis.await(releaseOrPass(redis, permit.token()));
        }
        catch (DataAccessException ex) {
            throw releaseFailed(ex);
        }
        if (released == 0) {
            throw notOwned();
        }
    }

    /**
     * Ends a permit's acquisition here, before the release goes to Redis: it is no longer the current one, its hold
     * is observed and its use of the name ends.
     */
    private void endHold(RedisPermit permit) {
        this.current.compareAndSet(permit, null);
        permit.stopHold();
        detach();
    }

    /**
     * Releases a token: on a standalone Redis with a waiter of this process at the head of the key's queue, hands
     * the lock to that waiter in the same script (unless another process listens for releases, which then frees
     * the key instead); otherwise frees the key and wakes the waiters. Completes with 0 if the key no longer held
     * the token, else with a non-zero number.
     * <p>
     * Exclusion holds through a pass: the script replaces the releaser's token with the waiter's only while the key
     * still holds the releaser's, and the waiter, taken out of the queue beforehand, is granted by nobody else; a
     * waiter that stopped waiting meanwhile gives the token it was passed straight back.
     */
    private CompletableFuture<Long> releaseOrPass(RedisLockClient redis, LockToken token) {
        RedisLockWaiters local = redis.isCluster() ? null : redis.waitersIfPresent(this.key);
        Acquisition next = (local != null) ? local.takeForPass() : null;
        if (next == null) {
            return redis.release(this.keyBytes, this.fenceKeyBytes, token.bytes());
        }
        // the pass is a try of the waiter's, with a token of its own: undoing a pass that failed cannot touch a
        // later try of the same waiter
        LockToken passed = LockToken.next();
        long sent = System.nanoTime();
        CompletableFuture<Long> pass;
        try {
            pass = redis.pass(this.keyBytes, this.fenceKeyBytes, token.bytes(), passed.bytes(),
                    next.lock().timeoutMillis(), next.lock().fenceMillis());
        }
        catch (RuntimeException ex) {
            local.afterPass(next, false);
            throw ex;
        }
        // the bookkeeping hangs on the command's own future, so that a caller who stops waiting cannot skip it
        CompletableFuture<Long> result = new CompletableFuture<>();
        pass.whenComplete((reply, failure) -> {
            if (failure != null) {
                // the pass may have reached Redis: free the key if it holds the pass's token, then let the waiter try
                next.lock().releaseQuietly(passed);
                local.afterPass(next, false);
                result.completeExceptionally(failure);
            }
            else if (reply > 0) {
                local.afterPass(next, true);
                next.granted(passed, reply, sent);
                result.complete(reply);
            }
            else {
                local.afterPass(next, false);
                result.complete(reply);
            }
        });
        return result;
    }

    /**
     * Redis's failure ("Redis command timed out", caused by Lettuce's "EVALSHA. Command timed out after 500
     * millisecond(s)") says neither which lock nor what became of it: say both, keeping the translated exception's
     * type so that callers catching it still do.
     */
    private DataAccessException releaseFailed(DataAccessException failure) {
        String message = "Cannot release " + this + ": " + failure.getMessage() + "; if the release did not reach "
                + "Redis, the key frees itself within the lock's timeout (" + this.settings.timeout() + ")";
        if (failure instanceof QueryTimeoutException) {
            return new QueryTimeoutException(message, failure);
        }
        if (failure instanceof RedisConnectionFailureException) {
            return new RedisConnectionFailureException(message, failure);
        }
        return new RedisSystemException(message, failure);
    }

    /**
     * Releases a permit without blocking; completes exceptionally with {@link LockNotOwnedException} if it was
     * lost, and at once if it was released already.
     */
    CompletableFuture<Void> releaseAsync(RedisPermit permit) {
        if (!permit.markReleased()) {
            return CompletableFuture.completedFuture(null);
        }
        endHold(permit);
        try {
            return releaseOrPass(client(), permit.token()).thenApply((released) -> {
                if (released == 0) {
                    throw notOwned();
                }
                return null;
            });
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    /**
     * Gives back a permit nobody will use (its acquisition was cancelled after the grant).
     */
    void releaseQuietly(RedisPermit permit) {
        releaseAsync(permit);
    }

    /**
     * Gives back a token whose {@code SET} succeeded after its acquisition ended.
     */
    void releaseQuietly(LockToken token) {
        try {
            releaseOrPass(client(), token);
        }
        catch (RuntimeException ex) {
            // the key expires after timeout anyway
        }
    }

    private LockNotOwnedException notOwned() {
        return new LockNotOwnedException(
                "Cannot release " + this + ": the key expired and is gone or held by someone else (left untouched)");
    }

    /**
     * Names the hash that keeps a lock's last fencing token, its last released tokens and its waiting clients: the
     * lock key followed by {@code ":fence"} (so that ACL key patterns that allow the lock key's prefix allow it too),
     * in the lock key's cluster slot, so that one script may touch both. A key with a hash tag keeps it; any other
     * key gets itself as the fence key's hash tag; a key that cannot be a tag (it holds braces) gets the first numbered
     * suffix that lands in its slot.
     */
    static String fenceKey(String key) {
        int open = key.indexOf('{');
        int close = (open >= 0) ? key.indexOf('}', open + 1) : -1;
        if (close > open + 1) {
            return key + ":fence";
        }
        int slot = SlotHash.getSlot(key);
        String tagged = key + ":fence{" + key + "}";
        if (SlotHash.getSlot(tagged) == slot) {
            return tagged;
        }
        int suffix = 0;
        while (SlotHash.getSlot(key + ":fence:" + suffix) != slot) {
            suffix++;
        }
        return key + ":fence:" + suffix;
    }

    static LettuceConnectionFactory requireLettuce(RedisConnectionFactory factory) {
        Objects.requireNonNull(factory, "factory");
        if (factory instanceof LettuceConnectionFactory lettuce) {
            return lettuce;
        }
        throw new IllegalArgumentException("RedisLock needs a LettuceConnectionFactory (for asynchronous commands "
                + "and pub/sub), got " + factory.getClass().getName());
    }

    static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, got '" + name + "'");
        }
        return name;
    }

    /**
     * Builds a {@link RedisLock}. Each setting may be set once; a value set twice is refused, as is a value out of
     * range, with a message that names the setting and the value.
     */
    public static final class Builder {

        private final LettuceConnectionFactory factory;

        private final String name;

        private @Nullable Duration sleep;

        private @Nullable Duration timeout;

        private @Nullable Duration blockingTimeout;

        private @Nullable Boolean threadLocal;

        private @Nullable String keyPrefix;

        private @Nullable Boolean leaseRenewal;

        private @Nullable LockObserver observer;

        private @Nullable Executor executor;

        private @Nullable LocksInUse<RedisLock> shared;

        private RedisLockSettings defaults = RedisLockSettings.defaults();

        private Executor defaultExecutor = ForkJoinPool.commonPool();

        private boolean defaultsSet;

        private Builder(LettuceConnectionFactory factory, String name) {
            this.factory = factory;
            this.name = name;
        }

        /**
         * Returns the name of the lock being built, e.g. for a customizer that treats some locks differently.
         *
         * @return the lock's name
         */
        public String name() {
            return this.name;
        }

        /**
         * Sets how long a waiter waits between two tries when no release notification wakes it earlier; a lost
         * notification delays a waiter by at most this much. Default: 20 ms. Must not exceed {@code timeout}.
         *
         * @param sleep the retry interval (at least 1 ms)
         * @return this builder
         * @throws NullPointerException if {@code sleep} is {@code null}
         * @throws IllegalArgumentException if {@code sleep} is shorter than 1 ms
         * @throws IllegalStateException if the sleep was already set
         */
        public Builder sleep(Duration sleep) {
            requireUnset("sleep", this.sleep);
            this.sleep = RedisLockSettings.requireAtLeastOneMilli("sleep", sleep);
            return this;
        }

        /**
         * Sets the lifetime of the lock key: a holder that dies without releasing blocks the others for at most
         * this long, and a holder that works longer loses the lock unless it calls {@link RedisLock#extend}.
         * Default: 5 s.
         *
         * @param timeout the key's lifetime (at least 1 ms)
         * @return this builder
         * @throws NullPointerException if {@code timeout} is {@code null}
         * @throws IllegalArgumentException if {@code timeout} is shorter than 1 ms
         * @throws IllegalStateException if the timeout was already set
         */
        public Builder timeout(Duration timeout) {
            requireUnset("timeout", this.timeout);
            this.timeout = RedisLockSettings.requireAtLeastOneMilli("timeout", timeout);
            return this;
        }

        /**
         * Sets how long {@link RedisLock#acquire()} waits for the lock before its future fails with
         * {@link LockTimeoutException}. Default: 10 s. Zero makes {@code acquire()} try once.
         *
         * @param blockingTimeout the longest wait (zero or more)
         * @return this builder
         * @throws NullPointerException if {@code blockingTimeout} is {@code null}
         * @throws IllegalArgumentException if {@code blockingTimeout} is negative
         * @throws IllegalStateException if the blocking timeout was already set
         */
        public Builder blockingTimeout(Duration blockingTimeout) {
            requireUnset("blockingTimeout", this.blockingTimeout);
            this.blockingTimeout = RedisLockSettings.requireNotNegative("blockingTimeout", blockingTimeout);
            return this;
        }

        /**
         * Sets whether an acquisition belongs to the thread that called {@code acquire()}: if so,
         * {@link RedisLock#release()} and {@link RedisLock#extend} from another thread fail with
         * {@link LockNotOwnedException}; if not, any thread may release the current acquisition. A {@link Permit}
         * releases its own acquisition from any thread either way. Default: {@code false}.
         *
         * @param threadLocal whether acquisitions are thread-local
         * @return this builder
         * @throws IllegalStateException if thread-locality was already set
         */
        public Builder threadLocal(boolean threadLocal) {
            requireUnset("threadLocal", this.threadLocal);
            this.threadLocal = threadLocal;
            return this;
        }

        /**
         * Sets the text put before the lock name to form the Redis key, e.g. to keep locks apart from other data.
         * Default: {@code "quiver:lock:"}.
         *
         * @param keyPrefix the key prefix (may be empty)
         * @return this builder
         * @throws NullPointerException if {@code keyPrefix} is {@code null}
         * @throws IllegalStateException if the key prefix was already set
         */
        public Builder keyPrefix(String keyPrefix) {
            requireUnset("keyPrefix", this.keyPrefix);
            this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /**
         * Sets whether a held acquisition keeps its key alive: while it is held, its key is renewed to the full
         * {@code timeout} every third of the timeout, until release, so that work may take longer than
         * {@code timeout}. A holder that dies stops renewing, so {@code timeout} stays the time in which a crashed
         * holder's lock frees itself. A renewal that finds the key gone or held by another token, or that keeps
         * failing until the lease runs out, completes the permit's {@link Permit#lost()}. Renewals run on a timer and
         * cost no round trip to acquiring or releasing. Default: {@code false}.
         *
         * @param leaseRenewal whether held acquisitions renew their key until release
         * @return this builder
         * @throws IllegalStateException if lease renewal was already set
         */
        public Builder leaseRenewal(boolean leaseRenewal) {
            requireUnset("leaseRenewal", this.leaseRenewal);
            this.leaseRenewal = leaseRenewal;
            return this;
        }

        /**
         * Sets the observer told how long callers waited and held the lock, e.g. to record metrics. Default:
         * {@link LockObserver#none()}.
         *
         * @param observer the observer
         * @return this builder
         * @throws NullPointerException if {@code observer} is {@code null}
         * @throws IllegalStateException if the observer was already set
         */
        public Builder observer(LockObserver observer) {
            requireUnset("observer", this.observer);
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * Sets the executor on which the lock's futures complete, and so where their dependent stages run unless
         * those name their own. Default: the executor given to {@link #defaults}, else
         * {@link ForkJoinPool#commonPool()}. An executor that runs tasks in the
         * calling thread saves a thread hand-off per acquisition, but then dependent stages run on Redis I/O
         * threads and must never block (no synchronous {@code release()} or {@code Permit.close()} there).
         *
         * @param executor the executor
         * @return this builder
         * @throws NullPointerException if {@code executor} is {@code null}
         * @throws IllegalStateException if the executor was already set
         */
        public Builder executor(Executor executor) {
            requireUnset("executor", this.executor);
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets what the settings not set on this builder fall back to, in place of the built-in defaults: how an
         * application's configured defaults reach a lock while leaving every setting open to be set once more, e.g.
         * by a customizer.
         *
         * @param settings the settings a lock gets for those not set on this builder
         * @param executor the executor a lock gets unless {@link #executor(Executor)} is called
         * @return this builder
         * @throws NullPointerException if an argument is {@code null}
         * @throws IllegalStateException if the defaults were already set
         */
        public Builder defaults(RedisLockSettings settings, Executor executor) {
            if (this.defaultsSet) {
                throw new IllegalStateException("defaults were already set to " + this.defaults);
            }
            this.defaults = Objects.requireNonNull(settings, "settings");
            this.defaultExecutor = Objects.requireNonNull(executor, "executor");
            this.defaultsSet = true;
            return this;
        }

        /**
         * Makes the lock one of a {@link RedisLocks} factory's, which a use of its name attaches to.
         */
        Builder shared(LocksInUse<RedisLock> locksInUse) {
            this.shared = locksInUse;
            return this;
        }

        /**
         * Builds the lock. No connection is opened until the lock is first used.
         *
         * @return the lock
         * @throws IllegalArgumentException if {@code sleep} is longer than {@code timeout}
         */
        public RedisLock build() {
            RedisLockSettings defaults = this.defaults;
            RedisLockSettings settings = new RedisLockSettings(
                    (this.sleep != null) ? this.sleep : defaults.sleep(),
                    (this.timeout != null) ? this.timeout : defaults.timeout(),
                    (this.blockingTimeout != null) ? this.blockingTimeout : defaults.blockingTimeout(),
                    (this.threadLocal != null) ? this.threadLocal : defaults.threadLocal(),
                    (this.keyPrefix != null) ? this.keyPrefix : defaults.keyPrefix(),
                    (this.leaseRenewal != null) ? this.leaseRenewal : defaults.leaseRenewal());
            return new RedisLock(this.factory, this.name, settings,
                    (this.observer != null) ? this.observer : LockObserver.none(),
                    (this.executor != null) ? this.executor : this.defaultExecutor, this.shared);
        }

        private static void requireUnset(String setting, @Nullable Object value) {
            if (value != null) {
                throw new IllegalStateException(setting + " was already set to " + value);
            }
        }
    }
}
