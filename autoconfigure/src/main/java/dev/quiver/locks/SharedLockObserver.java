package dev.quiver.locks;

import java.util.Objects;

/**
 * The observer a lock factory gives every lock it hands out, at construction: it passes each call on to the
 * observer set last on the factory, so that locks made before and after a change report to the same place.
 */
final class SharedLockObserver implements LockObserver {

    private volatile LockObserver target;

    SharedLockObserver(LockObserver target) {
        this.target = Objects.requireNonNull(target, "observer must not be null");
    }

    void set(LockObserver target) {
        this.target = Objects.requireNonNull(target, "observer must not be null");
    }

    @Override
    public LockWait startWait() {
        return this.target.startWait();
    }

    @Override
    public void waited(WaitOutcome outcome, long waitNanos) {
        this.target.waited(outcome, waitNanos);
    }

    @Override
    public void held(long heldNanos) {
        this.target.held(heldNanos);
    }
}
