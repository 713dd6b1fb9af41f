package dev.quiver.dicts;

import java.util.function.Supplier;

/**
 * Receives counts of a dict's reads and writes, for metrics. Every method does nothing unless overridden.
 * <p>
 * A dict calls its observer on the thread that made the call, so implementations must be thread-safe, fast and
 * must not throw. A read counts as a default whenever the key was missing when read, including reads that wait for
 * a default another caller started.
 */
public interface DictObserver {

    /**
     * Returns an observer that ignores everything, the one a dict starts with.
     *
     * @return the no-op observer
     */
    static DictObserver none() {
        return NoOpDictObserver.INSTANCE;
    }

    /**
     * Records reads answered by a stored value.
     *
     * @param count the number of keys read
     */
    default void recordHits(int count) {
    }

    /**
     * Records reads of a missing key, answered by the dict's default.
     *
     * @param count the number of keys read
     */
    default void recordDefaults(int count) {
    }

    /**
     * Records writes.
     *
     * @param count the number of keys written
     */
    default void recordSets(int count) {
    }

    /**
     * Runs one batch call of the dict ({@code mget}, {@code mset} or {@code execute}) under observation, on the
     * calling thread: the store's commands for the batch are sent inside {@code batch}, so an observer that makes
     * the batch current while it runs (an observation, a span) sees them as its children. Runs the batch as it is
     * unless overridden; an override must run it exactly once and pass on its result or its exception.
     *
     * @param operation the call: {@code mget}, {@code mset} or {@code execute}
     * @param batch the call's work
     * @param <T> what the call returns
     * @return what {@code batch} returned
     */
    default <T> T observeBatch(String operation, Supplier<T> batch) {
        return batch.get();
    }
}
