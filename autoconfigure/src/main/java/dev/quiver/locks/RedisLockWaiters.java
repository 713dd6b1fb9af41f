package dev.quiver.locks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The acquisitions of one lock key that wait in this JVM, in the order they began (an acquisition whose first try
 * answers late still queues ahead of those that began after it), and the one release subscription they share.
 * <p>
 * On a standalone Redis, a release by this process hands the lock straight to the head of the queue when no other
 * process listens for releases of the key ({@link #takeForPass()}, {@code pass.lua}): one script, and the head holds
 * the lock without a {@code SET} of its own. When other processes wait, releases free the key and publish, and every
 * process's head may try, as below.
 * <p>
 * Only the head of the queue tries to take the lock: when a release notification arrives, when the subscription is
 * (re)confirmed, when the head before it leaves without the lock, and otherwise every {@code sleep} in case a
 * notification was lost. So a release costs one {@code SET} of this JVM, not one per waiter, and waiters of one JVM
 * take the lock in arrival order. The subscription is taken when the first waiter arrives and given up when the
 * queue has stayed empty for {@link #LINGER}, so that a burst of contention subscribes once.
 */
final class RedisLockWaiters {

    /** How long the subscription outlives the last waiter. */
    static final Duration LINGER = Duration.ofSeconds(1);

    private final RedisLockClient client;

    private final String key;

    private final byte[] channel;

    // all state below is guarded by this

    /** The waiting acquisitions by {@link Acquisition#arrival()}: the first entry is the head. */
    private final TreeMap<Long, Acquisition> queue = new TreeMap<>();

    /** Release notifications and subscription confirmations seen so far. */
    private long wakeups;

    private boolean subscribed;

    private boolean confirmed;

    private boolean closed;

    private boolean attempting;

    private boolean wakePending;

    /** The former head, taken out of the queue while a release of this process hands it the lock. */
    private @Nullable Acquisition passing;

    private LockTimer.@Nullable Timeout poll;

    private LockTimer.@Nullable Timeout idle;

    RedisLockWaiters(RedisLockClient client, String key) {
        this.client = client;
        this.key = key;
        // the lock key doubles as its release channel: on a cluster a script may only touch its key's slot, and a
        // shard channel named like the key hashes to that slot
        this.channel = key.getBytes(StandardCharsets.UTF_8);
    }

    String key() {
        return this.key;
    }

    byte[] channel() {
        return this.channel;
    }

    /**
     * Returns how many wake-ups happened so far; an acquisition reads it before its first try, so that a release
     * between that try and joining the queue is not missed.
     */
    synchronized long wakeups() {
        return this.wakeups;
    }

    /**
     * Tells whether acquisitions are queued, so that a newcomer should queue behind them rather than try first.
     */
    synchronized boolean hasWaiters() {
        return !this.queue.isEmpty();
    }

    /**
     * Returns how many acquisitions are queued (some may have finished and not been dropped yet).
     */
    synchronized int size() {
        return this.queue.size();
    }

    /**
     * Queues an acquisition whose first try failed.
     *
     * @param wakeupsBefore {@link #wakeups()} before the first try, or -1 if unknown
     * @return {@code false} if these waiters have closed: the caller queues with the key's new waiters instead
     */
    boolean enqueue(Acquisition acquisition, long wakeupsBefore) {
        boolean subscribe = false;
        boolean tryNow = false;
        synchronized (this) {
            if (this.closed) {
                return false;
            }
            cancelIdle();
            this.queue.put(acquisition.arrival(), acquisition);
            acquisition.queuedIn(this);
            if (!this.subscribed) {
                this.subscribed = true;
                subscribe = true;
            }
            if (head() == acquisition) {
                // with a confirmed subscription, a wake-up since the first try means the lock may be free now;
                // without one, the confirmation will wake the head
                tryNow = this.confirmed && this.wakeups != wakeupsBefore;
                if (!tryNow) {
                    schedulePoll(acquisition);
                }
            }
        }
        if (subscribe) {
            subscribe();
        }
        if (tryNow) {
            attempt();
        }
        return true;
    }

    /**
     * Removes an acquisition that gave up (timed out, cancelled or failed); if it was the head, the next one tries
     * at once, since the lock may be free.
     */
    void leave(Acquisition acquisition) {
        boolean wasHead;
        synchronized (this) {
            wasHead = head() == acquisition;
            if (!this.queue.remove(acquisition.arrival(), acquisition)) {
                return;
            }
            if (this.queue.isEmpty()) {
                cancelPoll();
                scheduleIdle();
                return;
            }
        }
        if (wasHead) {
            attempt();
        }
    }

    /**
     * A holder released the lock.
     */
    void onRelease() {
        synchronized (this) {
            this.wakeups++;
        }
        attempt();
    }

    /**
     * Lettuce confirmed a subscription again after a reconnect; notifications may have been lost meanwhile.
     */
    void onResubscribed() {
        synchronized (this) {
            if (!this.confirmed) {
                // the first confirmation is handled when the subscribe command completes
                return;
            }
            this.wakeups++;
        }
        attempt();
    }

    /**
     * The server ended the subscription (on a cluster, the key's slot moved to another node): subscribe again. Until
     * the new subscription is confirmed the head polls; the confirmation then lets it try once, in case a release
     * was published while no subscription listened.
     */
    void onSubscriptionDropped() {
        synchronized (this) {
            if (this.closed || !this.subscribed) {
                return;
            }
            this.confirmed = false;
        }
        subscribe();
    }

    /**
     * Takes the head out of the queue so that a release of this process can hand it the lock, if that may be done
     * now: the subscription is confirmed (so the pass script can tell other processes' waiters from ours by the
     * number of subscribers), no try of the head is on its way, and no other pass is.
     *
     * @return the acquisition to pass the lock to, or {@code null} to release it as usual
     */
    synchronized @Nullable Acquisition takeForPass() {
        if (this.closed || !this.confirmed || this.attempting || this.passing != null) {
            return null;
        }
        Acquisition head = firstWaiting();
        if (head == null) {
            return null;
        }
        this.queue.pollFirstEntry();
        this.passing = head;
        cancelPoll();
        return head;
    }

    /**
     * The pass of an acquisition from {@link #takeForPass()} ended. If it was passed the lock, the new head waits
     * for its release (or its poll); if not, it queues at the head again, and the head tries at once, since the lock
     * may be free.
     */
    void afterPass(Acquisition next, boolean passed) {
        boolean tryNow = false;
        synchronized (this) {
            this.passing = null;
            if (!passed && !next.isFinished()) {
                this.queue.put(next.arrival(), next);
            }
            Acquisition head = firstWaiting();
            if (head != null) {
                if (passed) {
                    schedulePoll(head);
                }
                else {
                    tryNow = true;
                }
            }
        }
        if (tryNow) {
            attempt();
        }
    }

    private void subscribe() {
        this.client.subscribe(this).whenComplete((ignored, failure) -> {
            synchronized (this) {
                if (failure != null) {
                    // the head keeps polling every sleep; the next newcomer tries to subscribe again
                    this.subscribed = false;
                    return;
                }
                this.confirmed = true;
                this.wakeups++;
            }
            attempt();
        });
    }

    /**
     * Lets the head try to take the lock, unless a try is already on its way (its outcome decides what is next).
     */
    private void attempt() {
        Acquisition head;
        long wakeupsBefore;
        boolean subscribe = false;
        synchronized (this) {
            cancelPoll();
            head = firstWaiting();
            if (head == null) {
                return;
            }
            if (!this.subscribed && !this.closed) {
                // an earlier subscribe failed (Redis was away): polling found Redis again, so try once more
                this.subscribed = true;
                subscribe = true;
            }
            if (this.attempting) {
                this.wakePending = true;
                head = null;
                wakeupsBefore = 0;
            }
            else {
                this.attempting = true;
                this.wakePending = false;
                wakeupsBefore = this.wakeups;
            }
        }
        if (subscribe) {
            subscribe();
        }
        if (head == null) {
            return;
        }
        Acquisition tried = head;
        RedisLock lock = tried.lock();
        LockToken token = LockToken.next();
        long sent = System.nanoTime();
        CompletableFuture<Long> attempt;
        try (LockWait.Scope scope = tried.openScope()) {
            attempt = this.client.acquire(this.channel, lock.fenceKeyBytes(), token.bytes(), lock.timeoutMillis(),
                    lock.fenceMillis(), lock.waitMillis());
        }
        attempt.whenComplete((fence, failure) -> afterAttempt(tried, wakeupsBefore, token, sent, fence, failure));
    }

    private void afterAttempt(Acquisition head, long wakeupsBefore, LockToken token, long sent, @Nullable Long fence,
            @Nullable Throwable failure) {
        boolean acquired = failure == null && fence != null && fence > 0;
        boolean tryAgain = false;
        boolean fail = false;
        synchronized (this) {
            this.attempting = false;
            if (acquired) {
                this.queue.remove(head.arrival(), head);
                // the lock is held now: the next head waits for its release (or its poll)
                this.wakePending = false;
                Acquisition next = firstWaiting();
                if (next != null) {
                    schedulePoll(next);
                }
                else {
                    scheduleIdle();
                }
            }
            else if (failure != null && !RedisLockClient.isTransient(failure)) {
                this.queue.remove(head.arrival(), head);
                fail = true;
                tryAgain = !this.queue.isEmpty();
                if (!tryAgain) {
                    scheduleIdle();
                }
            }
            else {
                tryAgain = this.wakePending || this.wakeups != wakeupsBefore;
                if (!tryAgain) {
                    schedulePoll(firstWaiting());
                }
            }
        }
        if (acquired) {
            head.granted(token, fence, sent);
        }
        else if (fail) {
            head.fail(RedisLockScripts.unwrap(failure));
        }
        else if (failure != null) {
            head.retriedAfter(failure);
        }
        if (tryAgain) {
            attempt();
        }
    }

    /** Drops acquisitions that finished while queued and returns the head; guarded by this. */
    private @Nullable Acquisition firstWaiting() {
        Acquisition head = head();
        while (head != null && head.isFinished()) {
            this.queue.pollFirstEntry();
            head = head();
        }
        if (head == null) {
            scheduleIdle();
        }
        return head;
    }

    /** The first acquisition of the queue, finished or not; guarded by this. */
    private @Nullable Acquisition head() {
        Map.Entry<Long, Acquisition> first = this.queue.firstEntry();
        return (first != null) ? first.getValue() : null;
    }

    private void schedulePoll(@Nullable Acquisition head) {
        if (head == null) {
            return;
        }
        cancelPoll();
        this.poll = LockTimer.schedule(this::attempt, head.lock().sleepNanos());
    }

    private void cancelPoll() {
        if (this.poll != null) {
            this.poll.cancel();
            this.poll = null;
        }
    }

    private void scheduleIdle() {
        if (this.idle == null && !this.closed) {
            this.idle = LockTimer.schedule(this::closeIfIdle, LINGER.toNanos());
        }
    }

    private void cancelIdle() {
        if (this.idle != null) {
            this.idle.cancel();
            this.idle = null;
        }
    }

    private void closeIfIdle() {
        synchronized (this) {
            this.idle = null;
            if (this.closed || !this.queue.isEmpty() || this.attempting || this.passing != null) {
                return;
            }
            this.closed = true;
            cancelPoll();
            this.subscribed = false;
        }
        this.client.remove(this);
        // a no-op if a new acquisition's waiters subscribed to the key in between: the channel is theirs now
        this.client.unsubscribe(this);
    }
}
