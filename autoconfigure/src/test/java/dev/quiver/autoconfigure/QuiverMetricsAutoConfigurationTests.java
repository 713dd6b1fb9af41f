package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.quiver.dicts.MultiDefaultDict;
import dev.quiver.locks.LockTimeoutException;
import dev.quiver.locks.Permit;
import dev.quiver.locks.SealLock;
import dev.quiver.locks.SealLocks;
import dev.quiver.objects.ArrowCache;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for Quiver's meters, on Micrometer's {@link SimpleMeterRegistry}.
 */
class QuiverMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, QuiverAutoConfiguration.class,
                QuiverMetricsAutoConfiguration.class))
        .withBean(SimpleMeterRegistry.class)
        .withPropertyValues("quiver.caches.names=quotes", "quiver.seal-locks.names=rebuild",
                "quiver.dicts.instances.greetings.store=local");

    @Test
    void cacheReadsAreCountedUnderMicrometersCacheConventions() {
        this.contextRunner.run((context) -> {
            @SuppressWarnings("unchecked")
            ArrowCache<String, String> quotes = context.getBean("quotes", ArrowCache.class);
            quotes.get("ACME");
            quotes.set("ACME", "42");
            quotes.get("ACME");
            quotes.get("ACME");
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("cache.gets").tags("cache", "quotes", "result", "hit").functionCounter().count())
                .isEqualTo(2);
            assertThat(registry.get("cache.gets").tags("cache", "quotes", "result", "miss").functionCounter().count())
                .isEqualTo(1);
            assertThat(registry.get("cache.puts").tags("cache", "quotes").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("cache.size").tags("cache", "quotes").gauge().value()).isEqualTo(1);
            assertThat(registry.find("cache.evictions").tags("cache", "quotes").functionCounter()).isNotNull();
        });
    }

    @Test
    void lockWaitsAreTimedByOutcomeAndHoldsByLock() {
        this.contextRunner.run((context) -> {
            SealLock lock = context.getBean("rebuild", SealLock.class);
            Permit held = lock.acquire().join();
            assertThatExceptionOfType(CompletionException.class)
                .isThrownBy(() -> lock.acquire(Duration.ofMillis(20)).join())
                .withCauseInstanceOf(LockTimeoutException.class);
            CompletableFuture<Permit> cancelled = lock.acquire();
            cancelled.cancel(false);
            held.close();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(waits(registry, "acquired")).isEqualTo(1);
            assertThat(waits(registry, "timeout")).isEqualTo(1);
            assertThat(waits(registry, "cancelled")).isEqualTo(1);
            assertThat(waits(registry, "error")).isZero();
            assertThat(registry.get("quiver.lock.held").tags("lock", "rebuild", "kind", "seal").timer().count())
                .isEqualTo(1);
        });
    }

    @Test
    void theLocksOfTheSealLocksFactoryShareOneSetOfMetersWhateverTheNumberOfNames() {
        this.contextRunner.run((context) -> {
            SealLocks locks = context.getBean(SealLocks.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            locks.get("player:0").withLock(() -> CompletableFuture.completedFuture(null)).join();
            int meters = registry.getMeters().size();
            for (int i = 1; i < 5_000; i++) {
                locks.get("player:" + i).withLock(() -> CompletableFuture.completedFuture(null)).join();
            }
            assertThat(registry.getMeters()).hasSize(meters);
            assertThat(registry.get("quiver.lock.held").tags("lock", "sealLocks", "kind", "seal").timer().count())
                .isEqualTo(5_000);
            assertThat(registry.get("quiver.lock.wait")
                .tags("lock", "sealLocks", "kind", "seal", "outcome", "acquired")
                .timer()
                .count()).isEqualTo(5_000);
        });
    }

    @Test
    void dictReadsAreCountedByHitOrDefaultAndWritesBySet() {
        this.contextRunner.withBean("greetingsDefault", DictDefault.class,
                () -> DictDefault.of("greetings", (key) -> "hello " + key))
            .run((context) -> {
                @SuppressWarnings("unchecked")
                MultiDefaultDict<String, Object> greetings = context.getBean("greetings", MultiDefaultDict.class);
                greetings.get("ann");
                greetings.get("ann");
                greetings.set("bob", "hi");
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("quiver.dict.gets").tags("dict", "greetings", "result", "hit").counter()
                    .count()).isEqualTo(1);
                assertThat(registry.get("quiver.dict.gets").tags("dict", "greetings", "result", "default").counter()
                    .count()).isEqualTo(1);
                assertThat(registry.get("quiver.dict.sets").tags("dict", "greetings").counter().count())
                    .isEqualTo(1);
            });
    }

    @Test
    void withBootsObservationsTheLockTimersComeFromTheMeterHandlerWithTheDocumentedTags() {
        this.contextRunner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
            .run((context) -> {
                SealLock lock = context.getBean("rebuild", SealLock.class);
                Permit held = lock.acquire().join();
                assertThatExceptionOfType(CompletionException.class)
                    .isThrownBy(() -> lock.acquire(Duration.ofMillis(20)).join())
                    .withCauseInstanceOf(LockTimeoutException.class);
                held.close();
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(waits(registry, "acquired")).isEqualTo(1);
                assertThat(waits(registry, "timeout")).isEqualTo(1);
                assertThat(registry.find("quiver.lock.wait").timers())
                    .allSatisfy((timer) -> assertThat(tagKeys(timer))
                        .containsExactlyInAnyOrder("lock", "kind", "outcome"));
                Timer heldTimer = registry.get("quiver.lock.held").tags("lock", "rebuild", "kind", "seal").timer();
                assertThat(heldTimer.count()).isEqualTo(1);
                assertThat(tagKeys(heldTimer)).containsExactlyInAnyOrder("lock", "kind");
                assertThat(registry.get("quiver.lock.held.active").longTaskTimer().activeTasks()).isZero();
            });
    }

    @Test
    void withBootsObservationsDictBatchesAreTimedByDictAndOperation() {
        this.contextRunner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
            .withBean("greetingsDefault", DictDefault.class,
                    () -> DictDefault.of("greetings", (key) -> "hello " + key))
            .run((context) -> {
                @SuppressWarnings("unchecked")
                MultiDefaultDict<String, Object> greetings = context.getBean("greetings", MultiDefaultDict.class);
                greetings.mget(List.of("ann", "bob"));
                greetings.mset(Map.of("cid", "hi"));
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get(DictObservations.BATCH).tags("dict", "greetings", "operation", "mget").timer()
                    .count()).isEqualTo(1);
                assertThat(registry.get(DictObservations.BATCH).tags("dict", "greetings", "operation", "mset").timer()
                    .count()).isEqualTo(1);
                assertThat(registry.get("quiver.dict.gets").tags("dict", "greetings", "result", "default").counter()
                    .count()).isEqualTo(2);
            });
    }

    @Test
    void noMetersAreBoundWhenQuiverMetricsAreDisabled() {
        this.contextRunner.withPropertyValues("quiver.metrics.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(QuiverMeterBinder.class);
            context.getBean("rebuild", SealLock.class).acquire().join().close();
            assertThat(context.getBean(MeterRegistry.class).find("quiver.lock.wait").timers()).isEmpty();
        });
    }

    @Test
    void quiverBacksOffWithoutAMeterRegistry() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(QuiverAutoConfiguration.class,
                    QuiverMetricsAutoConfiguration.class))
            .run((context) -> assertThat(context).doesNotHaveBean(QuiverMeterBinder.class));
    }

    private static List<String> tagKeys(Timer timer) {
        return timer.getId().getTags().stream().map(Tag::getKey).toList();
    }

    private static double waits(MeterRegistry registry, String outcome) {
        return registry.get("quiver.lock.wait")
            .tags("lock", "rebuild", "kind", "seal", "outcome", outcome)
            .timer()
            .count();
    }
}
