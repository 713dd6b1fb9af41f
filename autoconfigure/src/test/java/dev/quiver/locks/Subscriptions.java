package dev.quiver.locks;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Waits on the release subscription of a {@link RedisLock}'s waiters in this process.
 */
final class Subscriptions {

    private Subscriptions() {
    }

    /**
     * Waits until the waiters of the lock's key have their subscription confirmed (the confirmation counts as their
     * first wake-up).
     */
    static void awaitConfirmed(RedisLock lock) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            RedisLockWaiters waiters = lock.client().waitersIfPresent(lock.key());
            return waiters != null && waiters.wakeups() > 0;
        });
    }
}
