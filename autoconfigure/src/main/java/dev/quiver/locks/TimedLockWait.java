package dev.quiver.locks;

import dev.quiver.locks.LockObserver.WaitOutcome;
import org.jspecify.annotations.Nullable;

/**
 * The wait of an observer that only times: reports its length to {@link LockObserver#waited}, and the hold's to
 * {@link LockObserver#held}. One object serves as both, since a hold starts only after its wait won.
 */
final class TimedLockWait implements LockWait, LockHold {

    private final LockObserver observer;

    private final long startNanos = System.nanoTime();

    private volatile long heldSinceNanos;

    TimedLockWait(LockObserver observer) {
        this.observer = observer;
    }

    @Override
    public LockHold startHold() {
        this.heldSinceNanos = System.nanoTime();
        return this;
    }

    @Override
    public void stop(WaitOutcome outcome, @Nullable Throwable failure) {
        this.observer.waited(outcome, System.nanoTime() - this.startNanos);
    }

    @Override
    public void stop() {
        this.observer.held(System.nanoTime() - this.heldSinceNanos);
    }
}
