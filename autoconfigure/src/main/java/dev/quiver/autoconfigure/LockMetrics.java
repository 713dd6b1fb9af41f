package dev.quiver.autoconfigure;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.quiver.locks.LockObserver;

/**
 * Times one lock, or all the locks of one factory under the factory's name, into Micrometer: {@code quiver.lock.wait} (tagged {@code lock}, {@code kind} and {@code outcome} =
 * {@code acquired} | {@code timeout} | {@code cancelled} | {@code error}) and {@code quiver.lock.held} (tagged
 * {@code lock} and {@code kind}). Every timer is registered up front, so a lock's hot path never looks a meter up.
 */
public final class LockMetrics implements LockObserver {

    /** The timer of waits for a lock. */
    public static final String WAIT = "quiver.lock.wait";

    /** The timer of how long acquisitions hold a lock. */
    public static final String HELD = "quiver.lock.held";

    private final Map<WaitOutcome, Timer> waits = new EnumMap<>(WaitOutcome.class);

    private final Timer held;

    /**
     * Registers the timers of one lock, or of one lock factory.
     *
     * @param registry where the timers live
     * @param lockName the value of the {@code lock} tag: the lock's bean name, or the factory's
     * @param kind the value of the {@code kind} tag: {@code seal} or {@code redis}
     */
    public LockMetrics(MeterRegistry registry, String lockName, String kind) {
        for (WaitOutcome outcome : WaitOutcome.values()) {
            this.waits.put(outcome, Timer.builder(WAIT)
                .description("Time spent waiting for a Quiver lock, by how the wait ended")
                .tags("lock", lockName, "kind", kind, "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry));
        }
        this.held = Timer.builder(HELD)
            .description("Time a Quiver lock was held per acquisition")
            .tags("lock", lockName, "kind", kind)
            .register(registry);
    }

    @Override
    public void waited(WaitOutcome outcome, long waitNanos) {
        this.waits.get(outcome).record(waitNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void held(long heldNanos) {
        this.held.record(heldNanos, TimeUnit.NANOSECONDS);
    }
}
