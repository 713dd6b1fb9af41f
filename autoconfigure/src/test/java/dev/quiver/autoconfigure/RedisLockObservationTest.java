package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.tracing.LettuceObservationContext;
import io.lettuce.core.tracing.MicrometerTracing;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;

import dev.quiver.locks.Permit;
import dev.quiver.locks.RedisLock;
import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that a tracing application sees a {@link RedisLock}'s wait around the Redis commands the lock sends for it:
 * the lock's client is Lettuce with Micrometer tracing, as Spring Boot configures it when the application has an
 * observation registry, so every command is an observation of its own whose parent is the one current when it was
 * sent.
 */
@RedisTest
class RedisLockObservationTest {

    private final TestObservationRegistry registry = TestObservationRegistry.create();

    private final ObservationRecorder recorder = new ObservationRecorder();

    private ClientResources resources;

    private LettuceConnectionFactory traced;

    private LettuceConnectionFactory other;

    private RedisEndpoint redis;

    @BeforeEach
    void setUp(RedisEndpoint redis) {
        this.redis = redis;
        this.registry.observationConfig().observationHandler(this.recorder);
        ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor("request"));
        this.resources = ClientResources.builder().tracing(new MicrometerTracing(this.registry, "quiver-test")).build();
        this.traced = redis.newConnectionFactory(LettuceClientConfiguration.builder()
            .clientResources(this.resources)
            .commandTimeout(Duration.ofSeconds(5))
            .build());
        this.other = redis.newConnectionFactory();
    }

    @AfterEach
    void tearDown() {
        ContextRegistry.getInstance().removeThreadLocalAccessor(Slf4jThreadLocalAccessor.KEY);
        this.traced.destroy();
        this.other.destroy();
        this.resources.shutdown(0, 5, TimeUnit.SECONDS);
    }

    @Test
    void theRedisCommandsOfAWaitAreChildrenOfTheWaitWhichIsAChildOfTheCaller() {
        RedisLock lock = connectedLock();
        Observation request = Observation.start("request", this.registry);
        inScopeOf(request, () -> lock.acquire().join()).close();
        request.stop();
        Observation.Context wait = onlyWaitUnder(request);
        assertThat(wait.getLowCardinalityKeyValue("lock").getValue()).isEqualTo("orders");
        assertThat(wait.getLowCardinalityKeyValue("kind").getValue()).isEqualTo("redis");
        assertThat(wait.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("acquired");
        List<Observation.Context> commands = this.recorder.childrenOf(wait);
        assertThat(commands).isNotEmpty().allMatch(LettuceObservationContext.class::isInstance);
    }

    @Test
    void theRetriesOfAWaitThatQueuedAreChildrenOfTheWaitToo() throws Exception {
        RedisLock lock = connectedLock();
        RedisLock holder = holdFromAnotherClient();
        Observation request = Observation.start("request", this.registry);
        CompletableFuture<Permit> waiting = inScopeOf(request, () -> lock.acquire(Duration.ofSeconds(10)));
        // the first try found the lock taken: the waiter subscribed to the lock's release channel
        await().atMost(Duration.ofSeconds(10)).until(() -> this.redis.subscribers(lock.key()) == 1);
        int sentBeforeRelease = commandsUnder(request);
        holder.release();
        waiting.get(10, TimeUnit.SECONDS).close();
        request.stop();
        assertThat(commandsUnder(request)).isGreaterThan(sentBeforeRelease);
    }

    @Test
    void continuationsOfAWaitRunInTheCallersContextOnTheLocksExecutor() throws Exception {
        RedisLock lock = connectedLock();
        RedisLock holder = holdFromAnotherClient();
        Observation request = Observation.start("request", this.registry);
        CompletableFuture<List<Object>> seen;
        MDC.put("request", "r-7");
        try {
            seen = inScopeOf(request, () -> lock.acquire(Duration.ofSeconds(10)).thenApply((permit) -> {
                permit.close();
                return List.of(MDC.get("request"), this.registry.getCurrentObservation(),
                        Thread.currentThread().getName());
            }));
        }
        finally {
            MDC.remove("request");
        }
        holder.release();
        List<Object> inContinuation = seen.get(10, TimeUnit.SECONDS);
        request.stop();
        assertThat(inContinuation.get(0)).isEqualTo("r-7");
        assertThat(inContinuation.get(1)).isSameAs(request);
        assertThat((String) inContinuation.get(2)).startsWith("lock-executor-");
    }

    /**
     * Builds the traced lock and opens its connection, so that every command of the test is sent from the thread
     * that asks (the assertions look only at observations under the test's own request).
     */
    private RedisLock connectedLock() {
        RedisLock lock = RedisLock.builder(this.traced, "orders")
            .observer(new LockObservations(this.registry, "orders", "redis"))
            .executor((task) -> {
                Thread thread = new Thread(task, "lock-executor-" + System.nanoTime());
                thread.start();
            })
            .build();
        lock.acquire().join().close();
        return lock;
    }

    /** Calls {@code call} with {@code request} as the current observation, as code serving a request would. */
    private static <T> T inScopeOf(Observation request, Supplier<T> call) {
        try (Observation.Scope scope = request.openScope()) {
            return call.get();
        }
    }

    /**
     * Takes the lock from another client, so that a wait of the traced one queues and tries again on its release
     * (within one client the release would hand the lock over itself).
     */
    private RedisLock holdFromAnotherClient() {
        RedisLock holder = RedisLock.builder(this.other, "orders").build();
        assertThat(holder.tryAcquire()).isTrue();
        return holder;
    }

    private Observation.Context onlyWaitUnder(Observation request) {
        List<Observation.Context> waits = this.recorder.childrenOf(request.getContext()).stream()
            .filter((context) -> LockObservations.WAIT.equals(context.getName()))
            .toList();
        assertThat(waits).hasSize(1);
        return waits.get(0);
    }

    private int commandsUnder(Observation request) {
        return this.recorder.childrenOf(request.getContext()).stream()
            .filter((context) -> LockObservations.WAIT.equals(context.getName()))
            .mapToInt((wait) -> this.recorder.childrenOf(wait).size())
            .sum();
    }
}
