package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.RedisLock;
import dev.quiver.locks.RedisLocks;
import dev.quiver.objects.ArrowCache;
import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that Quiver's beans run their asynchronous work on Spring Boot's {@code applicationTaskExecutor} (virtual
 * threads when they are enabled), and that builder customizer beans change an executor or a setting.
 */
@RedisTest
class QuiverTaskExecutionTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class, QuiverAutoConfiguration.class,
                QuiverRedisAutoConfiguration.class))
        .withPropertyValues("quiver.redis-locks.names=report");

    @Test
    void lockContinuationsRunOnTheApplicationTaskExecutor(RedisEndpoint redis) {
        this.contextRunner.withPropertyValues("spring.data.redis.url=" + redis.url()).run((context) -> {
            assertThat(continuationThread(context, context.getBean("report", RedisLock.class)).getName())
                .startsWith("task-");
            assertThat(continuationThread(context, context.getBean(RedisLocks.class).get("invoice-1")).getName())
                .startsWith("task-");
        });
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void lockContinuationsRunOnVirtualThreadsWhenBootsAreEnabled(RedisEndpoint redis) {
        this.contextRunner
            .withPropertyValues("spring.data.redis.url=" + redis.url(), "spring.threads.virtual.enabled=true")
            .run((context) -> {
                assertThat(isVirtual(continuationThread(context, context.getBean("report", RedisLock.class))))
                    .isTrue();
                RedisLock invoice = context.getBean(RedisLocks.class).get("invoice-1");
                assertThat(isVirtual(continuationThread(context, invoice))).isTrue();
            });
    }

    @Test
    void aCustomizerBeanChangesTheExecutorAndSettingsOfEveryRedisLock(RedisEndpoint redis) {
        Executor custom = threadsNamed("custom-lock-");
        this.contextRunner.withPropertyValues("spring.data.redis.url=" + redis.url())
            .withBean(RedisLockBuilderCustomizer.class, () -> (name, builder) -> {
                builder.executor(custom);
                if (name.equals("report")) {
                    builder.leaseRenewal(true);
                }
            })
            .run((context) -> {
                RedisLock report = context.getBean("report", RedisLock.class);
                RedisLock invoice = context.getBean(RedisLocks.class).get("invoice-1");
                assertThat(continuationThread(context, report).getName()).startsWith("custom-lock-");
                assertThat(continuationThread(context, invoice).getName()).startsWith("custom-lock-");
                assertThat(report.settings().leaseRenewal()).isTrue();
                assertThat(invoice.settings().leaseRenewal()).isFalse();
            });
    }

    @Test
    void cachesReloadOnTheApplicationTaskExecutorAndACustomizerMayGiveThemATicker(RedisEndpoint redis) {
        AtomicLong nanos = new AtomicLong();
        this.contextRunner
            .withPropertyValues("spring.data.redis.url=" + redis.url(), "quiver.caches.names=quotes",
                    "quiver.caches.refresh-after=1m")
            .withBean(ArrowCacheBuilderCustomizer.class, () -> (name, builder) -> builder.ticker(nanos::get))
            .run((context) -> {
                @SuppressWarnings("unchecked")
                ArrowCache<String, String> quotes = context.getBean("quotes", ArrowCache.class);
                quotes.set("ACME", "first");
                nanos.addAndGet(Duration.ofMinutes(2).toNanos());
                assertThat(quotes.get("ACME", (key) -> Thread.currentThread().getName())).isEqualTo("first");
                await().atMost(Duration.ofSeconds(10)).until(() -> !"first".equals(quotes.get("ACME")));
                assertThat(quotes.get("ACME")).startsWith("task-");
            });
    }

    @Test
    void aCustomizerBeanChangesTheExecutorOfRedisDicts(RedisEndpoint redis) {
        this.contextRunner
            .withPropertyValues("spring.data.redis.url=" + redis.url(),
                    "quiver.dicts.instances.owners.value-type=java.lang.String")
            .withBean("ownersDefault", DictDefault.class,
                    () -> DictDefault.of("owners", (key) -> Thread.currentThread().getName()))
            .withBean(RedisDefaultDictBuilderCustomizer.class,
                    () -> (name, builder) -> builder.executor(threadsNamed("custom-dict-")))
            .run((context) -> {
                @SuppressWarnings("unchecked")
                RedisDefaultDict<String> owners = context.getBean("owners", RedisDefaultDict.class);
                assertThat(owners.aget("lot-1").get(10, TimeUnit.SECONDS)).startsWith("custom-dict-");
            });
    }

    /**
     * Returns the thread that ran a continuation of a wait for {@code lock}: the wait is queued behind another
     * acquisition of the same key before the continuation is chained, so the lock's executor completes it.
     */
    private static Thread continuationThread(ApplicationContext context, RedisLock lock) throws Exception {
        RedisLock holder = RedisLock.builder(context.getBean(RedisConnectionFactory.class), lock.name())
            .keyPrefix(lock.settings().keyPrefix())
            .build();
        assertThat(holder.tryAcquire()).isTrue();
        CompletableFuture<Thread> continuation = lock.acquire(Duration.ofSeconds(10)).thenApply((permit) -> {
            permit.close();
            return Thread.currentThread();
        });
        holder.release();
        return continuation.get(10, TimeUnit.SECONDS);
    }

    private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
        // Thread.isVirtual() is JDK 21 API; the main code compiles for 17
        return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    }

    private static Executor threadsNamed(String prefix) {
        return (task) -> new Thread(task, prefix + System.nanoTime()).start();
    }
}
