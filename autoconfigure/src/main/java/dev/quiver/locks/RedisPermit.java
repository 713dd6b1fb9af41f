package dev.quiver.locks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * One held acquisition of a {@link RedisLock}: the token stored in the key, its fencing token, the thread that called
 * {@code acquire()}, its lease, and whether it was released already. Closing it releases exactly this acquisition,
 * once.
 * <p>
 * The lease runs from the moment the command that took the lock was sent, so it never ends later on this side than
 * the key's lifetime on Redis's: {@link #lost()} completes when it runs out, unless renewals (with
 * {@code leaseRenewal}) or {@link RedisLock#extend} pushed it back first; a renewal that finds the key gone or held
 * by another token completes it at once.
 */
final class RedisPermit implements Permit {

    private final RedisLock lock;

    private final LockToken token;

    private final long fencingToken;

    private final Thread owner;

    /** The wait that won this acquisition, whose caller's context the lock's completions run in. */
    private final LockWait wait;

    private final LockHold hold;

    private final AtomicBoolean released = new AtomicBoolean();

    /** Set once the lease is known lost (it ran out, or a renewal found the key gone or taken). */
    private volatile boolean leaseLost;

    // the lease, guarded by this

    /**
     * Made on the first call of {@link #lost()}: cancelling a future at release builds a {@code CancellationException},
     * which would cost every release whose loss nobody asked about.
     */
    private @Nullable CompletableFuture<Void> lost;

    private long leaseEndNanos;

    private LockTimer.@Nullable Timeout expiry;

    private LockTimer.@Nullable Timeout renewal;

    RedisPermit(RedisLock lock, LockToken token, long fencingToken, Thread owner, LockWait wait) {
        this.lock = lock;
        this.token = token;
        this.fencingToken = fencingToken;
        this.owner = owner;
        this.wait = wait;
        this.hold = wait.startHold();
    }

    LockToken token() {
        return this.token;
    }

    Thread owner() {
        return this.owner;
    }

    /** Ends the observer's view of this acquisition; called once, by the release that marked it released. */
    void stopHold() {
        this.hold.stop();
    }

    /** Runs a completion of the lock's in the context of the code that acquired this permit. */
    void runInCallerContext(Runnable completion) {
        this.wait.runInCallerContext(completion);
    }

    /**
     * Returns the fencing token the acquire script gave this acquisition: greater than that of every earlier
     * acquisition of the lock, and never above Redis's clock in microseconds at the acquisition (tokens start from that
     * clock and grow by one per acquisition), so that a token read from the clock after a restart lost the fence key
     * is above all of them.
     */
    @Override
    public long fencingToken() {
        return this.fencingToken;
    }

    /**
     * Returns the future that completes when this acquisition is known to have lost the lock: when its lease ran
     * out, or a renewal found the key gone or held by another token. Release cancels it.
     */
    @Override
    public CompletableFuture<Void> lost() {
        CompletableFuture<Void> made;
        boolean releasedAlready;
        boolean lostAlready;
        synchronized (this) {
            if (this.lost != null) {
                return this.lost;
            }
            made = new CompletableFuture<>();
            this.lost = made;
            // a release marks the permit before it looks for the future, under this lock: one of the two cancels it
            releasedAlready = this.released.get();
            lostAlready = this.leaseLost;
        }
        if (releasedAlready) {
            made.cancel(false);
        }
        else if (lostAlready) {
            completeLost(made);
        }
        return made;
    }

    /**
     * Starts the lease, which began when the command that took the lock was sent; with lease renewal, the first
     * renewal is due after a third of the lock's timeout.
     */
    void startLease(long sentNanos) {
        synchronized (this) {
            if (this.released.get()) {
                return;
            }
            this.leaseEndNanos = sentNanos + this.lock.timeoutNanos();
            scheduleExpiry();
            if (this.lock.settings().leaseRenewal()) {
                this.renewal = LockTimer.schedule(this::renew, this.lock.timeoutNanos() / 3);
            }
        }
    }

    /**
     * Pushes the lease's end back by {@code nanos}, after an extend that added that much to the key's lifetime.
     */
    void extendLease(long nanos) {
        synchronized (this) {
            if (this.released.get() || this.leaseLost) {
                return;
            }
            this.leaseEndNanos += nanos;
            scheduleExpiry();
        }
    }

    private void renew() {
        if (this.released.get() || this.leaseLost) {
            return;
        }
        long sent = System.nanoTime();
        CompletableFuture<Long> renewed;
        try {
            RedisLockClient redis = this.lock.client();
            renewed = redis.renew(this.lock.keyBytes(), this.lock.fenceKeyBytes(), this.token.bytes(),
                    this.lock.timeoutMillis());
        }
        catch (RuntimeException ex) {
            renewAgainSoon();
            return;
        }
        renewed.whenComplete((reply, failure) -> {
            if (failure != null) {
                // the lease may still be good: try again soon; if it runs out first, the expiry reports the loss
                renewAgainSoon();
            }
            else if (reply == 0) {
                markLost();
            }
            else {
                synchronized (this) {
                    if (this.released.get()) {
                        return;
                    }
                    this.leaseEndNanos = Math.max(this.leaseEndNanos, sent + this.lock.timeoutNanos());
                    scheduleExpiry();
                    this.renewal = LockTimer.schedule(this::renew, this.lock.timeoutNanos() / 3);
                }
            }
        });
    }

    private void renewAgainSoon() {
        synchronized (this) {
            if (!this.released.get() && !this.leaseLost) {
                this.renewal = LockTimer.schedule(this::renew,
                        Math.min(this.lock.timeoutNanos() / 10, this.lock.sleepNanos()));
            }
        }
    }

    /** Guarded by this. */
    private void scheduleExpiry() {
        if (this.expiry != null) {
            this.expiry.cancel();
        }
        this.expiry = LockTimer.schedule(this::markLost, this.leaseEndNanos - System.nanoTime());
    }

    private void markLost() {
        CompletableFuture<Void> asked;
        synchronized (this) {
            if (this.released.get() || this.leaseLost) {
                return;
            }
            this.leaseLost = true;
            if (this.renewal != null) {
                this.renewal.cancel();
            }
            asked = this.lost;
        }
        if (asked != null) {
            completeLost(asked);
        }
    }

    /** Completes the future of {@link #lost()} on the lock's executor, unless a release came first. */
    private void completeLost(CompletableFuture<Void> asked) {
        this.lock.completeOn(() -> {
            if (!this.released.get()) {
                asked.complete(null);
            }
        });
    }

    /**
     * Returns the lock that made this acquisition.
     */
    RedisLock lock() {
        return this.lock;
    }

    /**
     * Marks the permit released, stopping its lease and cancelling {@link #lost()}; only the first call returns
     * {@code true}.
     */
    boolean markReleased() {
        if (!this.released.compareAndSet(false, true)) {
            return false;
        }
        CompletableFuture<Void> asked;
        synchronized (this) {
            if (this.expiry != null) {
                this.expiry.cancel();
            }
            if (this.renewal != null) {
                this.renewal.cancel();
            }
            asked = this.lost;
        }
        if (asked != null) {
            asked.cancel(false);
        }
        return true;
    }

    /**
     * Releases this acquisition if it is not released yet; later calls do nothing. Blocks for one round trip to
     * Redis.
     *
     * @throws LockNotOwnedException if the key expired and is gone or held by someone else (left untouched)
     */
    @Override
    public void close() {
        if (markReleased()) {
            this.lock.releaseMarked(this);
        }
    }

    @Override
    public String toString() {
        return "Permit of " + this.lock + " (fencing token " + this.fencingToken + ")"
                + (this.released.get() ? " (released)" : "");
    }
}
