package dev.quiver.sample;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The search index's rebuild, simulated: it takes {@code sample.index.rebuild-time} (300 ms unless set) without
 * holding a thread, and two rebuilds running at once would corrupt the index, so it counts how many ever overlapped.
 */
@Component
public class IndexRebuilder {

    private final Executor afterRebuildTime;

    private final AtomicLong rebuilds = new AtomicLong();

    private final AtomicInteger running = new AtomicInteger();

    private final AtomicInteger mostAtOnce = new AtomicInteger();

    /**
     * Creates the rebuilder.
     *
     * @param rebuildTime how long one rebuild takes
     */
    public IndexRebuilder(@Value("${sample.index.rebuild-time:300ms}") Duration rebuildTime) {
        this.afterRebuildTime = CompletableFuture.delayedExecutor(rebuildTime.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Starts a rebuild.
     *
     * @return a future that completes with the rebuild's number (from 1) when it is done
     */
    public CompletableFuture<Long> rebuild() {
        long number = this.rebuilds.incrementAndGet();
        int now = this.running.incrementAndGet();
        this.mostAtOnce.accumulateAndGet(now, Math::max);
        return CompletableFuture.supplyAsync(() -> {
            this.running.decrementAndGet();
            return number;
        }, this.afterRebuildTime);
    }

    /**
     * Returns the most rebuilds that ever ran at the same time: 1 as long as callers serialize them.
     *
     * @return the highest overlap seen
     */
    public int mostAtOnce() {
        return this.mostAtOnce.get();
    }
}
