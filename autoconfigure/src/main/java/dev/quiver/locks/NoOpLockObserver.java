package dev.quiver.locks;

/**
 * The observer that records nothing.
 */
enum NoOpLockObserver implements LockObserver {

    INSTANCE;

    @Override
    public void waited(WaitOutcome outcome, long waitNanos) {
    }

    @Override
    public void held(long heldNanos) {
    }
}
