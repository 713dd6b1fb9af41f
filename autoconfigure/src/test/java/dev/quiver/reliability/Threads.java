package dev.quiver.reliability;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live-thread bookkeeping for the scenarios that check nothing is left running after a fault.
 */
final class Threads {

    private Threads() {
    }

    static Set<String> liveNames() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Waits until every live thread was alive before, allowing only JVM-wide pools that grow on their own and are no
     * leak of Quiver's: the common pool's workers (which the locks' default executor uses, sized by the JVM), the
     * JDK's process reaper (which watches the redis-server processes the test restarts) and the JDK's one
     * {@code CompletableFutureDelayScheduler} (started by the first {@code orTimeout} anywhere in the JVM). Quiver's
     * own singleton, the {@code quiver-lock-timer}, was started during warm-up and so is in {@code before}. Lettuce's
     * threads of the destroyed factories take a moment to end, hence the polling; by hand, since Awaitility would add
     * a thread of its own. Returns the live thread count at the end.
     */
    static int assertNoneLeftBehind(Set<String> before) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Set<String> added;
        while (true) {
            added = liveNames();
            added.removeAll(before);
            added.removeIf((name) -> name.startsWith("ForkJoinPool.commonPool-worker")
                    || name.startsWith("process reaper")
                    || name.equals("CompletableFutureDelayScheduler"));
            if (added.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
        assertThat(added).as("threads left behind").isEmpty();
        return liveNames().size();
    }
}
