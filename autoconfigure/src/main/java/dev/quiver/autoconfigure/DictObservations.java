package dev.quiver.autoconfigure;

import java.util.function.Supplier;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import dev.quiver.dicts.DictObserver;

/**
 * Observes one dict's batch calls as the Micrometer observation {@code quiver.dict.batch}, with the low-cardinality
 * key values {@code dict} and {@code operation} ({@code mget}, {@code mset} or {@code execute}): the batch is current
 * while its Redis commands are sent, so a tracing application sees them as its children, and Spring Boot's meter
 * handler times it. Reads and writes are counted by the observer it is given (the dict's meters).
 */
public final class DictObservations implements DictObserver {

    /** The observation of a batch call. */
    public static final String BATCH = "quiver.dict.batch";

    private final ObservationRegistry registry;

    private final KeyValue dict;

    private final DictObserver counts;

    /**
     * Creates the observer of one dict.
     *
     * @param registry where the observations go
     * @param dictName the value of the {@code dict} key: the dict's bean name
     * @param counts counts the dict's reads and writes
     */
    public DictObservations(ObservationRegistry registry, String dictName, DictObserver counts) {
        this.registry = registry;
        this.dict = KeyValue.of("dict", dictName);
        this.counts = counts;
    }

    @Override
    public void recordHits(int count) {
        this.counts.recordHits(count);
    }

    @Override
    public void recordDefaults(int count) {
        this.counts.recordDefaults(count);
    }

    @Override
    public void recordSets(int count) {
        this.counts.recordSets(count);
    }

    @Override
    public <T> T observeBatch(String operation, Supplier<T> batch) {
        return Observation.createNotStarted(BATCH, this.registry)
            .contextualName("dict " + operation)
            .lowCardinalityKeyValue(this.dict)
            .lowCardinalityKeyValue("operation", operation)
            .observe(batch);
    }
}
