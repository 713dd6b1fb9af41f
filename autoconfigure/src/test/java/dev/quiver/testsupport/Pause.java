package dev.quiver.testsupport;

import java.time.Duration;

/**
 * Lets a test wait a fixed time, for the scenarios where time itself is the subject (a waiter that must still be
 * waiting, a key that must have expired); an interrupt fails the test instead of being swallowed.
 */
public final class Pause {

    private Pause() {
    }

    /**
     * Sleeps for {@code millis} milliseconds.
     *
     * @param millis how long
     */
    public static void millis(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while pausing " + millis + " ms", ex);
        }
    }

    /**
     * Sleeps for {@code duration}.
     *
     * @param duration how long
     */
    public static void of(Duration duration) {
        millis(duration.toMillis());
    }
}
