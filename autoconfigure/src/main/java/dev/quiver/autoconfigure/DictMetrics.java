package dev.quiver.autoconfigure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.quiver.dicts.DictObserver;

/**
 * Counts one dict's reads and writes into Micrometer: {@code quiver.dict.gets} (tagged {@code dict} and
 * {@code result} = {@code hit} | {@code default}) and {@code quiver.dict.sets} (tagged {@code dict}). The counters
 * are registered up front, so the dict's calls never look a meter up.
 */
public final class DictMetrics implements DictObserver {

    /** The counter of reads. */
    public static final String GETS = "quiver.dict.gets";

    /** The counter of writes. */
    public static final String SETS = "quiver.dict.sets";

    private final Counter hits;

    private final Counter defaults;

    private final Counter sets;

    /**
     * Registers the counters of one dict.
     *
     * @param registry where the counters live
     * @param dictName the value of the {@code dict} tag
     */
    public DictMetrics(MeterRegistry registry, String dictName) {
        this.hits = Counter.builder(GETS)
            .description("Reads of a Quiver dict, by whether a stored value or the default answered")
            .tags("dict", dictName, "result", "hit")
            .register(registry);
        this.defaults = Counter.builder(GETS)
            .description("Reads of a Quiver dict, by whether a stored value or the default answered")
            .tags("dict", dictName, "result", "default")
            .register(registry);
        this.sets = Counter.builder(SETS)
            .description("Writes to a Quiver dict")
            .tags("dict", dictName)
            .register(registry);
    }

    @Override
    public void recordHits(int count) {
        this.hits.increment(count);
    }

    @Override
    public void recordDefaults(int count) {
        this.defaults.increment(count);
    }

    @Override
    public void recordSets(int count) {
        this.sets.increment(count);
    }
}
