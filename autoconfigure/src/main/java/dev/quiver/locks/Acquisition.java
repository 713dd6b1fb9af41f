package dev.quiver.locks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * One call of {@link RedisLock#acquire(Duration)}: its future, its blocking timeout, and the single decision of how it
 * ends. Whichever comes first of being granted the lock, timing out, being cancelled or failing wins; a grant that
 * loses (its try succeeded after the wait ended) releases the try's token at once, so a withdrawn acquisition never
 * holds the lock. Every try (the first, each one of the queue's head, a pass) carries a token of its own, so that
 * undoing one try that may have run late can never free the lock taken by a later one.
 */
final class Acquisition {

    /** Numbers the acquisitions of this JVM in the order they began, which is the order they queue in. */
    private static final AtomicLong ARRIVALS = new AtomicLong();

    private final long arrival = ARRIVALS.incrementAndGet();

    private final RedisLock lock;

    private final Thread thread = Thread.currentThread();

    private final Duration blockingTimeout;

    /** The observer's view of this wait, started on the thread that called {@code acquire()}. */
    private final LockWait wait;

    private final AcquireFuture future;

    private final AtomicBoolean finished = new AtomicBoolean();

    private volatile LockTimer.@Nullable Timeout deadline;

    private volatile @Nullable Throwable lastFailure;

    private volatile @Nullable RedisLockWaiters waiters;

    Acquisition(RedisLock lock, Duration blockingTimeout) {
        this.lock = lock;
        this.blockingTimeout = blockingTimeout;
        this.wait = lock.observer().startWait();
        this.future = new AcquireFuture((permit) -> lock.releaseQuietly((RedisPermit) permit));
    }

    RedisLock lock() {
        return this.lock;
    }

    /**
     * Returns this acquisition's place in the order acquisitions of this JVM began: a waiter whose first try came
     * back late still queues ahead of those that began after it.
     */
    long arrival() {
        return this.arrival;
    }

    boolean isFinished() {
        return this.finished.get();
    }

    /**
     * Makes this wait current on the calling thread while a try of it is sent, so that the try's commands count as
     * part of the wait.
     */
    LockWait.Scope openScope() {
        return this.wait.openScope();
    }

    /**
     * Starts the acquisition: one {@code SET NX PX} at once unless this JVM already has waiters for the key, then
     * waiting in the key's queue.
     */
    CompletableFuture<Permit> start() {
        this.future.whenComplete(this::onCompletion);
        RedisLockClient client;
        try {
            client = this.lock.client();
        }
        catch (RuntimeException ex) {
            fail(ex);
            return this.future;
        }
        if (!this.blockingTimeout.isZero()) {
            this.deadline = LockTimer.schedule(this::timeOut, this.blockingTimeout.toNanos());
        }
        RedisLockWaiters queued = client.waitersIfPresent(this.lock.key());
        if (queued != null && queued.hasWaiters() && !this.blockingTimeout.isZero()) {
            enqueue(client, -1);
            return this.future;
        }
        long wakeupsBefore = (queued != null) ? queued.wakeups() : -1;
        LockToken token = LockToken.next();
        long sent = System.nanoTime();
        CompletableFuture<Long> tried;
        try (LockWait.Scope scope = openScope()) {
            tried = client.acquire(this.lock.keyBytes(), this.lock.fenceKeyBytes(), token.bytes(),
                    this.lock.timeoutMillis(), this.lock.fenceMillis(), this.lock.waitMillis());
        }
        tried.whenComplete((fence, failure) -> afterFirstTry(client, queued, wakeupsBefore, token, sent, fence,
                failure));
        return this.future;
    }

    private void afterFirstTry(RedisLockClient client, @Nullable RedisLockWaiters queued, long wakeupsBefore,
            LockToken token, long sent, @Nullable Long fence, @Nullable Throwable failure) {
        if (failure == null && fence != null && fence > 0) {
            granted(token, fence, sent);
        }
        else if (isFinished()) {
            return;
        }
        else if (failure != null && (this.blockingTimeout.isZero() || !RedisLockClient.isTransient(failure))) {
            fail(RedisLockScripts.unwrap(failure));
        }
        else if (this.blockingTimeout.isZero()) {
            timeOut();
        }
        else {
            if (failure != null) {
                retriedAfter(failure);
            }
            RedisLockWaiters current = client.waiters(this.lock.key());
            enqueue(client, (current == queued) ? wakeupsBefore : -1);
        }
    }

    private void enqueue(RedisLockClient client, long wakeupsBefore) {
        long known = wakeupsBefore;
        while (!client.waiters(this.lock.key()).enqueue(this, known)) {
            // those waiters closed in between: queue with the key's new ones, whose wake-ups we have not seen
            known = -1;
        }
    }

    void queuedIn(RedisLockWaiters lockWaiters) {
        this.waiters = lockWaiters;
    }

    /**
     * A try of this acquisition, sent at {@code sentNanos}, took the lock with {@code token}: hand out the permit, or
     * give the lock back if the wait already ended.
     */
    void granted(LockToken token, long fencingToken, long sentNanos) {
        if (!this.finished.compareAndSet(false, true)) {
            this.lock.releaseQuietly(token);
            return;
        }
        cancelDeadline();
        RedisPermit permit = this.lock.hold(token, fencingToken, this.thread, sentNanos, this.wait);
        this.wait.stop(LockObserver.WaitOutcome.ACQUIRED, null);
        if (!this.future.decide(permit)) {
            // nobody waits in join() to complete the future: the executor does (a cancel in between gives it back)
            completeOn(() -> this.future.hand(permit));
        }
    }

    /**
     * A try failed for a reason that may pass; the blocking timeout reports it as the cause if it comes to that.
     */
    void retriedAfter(Throwable failure) {
        this.lastFailure = RedisLockScripts.unwrap(failure);
    }

    /**
     * The acquisition failed for good.
     */
    void fail(Throwable failure) {
        if (!this.finished.compareAndSet(false, true)) {
            return;
        }
        cancelDeadline();
        withdraw();
        this.wait.stop(LockObserver.WaitOutcome.ERROR, failure);
        this.future.decideFailure(failure);
        completeOn(() -> this.future.completeExceptionally(failure));
    }

    private void timeOut() {
        if (!this.finished.compareAndSet(false, true)) {
            return;
        }
        withdraw();
        LockTimeoutException timeout = new LockTimeoutException(this.lock.name(), this.blockingTimeout);
        Throwable cause = this.lastFailure;
        if (cause != null) {
            timeout.initCause(cause);
        }
        this.wait.stop(LockObserver.WaitOutcome.TIMEOUT, timeout);
        this.future.decideFailure(timeout);
        completeOn(() -> this.future.completeExceptionally(timeout));
    }

    /**
     * Completes the caller's future on the lock's executor, in the caller's context: the wait ends before that, so
     * that the caller's continuations are no part of it.
     */
    private void completeOn(Runnable completion) {
        this.lock.completeOn(() -> this.wait.runInCallerContext(completion));
    }

    private void onCompletion(@Nullable Permit permit, @Nullable Throwable failure) {
        if (this.finished.compareAndSet(false, true)) {
            // completed from outside (cancelled by the caller): stop waiting; a grant in flight gives the lock back
            cancelDeadline();
            withdraw();
            this.wait.stop(LockObserver.WaitOutcome.CANCELLED, null);
        }
    }

    /** Ends a wait that did not get the lock: leaves the key's queue, and ends the use of the lock's name. */
    private void withdraw() {
        RedisLockWaiters lockWaiters = this.waiters;
        if (lockWaiters != null) {
            lockWaiters.leave(this);
        }
        this.lock.detach();
    }

    private void cancelDeadline() {
        LockTimer.Timeout scheduled = this.deadline;
        if (scheduled != null) {
            scheduled.cancel();
        }
    }
}
