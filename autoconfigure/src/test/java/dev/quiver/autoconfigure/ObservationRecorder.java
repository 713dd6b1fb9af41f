package dev.quiver.autoconfigure;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * Keeps every observation context that started, in order, so that tests can follow parents and children.
 */
final class ObservationRecorder implements ObservationHandler<Observation.Context> {

    private final Queue<Observation.Context> started = new ConcurrentLinkedQueue<>();

    @Override
    public boolean supportsContext(Observation.Context context) {
        return true;
    }

    @Override
    public void onStart(Observation.Context context) {
        this.started.add(context);
    }

    /** The started observations of that name. */
    List<Observation.Context> named(String name) {
        return this.started.stream().filter((context) -> name.equals(context.getName())).toList();
    }

    /** The started observations whose parent is the observation of {@code parent}. */
    List<Observation.Context> childrenOf(Observation.Context parent) {
        return this.started.stream()
            .filter((context) -> context.getParentObservation() != null
                    && context.getParentObservation().getContextView() == parent)
            .toList();
    }
}
