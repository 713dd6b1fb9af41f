package dev.quiver.sample;

import java.util.concurrent.CompletableFuture;

import dev.quiver.locks.SealLock;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Index rebuilds, one at a time: a {@link SealLock} queues concurrent requests in arrival order, and a queued
 * request parks no thread while it waits.
 */
@RestController
public class IndexController {

    private final SealLock lock;

    private final IndexRebuilder rebuilder;

    /**
     * Creates the controller.
     *
     * @param lock the {@code index-rebuild} lock ({@code quiver.seal-locks.names})
     * @param rebuilder does the rebuild
     */
    public IndexController(@Qualifier("index-rebuild") SealLock lock, IndexRebuilder rebuilder) {
        this.lock = lock;
        this.rebuilder = rebuilder;
    }

    /**
     * {@code POST /index/rebuild}: rebuilds the index once the rebuilds requested before this one are done.
     *
     * @return a future of the rebuild's number, how long it queued and how long it took
     */
    @PostMapping("/index/rebuild")
    public CompletableFuture<RebuildResponse> rebuild() {
        long requested = System.nanoTime();
        return this.lock.withLock(() -> {
            long started = System.nanoTime();
            return this.rebuilder.rebuild()
                .thenApply((number) -> new RebuildResponse(number, millis(started - requested),
                        millis(System.nanoTime() - started)));
        });
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
