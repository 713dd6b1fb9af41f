package dev.quiver.locks;

import org.jspecify.annotations.Nullable;

/**
 * The FIFO queue of a {@link SealLock}'s waiters: an intrusive doubly linked list, so adding, taking the head and
 * withdrawing a waiter from the middle (on timeout or cancellation) are all O(1) and allocate nothing.
 * <p>
 * Not thread-safe: the owning lock calls it only while holding this instance's monitor.
 */
final class LockWaiters {

    private @Nullable LockWaiter head;

    private @Nullable LockWaiter tail;

    private int size;

    void add(LockWaiter waiter) {
        LockWaiter last = this.tail;
        waiter.previous = last;
        waiter.next = null;
        waiter.queued = true;
        if (last == null) {
            this.head = waiter;
        }
        else {
            last.next = waiter;
        }
        this.tail = waiter;
        this.size++;
    }

    @Nullable LockWaiter poll() {
        LockWaiter first = this.head;
        if (first != null) {
            remove(first);
        }
        return first;
    }

    /**
     * Takes {@code waiter} out of the queue.
     *
     * @return {@code false} if it was not queued (already taken by {@link #poll()} or removed before)
     */
    boolean remove(LockWaiter waiter) {
        if (!waiter.queued) {
            return false;
        }
        LockWaiter before = waiter.previous;
        LockWaiter after = waiter.next;
        if (before == null) {
            this.head = after;
        }
        else {
            before.next = after;
        }
        if (after == null) {
            this.tail = before;
        }
        else {
            after.previous = before;
        }
        waiter.previous = null;
        waiter.next = null;
        waiter.queued = false;
        this.size--;
        return true;
    }

    boolean isEmpty() {
        return this.head == null;
    }

    int size() {
        return this.size;
    }
}
