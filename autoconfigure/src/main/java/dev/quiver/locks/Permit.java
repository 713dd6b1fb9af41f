package dev.quiver.locks;

import java.util.concurrent.CompletableFuture;

/**
 * Proof of one acquisition of an {@link AsyncLock}; closing it releases that acquisition, so it fits
 * try-with-resources.
 */
public interface Permit extends AutoCloseable {

    /**
     * Releases the acquisition this permit stands for. The first call releases; later calls do nothing.
     */
    @Override
    void close();

    /**
     * Returns this acquisition's fencing token: a number greater than the token of every earlier acquisition of the
     * same lock, across all instances and processes. Hand it to the resource the lock guards with every write, and
     * let the resource refuse a write that carries a smaller token than one it has seen: a holder that lost the lock
     * without knowing it (paused past its lease, cut off from Redis) then cannot overwrite the work of the next one.
     * For a {@link RedisLock} the tokens keep growing across a Redis restart that lost its data (they start from Redis's
     * clock in microseconds and grow by one per acquisition, so they never run ahead of that clock); a
     * {@link SealLock} counts them in its process.
     *
     * @return the fencing token, greater than zero
     */
    long fencingToken();

    /**
     * Returns a future that completes normally as soon as this acquisition is known to no longer hold the lock: at the
     * latest when its lease ({@code timeout} from the acquisition, or from the last renewal or extension) has run
     * out, and as soon as a renewal finds the lock's key gone or holding another token. Work done under the lock can
     * stop when it fires: {@code permit.lost().thenRun(job::abort)}. Releasing the permit cancels the future, so the
     * abort never runs after a clean release. A {@link SealLock} permit is never lost.
     *
     * @return the future of the loss, cancelled at release
     */
    CompletableFuture<Void> lost();
}
