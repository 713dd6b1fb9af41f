package dev.quiver.locks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The future of one {@link RedisLock} acquisition. It completes on the lock's executor, so that dependent stages
 * never run on a Redis I/O thread; but a caller that blocks in {@link #join()} or {@link #get()} runs no code on the
 * I/O thread either way, so it is woken as soon as the outcome is decided, on whatever thread decided it, and
 * completes this future itself. That saves a blocked caller the wait for an executor thread (a thread hand-off on
 * every acquisition, which costs tens of microseconds on a busy machine). While such a caller waits, a grant needs
 * no executor task at all ({@link #decide(Permit)}): the caller completes the future, and gives the permit back if
 * the future was cancelled in between.
 */
final class AcquireFuture extends CompletableFuture<Permit> {

    /** Set in {@link #joiners} once a grant is decided. */
    private static final int GRANTED = 1 << 30;

    /** The outcome, completed by whichever thread decides it; mirrors any completion of this future. */
    private final CompletableFuture<Permit> decided = new CompletableFuture<>();

    /**
     * How many callers wait in {@code join()} or {@code get()} for the decision, plus {@link #GRANTED} once a grant
     * is decided: one atomic word, so that a grant knows which callers it finds waiting, and each of them knows.
     */
    private final AtomicInteger joiners = new AtomicInteger();

    /** Gives back a granted permit that this future could not hand out (it was cancelled first). */
    private final Consumer<Permit> giveBack;

    AcquireFuture(Consumer<Permit> giveBack) {
        this.giveBack = giveBack;
        whenComplete(this::mirror);
    }

    /**
     * The acquisition was granted: wakes blocked callers. Call once.
     *
     * @return {@code false} if the executor must complete this future with {@link #hand(Permit)}; {@code true} if
     *         that is taken care of: a caller was waiting in {@code join()} or {@code get()} and completes it as it
     *         stops waiting (giving the permit back if the future was cancelled first), or the future was cancelled
     *         already and the permit is given back
     */
    boolean decide(Permit permit) {
        int before = this.joiners.getAndAdd(GRANTED);
        if (!this.decided.complete(permit)) {
            // cancelled since the acquisition was granted: nobody gets this permit
            this.giveBack.accept(permit);
            return true;
        }
        return (before & ~GRANTED) > 0;
    }

    /**
     * The acquisition failed: wakes blocked callers; the executor completes this future for the others.
     */
    void decideFailure(Throwable failure) {
        this.decided.completeExceptionally(failure);
    }

    /**
     * Completes this future with a granted permit, or gives the permit back if this future was cancelled first.
     */
    void hand(Permit permit) {
        if (!complete(permit) && !handedOut(permit)) {
            this.giveBack.accept(permit);
        }
    }

    /**
     * Tells whether this future completed with {@code permit} (and so its caller got it).
     */
    private boolean handedOut(Permit permit) {
        return isDone() && !isCompletedExceptionally() && super.join() == permit;
    }

    @Override
    public Permit join() {
        if (!isDone()) {
            this.joiners.incrementAndGet();
            try {
                decision().join();
            }
            finally {
                leave();
            }
        }
        return super.join();
    }

    @Override
    public Permit get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            this.joiners.incrementAndGet();
            try {
                decision().get();
            }
            finally {
                leave();
            }
        }
        return super.get();
    }

    @Override
    public Permit get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!isDone()) {
            this.joiners.incrementAndGet();
            try {
                decision().get(timeout, unit);
            }
            finally {
                leave();
            }
        }
        return super.get(timeout, unit);
    }

    /**
     * Stops waiting (decided, interrupted or timed out) and adopts the decision if there is one: a grant that found
     * this caller waiting left the completion to it.
     */
    private void leave() {
        int after = this.joiners.decrementAndGet();
        if ((after & GRANTED) != 0 || this.decided.isDone()) {
            adoptDecision();
        }
    }

    /** Completes, normally, once the outcome is decided; waiting on it runs nothing on the deciding thread. */
    private CompletableFuture<@Nullable Void> decision() {
        return this.decided.handle((permit, failure) -> null);
    }

    /**
     * Completes this future with the decided outcome, on the calling thread: the outcome is decided, or a grant is
     * between counting the waiting callers and completing the decision, which this waits out, so that completing this
     * future never runs a dependent stage on the granting thread.
     */
    private void adoptDecision() {
        decision().join();
        this.decided.whenComplete((permit, failure) -> {
            if (failure != null) {
                completeExceptionally(unwrap(failure));
            }
            else {
                hand(permit);
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
