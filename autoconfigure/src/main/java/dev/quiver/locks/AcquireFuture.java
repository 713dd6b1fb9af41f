package dev.quiver.locks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * The future of one {@link RedisLock} acquisition. It completes on the lock's executor, so that dependent stages
 * never run on a Redis I/O thread; but a caller that blocks in {@link #join()} or {@link #get()} runs no code on the
 * I/O thread either way, so it is woken as soon as the outcome is decided, on whatever thread decided it, and
 * completes this future itself. That saves a blocked caller the wait for an executor thread (a thread hand-off on
 * every acquisition, which costs tens of microseconds on a busy machine).
 */
final class AcquireFuture extends CompletableFuture<Permit> {

    /** The outcome, completed by whichever thread decides it; mirrors any completion of this future. */
    private final CompletableFuture<Permit> decided = new CompletableFuture<>();

    AcquireFuture() {
        whenComplete(this::mirror);
    }

    /**
     * The acquisition was granted: wakes blocked callers; the executor completes this future for the others.
     */
    void decide(Permit permit) {
        this.decided.complete(permit);
    }

    /**
     * The acquisition failed: wakes blocked callers; the executor completes this future for the others.
     */
    void decideFailure(Throwable failure) {
        this.decided.completeExceptionally(failure);
    }

    /**
     * Tells whether this future completed with {@code permit} (and so its caller got it).
     */
    boolean handedOut(Permit permit) {
        return isDone() && !isCompletedExceptionally() && super.join() == permit;
    }

    @Override
    public Permit join() {
        if (!isDone()) {
            decision().join();
            adoptDecision();
        }
        return super.join();
    }

    @Override
    public Permit get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            decision().get();
            adoptDecision();
        }
        return super.get();
    }

    @Override
    public Permit get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!isDone()) {
            decision().get(timeout, unit);
            adoptDecision();
        }
        return super.get(timeout, unit);
    }

    /** Completes, normally, once the outcome is decided; waiting on it runs nothing on the deciding thread. */
    private CompletableFuture<@Nullable Void> decision() {
        return this.decided.handle((permit, failure) -> null);
    }

    /** Completes this future with the decided outcome, on the calling thread (the outcome is decided already). */
    private void adoptDecision() {
        this.decided.whenComplete((permit, failure) -> {
            if (failure != null) {
                completeExceptionally(unwrap(failure));
            }
            else {
                complete(permit);
            }
        });
    }

    private void mirror(@Nullable Permit permit, @Nullable Throwable failure) {
        if (failure != null) {
            this.decided.completeExceptionally(failure);
        }
        else {
            this.decided.complete(permit);
        }
    }

    private static Throwable unwrap(Throwable ex) {
        if ((ex instanceof CompletionException || ex instanceof ExecutionException) && ex.getCause() != null) {
            return ex.getCause();
        }
        return ex;
    }
}
