package dev.quiver.locks;

/**
 * One acquisition of a lock, as its {@link LockObserver} watches it, from the moment it is handed out until its
 * release.
 */
@FunctionalInterface
public interface LockHold {

    /**
     * Ends the hold: the acquisition was released (or given back unused). Called once.
     */
    void stop();
}
