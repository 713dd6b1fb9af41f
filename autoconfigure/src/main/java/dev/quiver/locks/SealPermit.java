package dev.quiver.locks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The {@link Permit} of one {@link SealLock} acquisition. It remembers the lock state that the acquisition created,
 * so closing it releases that acquisition only: once it has been released (by this permit or by
 * {@link SealLock#release()}), closing again finds a different state and does nothing, whoever holds the lock by
 * then.
 */
final class SealPermit implements Permit {

    private static final VarHandle LOST;

    static {
        try {
            LOST = MethodHandles.lookup().findVarHandle(SealPermit.class, "lost", CompletableFuture.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final SealLock lock;

    private final long stamp;

    /**
     * Made on the first call of {@link #lost()}: cancelling a future builds a {@code CancellationException}, which
     * would cost a close whose loss nobody asked about far more than the whole lock cycle.
     */
    private volatile @Nullable CompletableFuture<Void> lost;

    SealPermit(SealLock lock, long stamp) {
        this.lock = lock;
        this.stamp = stamp;
    }

    /**
     * Returns the acquisition's generation, which every acquisition of the lock in this process increments.
     */
    @Override
    public long fencingToken() {
        return SealLock.generation(this.stamp);
    }

    /**
     * Returns a future that never completes normally: an in-process lock cannot be lost. Closing the permit cancels
     * it (asked for once the acquisition is released, it is cancelled already).
     */
    @Override
    public CompletableFuture<Void> lost() {
        CompletableFuture<Void> current = this.lost;
        if (current != null) {
            return current;
        }
        CompletableFuture<Void> made = new CompletableFuture<>();
        if (!LOST.compareAndSet(this, null, made)) {
            return this.lost;
        }
        // a close that ran meanwhile may have looked before the future was there: the released state tells (close
        // releases before it looks, this looks after the future is there, so one of the two cancels it)
        if (!this.lock.holds(this.stamp)) {
            made.cancel(false);
        }
        return made;
    }

    @Override
    public void close() {
        this.lock.releaseAcquisition(this.stamp);
        CompletableFuture<Void> asked = this.lost;
        if (asked != null) {
            asked.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "Permit of " + this.lock.name();
    }
}
