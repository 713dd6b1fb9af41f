package dev.quiver.objects;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * An exact counter whose increment is a plain store in the common case, for counting cache hits.
 * <p>
 * A {@link java.util.concurrent.atomic.LongAdder} pays an atomic read-modify-write per increment, which costs about as
 * much as the rest of a cache hit. Here each thread increments a cell that only it writes: the cell in the slot its
 * thread id selects, claimed by the first thread to use it and handed on when that thread has died. A single writer
 * needs no atomic instruction and loses no update. A thread whose slot belongs to another live thread counts in a
 * shared {@code LongAdder} instead, so the total stays exact whatever the number of threads.
 */
final class PerThreadCounter {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Cell[].class);

    /** Slots are claimed with compare-and-set; the fast path reads them plainly and re-checks on the slow path. */
    private final Cell[] cells;
    private final LongAdder overflow = new LongAdder();

    PerThreadCounter() {
        int slots = Integer.highestOneBit(Math.min(256, Math.max(16, 4 * Runtime.getRuntime().availableProcessors())));
        this.cells = new Cell[slots];
    }

    /** Adds one. */
    void increment() {
        Thread thread = Thread.currentThread();
        Cell[] slots = cells;
        Cell cell = slots[(int) thread.getId() & (slots.length - 1)];
        if (cell != null && cell.owner == thread) {
            cell.increment();
        } else {
            incrementSlowly(thread);
        }
    }

    /**
     * Returns the total of every increment made before this call began; increments made during the call may or may
     * not be included.
     *
     * @return the count
     */
    long sum() {
        long sum = overflow.sum();
        for (int slot = 0; slot < cells.length; slot++) {
            Cell cell = cellIn(slot);
            if (cell != null) {
                sum += cell.count();
            }
        }
        return sum;
    }

    private void incrementSlowly(Thread thread) {
        int slot = (int) thread.getId() & (cells.length - 1);
        Cell cell = cellIn(slot);
        if (cell == null) {
            Cell claimed = new Cell(thread);
            if (SLOT.compareAndSet(cells, slot, null, claimed)) {
                claimed.increment();
                return;
            }
            cell = cellIn(slot);
        }
        // a dead owner's writes happen-before isAlive() returning false, so its count carries over intact
        Thread owner = cell.owner;
        if (owner != thread && !owner.isAlive() && cell.takeOver(owner, thread)) {
            cell.increment();
            return;
        }
        if (cell.owner == thread) {
            cell.increment();
        } else {
            overflow.increment();
        }
    }

    private Cell cellIn(int slot) {
        return (Cell) SLOT.getVolatile(cells, slot);
    }

    /** Keeps a hot cell off its neighbours' cache lines (superclass fields are laid out first). */
    @SuppressWarnings("unused")
    private abstract static class PaddingBefore {
        long p01, p02, p03, p04, p05, p06, p07, p08;
    }

    private abstract static class CellFields extends PaddingBefore {

        private static final VarHandle COUNT;
        private static final VarHandle OWNER;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                COUNT = lookup.findVarHandle(CellFields.class, "count", long.class);
                OWNER = lookup.findVarHandle(CellFields.class, "owner", Thread.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Written by {@link #owner} only. */
        private volatile long count;
        volatile Thread owner;

        CellFields(Thread owner) {
            this.owner = owner;
        }

        void increment() {
            // single writer: a release store of count + 1 is an exact increment and a plain store on x86
            COUNT.setRelease(this, (long) COUNT.getOpaque(this) + 1);
        }

        long count() {
            return count;
        }

        boolean takeOver(Thread deadOwner, Thread newOwner) {
            return OWNER.compareAndSet(this, deadOwner, newOwner);
        }
    }

    @SuppressWarnings("unused")
    private static final class Cell extends CellFields {
        long p11, p12, p13, p14, p15, p16, p17, p18;

        Cell(Thread owner) {
            super(owner);
        }
    }
}
