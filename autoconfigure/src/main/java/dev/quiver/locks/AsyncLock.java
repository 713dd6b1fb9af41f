package dev.quiver.locks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A lock whose acquisition is awaited through a {@link CompletableFuture} instead of a parked thread.
 * <p>
 * One instance may be shared by many tasks: every {@link #acquire()} is its own acquisition, and tasks sharing an
 * instance exclude each other exactly as tasks holding different instances of the same lock do. Implementations are
 * thread-safe and not reentrant.
 */
public interface AsyncLock {

    /**
     * Returns the name of this lock.
     *
     * @return the name given at construction
     */
    String name();

    /**
     * Acquires the lock, waiting up to the lock's default blocking timeout.
     *
     * @return a future that completes with the {@link Permit} once the lock is held, or exceptionally with
     *         {@link LockTimeoutException} when the default blocking timeout passes first; cancelling it withdraws
     *         the request, and a withdrawn request never receives the lock
     */
    CompletableFuture<Permit> acquire();

    /**
     * Acquires the lock, waiting up to {@code blockingTimeout}.
     *
     * @param blockingTimeout how long to wait for the lock; zero means try once
     * @return a future that completes with the {@link Permit} once the lock is held, or exceptionally with
     *         {@link LockTimeoutException} when {@code blockingTimeout} passes first
     * @throws IllegalArgumentException if {@code blockingTimeout} is negative
     */
    CompletableFuture<Permit> acquire(Duration blockingTimeout);

    /**
     * Takes the lock if it is free now, without waiting.
     *
     * @return {@code true} if the lock is now held by the caller (release it with {@link #release()})
     */
    boolean tryAcquire();

    /**
     * Releases the lock. Synchronous and callable from any thread (subject to the implementation's ownership rules).
     *
     * @throws IllegalStateException if the lock is not held ({@link LockNotOwnedException} when it is held by
     *         someone else)
     */
    void release();

    /**
     * Acquires the lock, runs {@code action}, and releases the lock when the action's stage completes, whatever the
     * outcome.
     *
     * @param action supplies the work to run while the lock is held
     * @param <T> the action's result type
     * @return a future that completes as the action's stage does, after the lock is released
     */
    <T> CompletableFuture<T> withLock(Supplier<? extends CompletionStage<T>> action);

    /**
     * Acquires the lock, runs {@code action} with the {@link Permit}, and releases the lock when the action's stage
     * completes, whatever the outcome. The permit is there for its {@link Permit#fencingToken()} and
     * {@link Permit#lost()}; the action must not close it.
     *
     * @param action the work to run while the lock is held, given the permit
     * @param <T> the action's result type
     * @return a future that completes as the action's stage does, after the lock is released
     */
    <T> CompletableFuture<T> withLock(Function<? super Permit, ? extends CompletionStage<T>> action);

    /**
     * Tells whether the lock is held by anyone at this moment.
     *
     * @return {@code true} if the lock is held
     */
    boolean isLocked();
}
