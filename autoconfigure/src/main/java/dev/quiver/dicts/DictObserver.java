package dev.quiver.dicts;

/**
 * Hears what a dict does, so that its reads and writes can be counted (the metrics binder turns these calls into
 * the {@code quiver.dict.gets} and {@code quiver.dict.sets} counters). Kept free of any metrics library.
 * <p>
 * Calls arrive on whichever thread ran the operation, possibly a Redis I/O thread, so implementations must be
 * thread-safe and quick (increment a counter, nothing more).
 */
public interface DictObserver {

    /** An observer that ignores everything; the default of every dict. */
    DictObserver NONE = new DictObserver() {

        @Override
        public void onGet(boolean hit) {
        }

        @Override
        public void onSet(int count) {
        }

    };

    /**
     * Called once per key read, whichever call read it ({@code get}, {@code aget}, {@code mget}, a GET op of
     * {@code execute}).
     *
     * @param hit {@code true} if the key held a value, {@code false} if the default supplied it
     */
    void onGet(boolean hit);

    /**
     * Called once per explicit write call ({@code set}, {@code aset}, {@code mset}, the SET ops of {@code execute});
     * values the default supplied are not counted as sets.
     *
     * @param count how many keys the call wrote
     */
    void onSet(int count);

}
