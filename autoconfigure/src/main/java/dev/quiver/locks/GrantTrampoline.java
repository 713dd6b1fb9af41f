package dev.quiver.locks;

import java.util.ArrayDeque;

/**
 * Delivers granted acquisitions (completes their futures) without nesting deliveries on one thread's stack.
 * <p>
 * Completing a waiter's future runs its continuations right there, and a continuation that releases the lock hands
 * it to the next waiter, whose continuations release it again, and so on: delivered recursively, 10,000 queued tasks
 * would overflow the stack. Instead, a grant made while the current thread is already delivering one is queued here
 * and delivered by the outer loop once the current delivery returns. The flag is per thread, not per lock, so a
 * slow continuation on one thread never delays a grant made on another, and chains that cross several locks stay
 * flat too.
 */
final class GrantTrampoline {

    private static final ThreadLocal<GrantTrampoline> CURRENT = ThreadLocal.withInitial(GrantTrampoline::new);

    private final ArrayDeque<LockWaiter> pending = new ArrayDeque<>();

    private boolean delivering;

    private GrantTrampoline() {
    }

    /**
     * Delivers {@code granted} now, or after the delivery this thread is already running.
     */
    static void deliver(LockWaiter granted) {
        GrantTrampoline trampoline = CURRENT.get();
        trampoline.pending.add(granted);
        if (!trampoline.delivering) {
            trampoline.drain();
        }
    }

    private void drain() {
        this.delivering = true;
        RuntimeException failure = null;
        try {
            LockWaiter next;
            while ((next = this.pending.poll()) != null) {
                // every queued grant owns the lock: one failed delivery must not strand the ones behind it
                try {
                    next.deliver();
                }
                catch (RuntimeException ex) {
                    if (failure == null) {
                        failure = ex;
                    }
                    else {
                        failure.addSuppressed(ex);
                    }
                }
            }
        }
        finally {
            this.delivering = false;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
