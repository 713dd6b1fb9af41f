package dev.quiver.autoconfigure;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Carries the context of the code that started a lock wait (its thread locals: the current observation, and the
 * MDC or anything else registered with Micrometer's context propagation) to the thread that completes the wait's
 * future. Without the context-propagation library on the class path, only the current observation travels.
 */
abstract sealed class CallerContext permits CallerContext.Snapshot, CallerContext.ParentObservation {

    private static final boolean CONTEXT_PROPAGATION_PRESENT = ClassUtils
        .isPresent("io.micrometer.context.ContextSnapshotFactory", CallerContext.class.getClassLoader());

    /**
     * Captures the calling thread's context.
     *
     * @param current the observation current on the calling thread, if any
     */
    static CallerContext capture(@Nullable Observation current) {
        return CONTEXT_PROPAGATION_PRESENT ? new Snapshot() : new ParentObservation(current);
    }

    /**
     * Runs {@code task} with the captured context in place on the calling thread, then puts the thread's own back.
     */
    abstract void run(Runnable task);

    /** Every thread local that context propagation knows of. */
    static final class Snapshot extends CallerContext {

        private static final ContextSnapshotFactory FACTORY = ContextSnapshotFactory.builder().build();

        private final ContextSnapshot snapshot = FACTORY.captureAll();

        @Override
        void run(Runnable task) {
            this.snapshot.wrap(task).run();
        }
    }

    /** The current observation alone. */
    static final class ParentObservation extends CallerContext {

        private final @Nullable Observation observation;

        ParentObservation(@Nullable Observation observation) {
            this.observation = observation;
        }

        @Override
        void run(Runnable task) {
            if (this.observation == null) {
                task.run();
                return;
            }
            // not Observation.scoped, which would also record a failure of the task as the caller's
            try (Observation.Scope scope = this.observation.openScope()) {
                task.run();
            }
        }
    }
}
