package dev.quiver.locks;

import org.jspecify.annotations.Nullable;

/**
 * The observer that records nothing; its one wait and hold serve every acquisition, so watching nothing allocates
 * nothing.
 */
enum NoOpLockObserver implements LockObserver, LockWait, LockHold {

    INSTANCE;

    @Override
    public LockWait startWait() {
        return this;
    }

    @Override
    public LockHold startHold() {
        return this;
    }

    @Override
    public void stop(WaitOutcome outcome, @Nullable Throwable failure) {
    }

    @Override
    public void stop() {
    }
}
