package dev.quiver.locks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.quiver.locks.LockObserver.WaitOutcome;
import org.jspecify.annotations.Nullable;

/**
 * An in-process {@link AsyncLock}: acquiring it returns a {@link CompletableFuture} and never parks a thread.
 * <p>
 * Taking a free lock and giving it back without waiters are single atomic operations. Only under contention do
 * callers pass through a short internal monitor that guards the waiter queue (it is never held while user code
 * runs); the waiting itself happens in the returned future.
 * <p>
 * Acquisitions are granted in the order they were requested: when the lock is released while others wait, it goes
 * straight to the longest waiter, and a newcomer (including {@link #tryAcquire()}) cannot take it in between. A
 * waiter whose blocking timeout passes, or whose future is cancelled, leaves the queue and never receives the lock.
 * Timeouts run on the JDK's shared delay scheduler (the daemon thread behind {@link CompletableFuture#orTimeout});
 * a wait without a timeout costs no thread at all.
 * <p>
 * The lock is not reentrant: a holder that acquires again waits for itself. Any thread may release it.
 * <p>
 * Continuations of a granted acquisition run on the thread that released the lock to it (or, for a timeout, on the
 * JDK's delay scheduler thread), in the context of the code that asked for the lock when the lock's
 * {@link LockObserver} carries one (see {@link LockWait#runInCallerContext}); hand long work to an executor with the
 * {@code *Async} methods. When a continuation itself releases the lock, the next grant is delivered after that
 * continuation returns, so long chains of waiters never deepen the stack: a continuation must therefore not block
 * waiting for a later waiter of the same lock.
 * <p>
 * Instances are thread-safe and meant to be shared: every {@link #acquire()} is its own acquisition. The locks that
 * {@link SealLocks} hands out for one name act as one lock, whichever instance a caller uses.
 */
public final class SealLock implements AsyncLock {

    // state = generation << 2 | QUEUED | HELD. Each acquisition starts a new generation, which is what a Permit
    // remembers, so a stale permit can never release a later acquisition. QUEUED is only ever set while HELD.
    private static final long HELD = 1L;

    private static final long QUEUED = 2L;

    private static final long GENERATION = 4L;

    private static final VarHandle STATE;

    private static final AtomicInteger UNNAMED_LOCKS = new AtomicInteger();

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SealLock.class, "state", long.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final String name;

    private final @Nullable Duration defaultBlockingTimeout;

    private volatile @Nullable LockObserver observer;

    /** The locks of the factory that made this one, which a use of the name attaches to; {@code null} if none. */
    private final @Nullable LocksInUse<SealLock> shared;

    /** The queue; its monitor also guards every change of the state while QUEUED is set. */
    private final LockWaiters waiters = new LockWaiters();

    private volatile long state;

    /** The observer's view of the current acquisition; maintained only for an observer. */
    private volatile @Nullable LockHold hold;

    /**
     * Creates a lock with a generated name ({@code seal-lock-1}, {@code seal-lock-2}, ...) whose {@link #acquire()}
     * waits as long as it takes.
     */
    public SealLock() {
        this("seal-lock-" + UNNAMED_LOCKS.incrementAndGet());
    }

    /**
     * Creates a named lock whose {@link #acquire()} waits as long as it takes.
     *
     * @param name the lock's name, used in messages and metrics
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public SealLock(String name) {
        this(name, null, null);
    }

    /**
     * Creates a named lock whose {@link #acquire()} waits at most {@code defaultBlockingTimeout}.
     *
     * @param name the lock's name, used in messages and metrics
     * @param defaultBlockingTimeout how long {@link #acquire()} waits; zero means it tries once, {@code null} that
     *        it waits as long as it takes
     * @throws IllegalArgumentException if {@code name} is blank or {@code defaultBlockingTimeout} is negative
     */
    public SealLock(String name, @Nullable Duration defaultBlockingTimeout) {
        this(name, defaultBlockingTimeout, null);
    }

    /**
     * Creates a named lock whose waits and holds are reported to {@code observer}.
     *
     * @param name the lock's name, used in messages and metrics
     * @param defaultBlockingTimeout how long {@link #acquire()} waits; zero means it tries once, {@code null} that
     *        it waits as long as it takes
     * @param observer receives every wait's duration and outcome and every hold's duration; {@code null} for none
     * @throws IllegalArgumentException if {@code name} is blank or {@code defaultBlockingTimeout} is negative
     */
    public SealLock(String name, @Nullable Duration defaultBlockingTimeout, @Nullable LockObserver observer) {
        this(name, defaultBlockingTimeout, observer, null);
    }

    /**
     * Creates a lock of a {@link SealLocks} factory: a use of it works on the lock of its name that is in use, if
     * there is one, so that every instance of a name coordinates as one.
     */
    SealLock(String name, @Nullable Duration defaultBlockingTimeout, @Nullable LockObserver observer,
            @Nullable LocksInUse<SealLock> shared) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (defaultBlockingTimeout != null) {
            requireNotNegative(defaultBlockingTimeout, "defaultBlockingTimeout");
        }
        this.name = name;
        this.defaultBlockingTimeout = defaultBlockingTimeout;
        this.observer = observer;
        this.shared = shared;
    }

    @Override
    public String name() {
        return this.name;
    }

    /**
     * Replaces the observer of this lock's waits and holds, e.g. to record metrics. Acquisitions under way when it
     * changes may be reported to either observer.
     *
     * @param observer the observer; {@link LockObserver#none()} to observe nothing
     * @throws NullPointerException if {@code observer} is null
     * @throws UnsupportedOperationException if this lock comes from {@link SealLocks}, whose locks all report to the
     *         factory's observer ({@link SealLocks#setObserver})
     */
    public void setObserver(LockObserver observer) {
        Objects.requireNonNull(observer, "observer must not be null");
        if (this.shared != null) {
            throw new UnsupportedOperationException("SealLock '" + this.name + "' comes from SealLocks, whose locks "
                    + "all report to the factory's observer: set it with SealLocks.setObserver");
        }
        // null keeps the release fast path free of observer calls
        this.observer = (observer == LockObserver.none()) ? null : observer;
    }

    /**
     * Returns how long {@link #acquire()} waits.
     *
     * @return the default blocking timeout, or {@code null} if {@link #acquire()} waits as long as it takes
     */
    public @Nullable Duration defaultBlockingTimeout() {
        return this.defaultBlockingTimeout;
    }

    /**
     * Acquires the lock, waiting up to the default blocking timeout given at construction, or as long as it takes
     * without one.
     *
     * @return a future that completes with the {@link Permit} once the lock is held, or exceptionally with
     *         {@link LockTimeoutException} when the default blocking timeout passes first; cancelling it withdraws
     *         the request, and a withdrawn request never receives the lock
     */
    @Override
    public CompletableFuture<Permit> acquire() {
        SealLock lock = attach();
        long stamp = lock.takeIfFree();
        if (stamp != 0L) {
            return lock.acquiredNow(stamp);
        }
        Duration timeout = this.defaultBlockingTimeout;
        return (timeout != null) ? lock.acquireSlowly(timeout, toNanosSaturated(timeout))
                : lock.acquireSlowly(null, 0L);
    }

    /**
     * Acquires the lock, waiting up to {@code blockingTimeout}.
     *
     * @param blockingTimeout how long to wait for the lock; zero means try once
     * @return a future that completes with the {@link Permit} once the lock is held, or exceptionally with
     *         {@link LockTimeoutException} when {@code blockingTimeout} passes first; cancelling it withdraws the
     *         request, and a withdrawn request never receives the lock
     * @throws IllegalArgumentException if {@code blockingTimeout} is negative
     */
    @Override
    public CompletableFuture<Permit> acquire(Duration blockingTimeout) {
        Objects.requireNonNull(blockingTimeout, "blockingTimeout");
        requireNotNegative(blockingTimeout, "blockingTimeout");
        SealLock lock = attach();
        long stamp = lock.takeIfFree();
        if (stamp != 0L) {
            return lock.acquiredNow(stamp);
        }
        return lock.acquireSlowly(blockingTimeout, toNanosSaturated(blockingTimeout));
    }

    /**
     * Takes the lock if it is free now, without waiting. It is not free while others wait for it.
     *
     * @return {@code true} if the lock is now held by the caller (release it with {@link #release()})
     */
    @Override
    public boolean tryAcquire() {
        SealLock lock = attach();
        if (lock.takeIfFree() != 0L) {
            lock.observeAcquiredNow();
            return true;
        }
        lock.observeFailedTry();
        lock.detach();
        return false;
    }

    /**
     * Releases the current acquisition, whoever made it; if others wait, the longest waiter gets the lock.
     *
     * @throws IllegalStateException if the lock is not held
     */
    @Override
    public void release() {
        SealLock lock = inUse();
        for (;;) {
            long current = (lock != null) ? lock.state : 0L;
            if (lock == null || (current & HELD) == 0) {
                throw new IllegalStateException("SealLock '" + this.name + "' is not locked, so it cannot be released");
            }
            if (lock.releaseAcquisition(current & ~QUEUED)) {
                return;
            }
        }
    }

    /**
     * Acquires the lock (waiting up to the default blocking timeout), runs {@code action}, and releases the lock when
     * the action's stage completes, whatever the outcome: also when {@code action} throws or returns {@code null}.
     * Cancelling the returned future while the lock is still awaited withdraws the acquisition; once the action runs,
     * the lock is released when its stage completes.
     *
     * @param action supplies the work to run while the lock is held
     * @param <T> the action's result type
     * @return a future that completes as the action's stage does, after the lock is released, or exceptionally with
     *         {@link LockTimeoutException} if the lock was not acquired in time
     */
    @Override
    public <T> CompletableFuture<T> withLock(Supplier<? extends CompletionStage<T>> action) {
        Objects.requireNonNull(action, "action");
        return withLock((permit) -> action.get());
    }

    /**
     * Acquires the lock, runs {@code action} with the permit (whose fencing token counts this lock's acquisitions in
     * this process), and releases the lock when the action's stage completes, whatever the outcome.
     *
     * @param action the work to run while the lock is held, given the permit
     * @param <T> the action's result type
     * @return a future that completes as the action's stage does, after the lock is released; cancelling it before
     *         the lock is acquired withdraws the request
     * @throws NullPointerException if {@code action} is {@code null}
     */
    @Override
    public <T> CompletableFuture<T> withLock(Function<? super Permit, ? extends CompletionStage<T>> action) {
        Objects.requireNonNull(action, "action");
        CompletableFuture<Permit> acquisition = acquire();
        CompletableFuture<T> result = new CompletableFuture<>();
        acquisition.whenComplete((permit, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            }
            else {
                runHolding(permit, action, result);
            }
        });
        if (!acquisition.isDone()) {
            result.whenComplete((value, failure) -> {
                if (failure instanceof CancellationException) {
                    acquisition.cancel(false);
                }
            });
        }
        return result;
    }

    private static <T> void runHolding(Permit permit, Function<? super Permit, ? extends CompletionStage<T>> action,
            CompletableFuture<T> result) {
        CompletionStage<T> stage;
        try {
            stage = Objects.requireNonNull(action.apply(permit), "action returned null instead of a CompletionStage");
        }
        catch (Throwable ex) {
            permit.close();
            result.completeExceptionally(ex);
            return;
        }
        stage.whenComplete((value, failure) -> {
            try {
                permit.close();
            }
            finally {
                if (failure != null) {
                    result.completeExceptionally(failure);
                }
                else {
                    result.complete(value);
                }
            }
        });
    }

    @Override
    public boolean isLocked() {
        SealLock lock = inUse();
        return lock != null && (lock.state & HELD) != 0;
    }

    /**
     * Returns how many acquisitions are waiting for the lock at this moment.
     *
     * @return the number of queued waiters
     */
    public int queueLength() {
        SealLock lock = inUse();
        if (lock == null) {
            return 0;
        }
        synchronized (lock.waiters) {
            return lock.waiters.size();
        }
    }

    @Override
    public String toString() {
        return "SealLock[" + this.name + (isLocked() ? ", locked, " + queueLength() + " waiting]" : ", free]");
    }

    /**
     * Returns the generation of an acquisition's stamp: 1 for the lock's first acquisition, one more for each later
     * one.
     */
    static long generation(long stamp) {
        return stamp >>> 2;
    }

    /**
     * Returns the generation of this lock's last acquisition, zero if there was none.
     */
    long lastGeneration() {
        return generation(this.state);
    }

    /**
     * Makes the next acquisition's generation greater than {@code generation}, so that fencing tokens keep growing
     * when a factory's lock for a name is made again. Only for a lock that nobody uses.
     */
    void continueAfter(long generation) {
        if (lastGeneration() < generation) {
            this.state = generation << 2;
        }
    }

    /** Counts a use of the name: returns the lock to work on, this one unless it comes from a factory. */
    private SealLock attach() {
        LocksInUse<SealLock> factoryLocks = this.shared;
        return (factoryLocks != null) ? factoryLocks.attach(this.name, this) : this;
    }

    /** Ends a use that {@link #attach()} counted, once it failed or its acquisition was released. */
    private void detach() {
        LocksInUse<SealLock> factoryLocks = this.shared;
        if (factoryLocks != null) {
            factoryLocks.detach(this.name, this);
        }
    }

    /** Returns the lock whose state is this name's now: this one, or the factory's lock in use, if any. */
    private @Nullable SealLock inUse() {
        LocksInUse<SealLock> factoryLocks = this.shared;
        return (factoryLocks != null) ? factoryLocks.inUse(this.name) : this;
    }

    /**
     * Takes the lock if it is free, with one CAS.
     *
     * @return the new acquisition's stamp, or zero if the lock is held
     */
    private long takeIfFree() {
        long current = this.state;
        // a free lock changes only by being acquired, so a failed CAS means somebody else took it
        if ((current & HELD) == 0 && STATE.compareAndSet(this, current, current + GENERATION + HELD)) {
            return current + GENERATION + HELD;
        }
        return 0L;
    }

    private CompletableFuture<Permit> acquiredNow(long stamp) {
        observeAcquiredNow();
        return CompletableFuture.completedFuture(new SealPermit(this, stamp));
    }

    private CompletableFuture<Permit> acquireSlowly(@Nullable Duration timeout, long timeoutNanos) {
        if (timeout != null && timeoutNanos == 0L) {
            long stamp = takeIfFree();
            if (stamp != 0L) {
                return acquiredNow(stamp);
            }
            observeFailedTry();
            detach();
            return CompletableFuture.failedFuture(new LockTimeoutException(this.name, timeout));
        }
        LockObserver listener = this.observer;
        LockWaiter waiter = new LockWaiter(this, timeout,
                ((listener != null) ? listener : LockObserver.none()).startWait());
        long stamp = 0L;
        synchronized (this.waiters) {
            for (;;) {
                long current = this.state;
                if ((current & HELD) == 0) {
                    // freed since the fast path looked: with nobody queued, taking it now is still first come
                    if (STATE.compareAndSet(this, current, current + GENERATION + HELD)) {
                        stamp = current + GENERATION + HELD;
                        break;
                    }
                }
                else if ((current & QUEUED) != 0 || STATE.compareAndSet(this, current, current | QUEUED)) {
                    this.waiters.add(waiter);
                    break;
                }
            }
        }
        if (stamp != 0L) {
            // the wait this waiter started ends here, at once: its observer sees one acquisition, not two
            this.hold = waiter.startHold();
            waiter.stopWait(WaitOutcome.ACQUIRED);
            return CompletableFuture.completedFuture(new SealPermit(this, stamp));
        }
        waiter.watch(timeoutNanos);
        return waiter.future();
    }

    /**
     * Releases the acquisition identified by {@code stamp}, handing the lock to the longest waiter if there is one.
     *
     * @return {@code false} if that acquisition was released already
     */
    /**
     * Whether the acquisition of the given stamp still holds the lock.
     */
    boolean holds(long stamp) {
        return (this.state & ~QUEUED) == stamp;
    }

    boolean releaseAcquisition(long stamp) {
        long current = this.state;
        if ((current & ~QUEUED) != stamp) {
            return false;
        }
        // kept this small so that it inlines into Permit.close(); waiters and observers take the longer way
        if (current == stamp && this.observer == null && STATE.compareAndSet(this, current, current & ~HELD)) {
            detach();
            return true;
        }
        return releaseAcquisitionSlowly(stamp);
    }

    private boolean releaseAcquisitionSlowly(long stamp) {
        for (;;) {
            long current = this.state;
            if ((current & ~QUEUED) != stamp) {
                return false;
            }
            LockHold held = this.hold;
            if ((current & QUEUED) == 0) {
                if (STATE.compareAndSet(this, current, current & ~HELD)) {
                    observeHeld(held);
                    detach();
                    return true;
                }
                continue; // a waiter queued up, or somebody else released it: look again
            }
            LockWaiter granted;
            synchronized (this.waiters) {
                current = this.state;
                if ((current & ~QUEUED) != stamp) {
                    return false;
                }
                if ((current & QUEUED) == 0) {
                    continue; // the last waiter withdrew meanwhile: the fast path applies again
                }
                granted = grantToNextWaiter(current);
            }
            observeHeld(held);
            detach();
            if (granted != null) {
                GrantTrampoline.deliver(granted);
            }
            return true;
        }
    }

    /** Moves the lock from the holder to the longest live waiter, or frees it if none is left. Holds the monitor. */
    private @Nullable LockWaiter grantToNextWaiter(long current) {
        long grantedStamp = (current & ~QUEUED) + GENERATION;
        for (LockWaiter waiter; (waiter = this.waiters.poll()) != null;) {
            if (waiter.grant(grantedStamp)) {
                this.hold = waiter.startHold();
                this.state = this.waiters.isEmpty() ? grantedStamp : (grantedStamp | QUEUED);
                return waiter;
            }
        }
        this.state = current & ~(QUEUED | HELD);
        return null;
    }

    /** Takes a waiter that timed out or was cancelled out of the queue. */
    void withdraw(LockWaiter waiter, WaitOutcome outcome) {
        synchronized (this.waiters) {
            if (this.waiters.remove(waiter) && this.waiters.isEmpty()) {
                long current = this.state;
                // while QUEUED is set nothing changes the state outside this monitor, so a plain write is safe
                if ((current & QUEUED) != 0) {
                    this.state = current & ~QUEUED;
                }
            }
        }
        waiter.stopWait(outcome);
        detach();
    }

    private void observeFailedTry() {
        LockObserver listener = this.observer;
        if (listener != null) {
            listener.startWait().stop(WaitOutcome.TIMEOUT, null);
        }
    }

    private void observeAcquiredNow() {
        LockObserver listener = this.observer;
        if (listener != null) {
            LockWait wait = listener.startWait();
            this.hold = wait.startHold();
            wait.stop(WaitOutcome.ACQUIRED, null);
        }
    }

    private void observeHeld(@Nullable LockHold held) {
        if (held != null && this.observer != null) {
            held.stop();
        }
    }

    private static void requireNotNegative(Duration duration, String argument) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException(argument + " must not be negative, was " + duration);
        }
    }

    private static long toNanosSaturated(Duration duration) {
        try {
            return duration.toNanos();
        }
        catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
