package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.quiver.dicts.MultiDefaultDict;
import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.Permit;
import dev.quiver.locks.RedisLock;
import dev.quiver.locks.RedisLocks;
import dev.quiver.locks.SealLock;
import dev.quiver.objects.ArrowCache;
import dev.quiver.testsupport.SharedRedis;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for Quiver's auto-configuration processed ahead of time, as Spring Boot does before a GraalVM native image
 * or an AOT-optimised start: the bean definitions are written as code, compiled, and the compiled context is run
 * against a real Redis.
 */
@CompileWithForkedClassLoader
class QuiverAutoConfigurationAotTests {

    private static final String[] PROPERTIES = { "quiver.caches.names=players",
            "quiver.caches.instances.quotes.max-entries=5000", "quiver.seal-locks.names=rebuild",
            "quiver.seal-locks.instances.index.blocking-timeout=2s", "quiver.redis-locks.key-prefix=aot:lock:",
            "quiver.redis-locks.names=report", "quiver.redis-locks.instances.nightly.timeout=30s",
            "quiver.dicts.instances.scores.value-type=java.lang.Long", "quiver.dicts.instances.scores.prefix=aot:s:",
            "quiver.dicts.instances.players-by-id.value-type=" + Player.class.getName(),
            "quiver.dicts.instances.greetings.store=local",
            "quiver.dicts.instances.greetings.value-type=java.lang.String" };

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
                MetricsAutoConfiguration.class, QuiverAutoConfiguration.class, QuiverRedisAutoConfiguration.class,
                QuiverMetricsAutoConfiguration.class, QuiverCacheAutoConfiguration.class,
                CacheAutoConfiguration.class))
        .withUserConfiguration(ApplicationConfiguration.class);

    @Test
    void everyKindOfNamedBeanIsProcessedAheadOfTimeAndTheProcessedContextRuns() {
        String redisUrl = "spring.data.redis.url=" + SharedRedis.endpoint().url();
        this.contextRunner.withPropertyValues(PROPERTIES).withPropertyValues(redisUrl).prepare((context) -> {
            TestGenerationContext generationContext = new TestGenerationContext();
            ClassName className = new ApplicationContextAotGenerator().processAheadOfTime(
                    (GenericApplicationContext) context.getSourceApplicationContext(), generationContext);
            generationContext.writeGeneratedContent();
            assertThat(RuntimeHintsPredicates.resource().forResource("dev/quiver/locks/release.lua"))
                .accepts(generationContext.getRuntimeHints());
            assertThat(RuntimeHintsPredicates.reflection().onType(Player.class))
                .accepts(generationContext.getRuntimeHints());
            TestCompiler.forSystem().with(generationContext).compile((compiled) -> {
                try (GenericApplicationContext processed = new GenericApplicationContext()) {
                    // the same beans, and one value changed since the build: settings are read at start-up
                    TestPropertyValues.of(PROPERTIES)
                        .and(redisUrl, "quiver.caches.instances.quotes.max-entries=7")
                        .applyTo(processed);
                    @SuppressWarnings("unchecked")
                    ApplicationContextInitializer<GenericApplicationContext> initializer = compiled
                        .getInstance(ApplicationContextInitializer.class, className.toString());
                    initializer.initialize(processed);
                    processed.refresh();
                    assertThatTheBeansWork(processed);
                }
            });
        });
    }

    @SuppressWarnings("unchecked")
    private void assertThatTheBeansWork(GenericApplicationContext context) {
        ArrowCache<String, String> players = context.getBean("players", ArrowCache.class);
        players.set("ann", "Ann");
        assertThat(players.get("ann")).isEqualTo("Ann");
        assertThat(context.getBean("quotes", ArrowCache.class).maxEntries()).isEqualTo(7);
        assertThat(context.getBean(CacheManager.class)).isInstanceOf(ArrowCacheManager.class);
        assertThat(context.getBean(CacheManager.class).getCache("players").getNativeCache()).isSameAs(players);
        assertThat(context.getBean("index", SealLock.class).defaultBlockingTimeout()).isEqualTo(Duration.ofSeconds(2));
        try (Permit permit = context.getBean("rebuild", SealLock.class).acquire().join()) {
            assertThat(context.getBean("rebuild", SealLock.class).isLocked()).isTrue();
        }
        RedisLock nightly = context.getBean("nightly", RedisLock.class);
        assertThat(nightly.settings().timeout()).isEqualTo(Duration.ofSeconds(30));
        try (Permit permit = context.getBean("report", RedisLock.class).acquire().join()) {
            assertThat(context.getBean("report", RedisLock.class).isLocked()).isTrue();
        }
        assertThat(context.getBean(RedisLocks.class).get("order-1").key()).isEqualTo("aot:lock:order-1");
        RedisDefaultDict<Long> scores = context.getBean("scores", RedisDefaultDict.class);
        assertThat(scores.get("aot-missing")).isEqualTo(0L);
        assertThat(scores.aget("aot-missing").join()).isEqualTo(0L);
        RedisDefaultDict<Player> playersById = context.getBean("players-by-id", RedisDefaultDict.class);
        playersById.set("p1", new Player("Ann", 3));
        assertThat(playersById.get("p1")).isEqualTo(new Player("Ann", 3));
        MultiDefaultDict<String, String> greetings = context.getBean("greetings", MultiDefaultDict.class);
        assertThat(greetings.get("bob")).isEqualTo("hi bob");
        assertThat(context.getBean(Consumer.class).players()).isSameAs(players);
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        assertThat(registry.get("cache.gets").tags("cache", "players", "result", "hit").functionCounter().count())
            .isEqualTo(1);
    }

    /**
     * A dict value type of the application's own, mapped to JSON.
     *
     * @param name the player's name
     * @param level the player's level
     */
    public record Player(String name, int level) {
    }

    /**
     * An application bean that takes a named bean by qualifier, with type arguments of its choice.
     *
     * @param players the cache
     */
    public record Consumer(ArrowCache<String, String> players) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class ApplicationConfiguration {

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        DictDefault<Long> scoresDefault() {
            return DictDefault.async("scores", (key) -> CompletableFuture.completedFuture(0L));
        }

        @Bean
        DictDefault<String> greetingsDefault() {
            return DictDefault.of("greetings", (key) -> "hi " + key);
        }

        @Bean
        Consumer consumer(@Qualifier("players") ArrowCache<String, String> players) {
            return new Consumer(players);
        }
    }
}
