package dev.quiver.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;

/**
 * Reads how much heap live data takes, for the tests and benchmarks that check memory stays flat.
 */
public final class Heap {

    private Heap() {
    }

    /**
     * Returns the used heap after garbage collection: the lowest of three readings, each after a full collection
     * and a pause in which concurrent collector work settles.
     *
     * @param settle the pause after each collection
     * @return the used heap, in bytes
     */
    public static long usedAfterGc(Duration settle) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Pause.millis(settle.toMillis());
            lowest = Math.min(lowest, memory.getHeapMemoryUsage().getUsed());
        }
        return lowest;
    }
}
