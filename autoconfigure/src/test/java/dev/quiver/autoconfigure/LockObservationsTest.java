package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;

import dev.quiver.locks.LockObserver;
import dev.quiver.locks.LockTimeoutException;
import dev.quiver.locks.Permit;
import dev.quiver.locks.SealLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LockObservations}: the observations of a lock's waits and holds, their parents, and the caller's
 * context in the continuations.
 */
class LockObservationsTest {

    private final TestObservationRegistry registry = TestObservationRegistry.create();

    private final ObservationRecorder recorder = new ObservationRecorder();

    private final ExecutorService otherThread = Executors.newSingleThreadExecutor();

    @BeforeEach
    void record() {
        this.registry.observationConfig().observationHandler(this.recorder);
        ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor("request"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        ContextRegistry.getInstance().removeThreadLocalAccessor(Slf4jThreadLocalAccessor.KEY);
        this.otherThread.shutdownNow();
        assertThat(this.otherThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aWaitIsObservedWithTheLockItsKindAndItsOutcome() {
        SealLock lock = new SealLock("rebuild", null, new LockObservations(this.registry, "sealLocks", "seal"));
        lock.acquire().join().close();
        TestObservationRegistryAssert.assertThat(this.registry)
            .hasObservationWithNameEqualTo(LockObservations.WAIT)
            .that()
            .hasBeenStarted()
            .hasBeenStopped()
            .hasLowCardinalityKeyValue("lock", "sealLocks")
            .hasLowCardinalityKeyValue("kind", "seal")
            .hasLowCardinalityKeyValue("outcome", "acquired");
        TestObservationRegistryAssert.assertThat(this.registry)
            .hasObservationWithNameEqualTo(LockObservations.HELD)
            .that()
            .hasBeenStopped()
            .hasLowCardinalityKeyValue("lock", "sealLocks")
            .hasLowCardinalityKeyValue("kind", "seal")
            .doesNotHaveLowCardinalityKeyValueWithKey("outcome");
    }

    @Test
    void waitsThatTimeOutOrAreCancelledSayHowTheyEnded() {
        SealLock lock = new SealLock("rebuild", null, new LockObservations(this.registry, "rebuild", "seal"));
        Permit held = lock.acquire().join();
        assertThatExceptionOfType(CompletionException.class)
            .isThrownBy(() -> lock.acquire(Duration.ofMillis(20)).join())
            .withCauseInstanceOf(LockTimeoutException.class);
        lock.acquire().cancel(false);
        assertThat(lock.tryAcquire()).isFalse();
        held.close();
        assertThat(this.recorder.named(LockObservations.WAIT))
            .map((context) -> context.getLowCardinalityKeyValue("outcome").getValue())
            .containsExactly("acquired", "timeout", "cancelled", "timeout");
        assertThat(this.recorder.named(LockObservations.HELD)).hasSize(1);
    }

    @Test
    void theWaitAndTheHoldAreChildrenOfTheCallersObservationEvenWhenAnotherThreadGrantsTheLock() throws Exception {
        SealLock lock = new SealLock("rebuild", null, new LockObservations(this.registry, "rebuild", "seal"));
        Permit held = lock.acquire().join();
        Observation request = Observation.start("request", this.registry);
        CompletableFuture<Permit> waiting;
        try (Observation.Scope scope = request.openScope()) {
            waiting = lock.acquire();
        }
        // the holder releases inside an observation of its own, which must not adopt the waiter's hold
        this.otherThread.submit(() -> Observation.createNotStarted("release", this.registry).observe(held::close))
            .get(10, TimeUnit.SECONDS);
        waiting.join().close();
        request.stop();
        Observation.Context requestContext = this.recorder.named("request").get(0);
        assertThat(this.recorder.childrenOf(requestContext)).map(Observation.Context::getName)
            .containsExactlyInAnyOrder(LockObservations.WAIT, LockObservations.HELD);
    }

    @Test
    void continuationsRunInTheContextOfTheCodeThatAskedForTheLock() throws Exception {
        SealLock lock = new SealLock("rebuild", null, new LockObservations(this.registry, "rebuild", "seal"));
        Permit held = lock.acquire().join();
        Observation request = Observation.start("request", this.registry);
        CompletableFuture<List<Object>> seen;
        try (Observation.Scope scope = request.openScope()) {
            MDC.put("request", "r-42");
            seen = lock.acquire().thenApply((permit) -> {
                permit.close();
                return List.of(MDC.get("request"), this.registry.getCurrentObservation());
            });
        }
        finally {
            MDC.remove("request");
        }
        this.otherThread.submit(held::close).get(10, TimeUnit.SECONDS);
        assertThat(seen.get(10, TimeUnit.SECONDS)).containsExactly("r-42", request);
        // and the releasing thread got its own context back
        assertThat(this.otherThread.submit(() -> MDC.get("request")).get(10, TimeUnit.SECONDS)).isNull();
        request.stop();
    }

    @Test
    void aRegistryWithoutHandlersMakesNoObservationAndAllocatesNoWait() {
        for (ObservationRegistry registry : List.of(ObservationRegistry.NOOP, ObservationRegistry.create())) {
            LockObservations observations = new LockObservations(registry, "rebuild", "seal");
            assertThat(observations.startWait()).isSameAs(LockObserver.none().startWait());
        }
    }
}
