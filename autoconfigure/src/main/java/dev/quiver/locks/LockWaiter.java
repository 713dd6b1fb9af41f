package dev.quiver.locks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import dev.quiver.locks.LockObserver.WaitOutcome;
import org.jspecify.annotations.Nullable;

/**
 * One queued acquisition of a {@link SealLock}: the future handed to the caller, and the status that decides, once,
 * whether the waiter is granted the lock or abandons the wait.
 * <p>
 * The releaser ({@link #grant}), the timeout and the caller's cancellation race for the status with a single CAS
 * from {@code WAITING}: exactly one of them wins. A waiter that abandoned is skipped by the releaser, so it never
 * receives the lock; a waiter that was granted keeps it, and if the caller cancelled its future in the meantime the
 * delivery notices and passes the lock on.
 */
final class LockWaiter implements BiConsumer<Permit, Throwable> {

    private static final int WAITING = 0;

    private static final int GRANTED = 1;

    private static final int ABANDONED = 2;

    private static final VarHandle STATUS;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(LockWaiter.class, "status", int.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final SealLock lock;

    private final CompletableFuture<Permit> future = new CompletableFuture<>();

    private final @Nullable Duration blockingTimeout;

    /** Completed normally when the wait ends otherwise, which cancels the scheduled timeout. */
    private final @Nullable CompletableFuture<Void> timer;

    /** The observer's view of this wait. */
    private final LockWait wait;

    @SuppressWarnings("unused") // accessed through STATUS
    private volatile int status;

    /** The lock state this waiter's acquisition created; written by the granter before delivery. */
    private long stamp;

    // links of the LockWaiters queue, guarded by its monitor
    @Nullable LockWaiter previous;

    @Nullable LockWaiter next;

    boolean queued;

    LockWaiter(SealLock lock, @Nullable Duration blockingTimeout, LockWait wait) {
        this.lock = lock;
        this.blockingTimeout = blockingTimeout;
        this.timer = (blockingTimeout != null) ? new CompletableFuture<>() : null;
        this.wait = wait;
    }

    CompletableFuture<Permit> future() {
        return this.future;
    }

    /** Starts the observer's view of the acquisition this waiter was granted. */
    LockHold startHold() {
        return this.wait.startHold();
    }

    /** Ends the observer's view of this wait. */
    void stopWait(WaitOutcome outcome) {
        this.wait.stop(outcome, null);
    }

    /**
     * Starts watching for the caller's cancellation and, if the wait is bounded, schedules its timeout on the JDK's
     * shared delay scheduler (the one behind {@link CompletableFuture#orTimeout}); an unbounded wait schedules
     * nothing. Called once the waiter is queued; if it was granted already, both watches find the wait over.
     */
    void watch(long timeoutNanos) {
        this.future.whenComplete(this);
        CompletableFuture<Void> timeout = this.timer;
        if (timeout != null) {
            timeout.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
                    .whenComplete((ignored, failure) -> {
                        if (failure != null) {
                            onTimeout();
                        }
                    });
        }
    }

    /**
     * Wins the waiter for the releaser, which then owns the lock on the waiter's behalf until {@link #deliver()}.
     *
     * @return {@code false} if the waiter abandoned first (timed out or cancelled)
     */
    boolean grant(long grantedStamp) {
        if (!STATUS.compareAndSet(this, WAITING, GRANTED)) {
            return false;
        }
        this.stamp = grantedStamp;
        return true;
    }

    /**
     * Completes the caller's future with its permit; if the caller completed or cancelled it meanwhile, the lock
     * goes on to the next waiter instead.
     */
    void deliver() {
        CompletableFuture<Void> timeout = this.timer;
        if (timeout != null) {
            timeout.complete(null);
        }
        // the wait ends before the caller's continuations run, which are no part of it
        if (this.future.isDone()) {
            stopWait(WaitOutcome.CANCELLED);
            this.lock.releaseAcquisition(this.stamp);
            return;
        }
        stopWait(WaitOutcome.ACQUIRED);
        SealPermit permit = new SealPermit(this.lock, this.stamp);
        this.wait.runInCallerContext(() -> {
            if (!this.future.complete(permit)) {
                // the caller cancelled in between
                this.lock.releaseAcquisition(this.stamp);
            }
        });
    }

    private void onTimeout() {
        if (STATUS.compareAndSet(this, WAITING, ABANDONED)) {
            this.lock.withdraw(this, WaitOutcome.TIMEOUT);
            LockTimeoutException timeout = new LockTimeoutException(this.lock.name(),
                    Objects.requireNonNull(this.blockingTimeout));
            this.wait.runInCallerContext(() -> this.future.completeExceptionally(timeout));
        }
    }

    /** Runs when the caller's future completes, whoever completed it. */
    @Override
    public void accept(@Nullable Permit permit, @Nullable Throwable failure) {
        // our own completions change the status first, so winning it here means the caller completed the future
        if (STATUS.compareAndSet(this, WAITING, ABANDONED)) {
            CompletableFuture<Void> timeout = this.timer;
            if (timeout != null) {
                timeout.complete(null);
            }
            this.lock.withdraw(this, WaitOutcome.CANCELLED);
        }
    }
}
