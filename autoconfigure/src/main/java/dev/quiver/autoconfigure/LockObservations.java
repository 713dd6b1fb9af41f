package dev.quiver.autoconfigure;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import dev.quiver.locks.LockHold;
import dev.quiver.locks.LockObserver;
import dev.quiver.locks.LockWait;

/**
 * Reports the waits and holds of a lock (or of all the locks of a factory) as Micrometer observations:
 * {@code quiver.lock.wait}, with the low-cardinality key values {@code lock}, {@code kind} and {@code outcome}, and
 * {@code quiver.lock.held}, with {@code lock} and {@code kind}. Spring Boot's meter handler turns them into the
 * timers of those names (and {@code .active} long task timers); a tracing handler into spans, whose parent is the
 * observation current where the lock was asked for. A wait is current while the lock sends its Redis tries, so the
 * Redis client's command spans are its children; and the wait's future completes in the caller's context.
 * <p>
 * While the registry is a no-op (no handler), waits cost nothing: no observation is made.
 */
public final class LockObservations implements LockObserver {

    /** The observation of a wait for a lock. */
    public static final String WAIT = LockMetrics.WAIT;

    /** The observation of an acquisition, from hand-out to release. */
    public static final String HELD = LockMetrics.HELD;

    private final ObservationRegistry registry;

    private final KeyValue lock;

    private final KeyValue kind;

    private final Map<WaitOutcome, KeyValue> outcomes = new EnumMap<>(WaitOutcome.class);

    /**
     * Creates the observer of one lock, or of a factory's locks.
     *
     * @param registry where the observations go
     * @param lockName the value of the {@code lock} key: the bean name of the lock or of its factory
     * @param kind the value of the {@code kind} key: {@code seal} or {@code redis}
     */
    public LockObservations(ObservationRegistry registry, String lockName, String kind) {
        this.registry = registry;
        this.lock = KeyValue.of("lock", lockName);
        this.kind = KeyValue.of("kind", kind);
        for (WaitOutcome outcome : WaitOutcome.values()) {
            this.outcomes.put(outcome, KeyValue.of("outcome", outcome.name().toLowerCase(Locale.ROOT)));
        }
    }

    @Override
    public LockWait startWait() {
        if (this.registry.isNoop()) {
            return LockObserver.none().startWait();
        }
        return new ObservedWait();
    }

    private Observation observation(String name, String contextualName) {
        return Observation.createNotStarted(name, this.registry)
            .contextualName(contextualName)
            .lowCardinalityKeyValue(this.lock)
            .lowCardinalityKeyValue(this.kind);
    }

    /** One wait: an observation started on the caller's thread, and the caller's context. */
    private final class ObservedWait implements LockWait {

        private final Observation wait;

        private final @Nullable Observation parent;

        private final CallerContext caller;

        ObservedWait() {
            this.parent = LockObservations.this.registry.getCurrentObservation();
            this.caller = CallerContext.capture(this.parent);
            this.wait = observation(WAIT, "lock wait").parentObservation(this.parent).start();
        }

        @Override
        public Scope openScope() {
            Observation.Scope scope = this.wait.openScope();
            return scope::close;
        }

        @Override
        public void runInCallerContext(Runnable completion) {
            this.caller.run(completion);
        }

        @Override
        public LockHold startHold() {
            // the grant may happen on another thread, whose current observation is not the caller's
            Observation held = observation(HELD, "lock held").parentObservation(this.parent).start();
            return held::stop;
        }

        @Override
        public void stop(WaitOutcome outcome, @Nullable Throwable failure) {
            this.wait.lowCardinalityKeyValue(LockObservations.this.outcomes.get(outcome));
            if (outcome == WaitOutcome.ERROR && failure != null) {
                this.wait.error(failure);
            }
            this.wait.stop();
        }
    }
}
