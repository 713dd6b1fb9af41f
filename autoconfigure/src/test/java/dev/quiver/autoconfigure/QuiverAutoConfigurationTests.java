package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

import dev.quiver.dicts.MultiDefaultDict;
import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.RedisLock;
import dev.quiver.locks.RedisLocks;
import dev.quiver.locks.SealLock;
import dev.quiver.locks.SealLocks;
import dev.quiver.objects.ArrowCache;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the local side of Quiver's auto-configuration: no Redis, so only the local beans come up.
 */
class QuiverAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(QuiverAutoConfiguration.class, QuiverRedisAutoConfiguration.class,
                QuiverMetricsAutoConfiguration.class, QuiverCacheAutoConfiguration.class));

    @Test
    void namedCachesTakeTheGroupDefaultsAndInstancesTheirOwnSettings() {
        this.contextRunner
            .withPropertyValues("quiver.caches.expiration=10m", "quiver.caches.max-entries=300",
                    "quiver.caches.names=players", "quiver.caches.instances.quotes.max-entries=5000")
            .run((context) -> {
                ArrowCache<?, ?> players = context.getBean("players", ArrowCache.class);
                ArrowCache<?, ?> quotes = context.getBean("quotes", ArrowCache.class);
                assertThat(players.expiration()).isEqualTo(Duration.ofMinutes(10));
                assertThat(players.maxEntries()).isEqualTo(300);
                assertThat(quotes.expiration()).isEqualTo(Duration.ofMinutes(10));
                assertThat(quotes.maxEntries()).isEqualTo(5000);
                assertThat(quotes.name()).isEqualTo("quotes");
            });
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRefreshAgeMakesAReadWithALoaderReloadAnOldEntryInTheBackground() {
        this.contextRunner
            .withPropertyValues("quiver.caches.names=players", "quiver.caches.instances.quotes.refresh-after=1ms",
                    "quiver.caches.instances.quotes.expiration=1h")
            .run((context) -> {
                ArrowCache<String, String> quotes = context.getBean("quotes", ArrowCache.class);
                ArrowCache<String, String> players = context.getBean("players", ArrowCache.class);
                quotes.set("k", "old");
                players.set("k", "old");
                await().atMost(Duration.ofSeconds(20))
                    .until(() -> "new".equals(quotes.get("k", (key) -> "new")));
                assertThat(players.get("k", (key) -> "new")).isEqualTo("old");
            });
    }

    @Test
    void aRefreshAgeOfZeroStopsStartUp() {
        assertFailure("quiver.caches.refresh-after=0s", "quiver.caches.refresh-after", "0", "positive duration");
    }

    @Test
    void beansAreInjectableByQualifierWithTheTypeArgumentsOfTheInjectionPoint() {
        this.contextRunner
            .withPropertyValues("quiver.caches.names=quotes", "quiver.seal-locks.names=index-rebuild",
                    "quiver.dicts.instances.greetings.store=local",
                    "quiver.dicts.instances.greetings.value-type=java.lang.String")
            .withUserConfiguration(TypedInjectionConfiguration.class)
            .run((context) -> {
                TypedConsumer consumer = context.getBean(TypedConsumer.class);
                consumer.quotes().set("ACME", new Quote("ACME", 42));
                assertThat(consumer.quotes().get("ACME").price()).isEqualTo(42);
                assertThat(consumer.lock().name()).isEqualTo("index-rebuild");
                assertThat(consumer.greetings().get("ann")).isEqualTo("hello ann");
            });
    }

    @Test
    void sealLocksTakeTheConfiguredBlockingTimeout() {
        this.contextRunner
            .withPropertyValues("quiver.seal-locks.blocking-timeout=30s", "quiver.seal-locks.names=a",
                    "quiver.seal-locks.instances.b.blocking-timeout=0s", "quiver.seal-locks.instances.c.x=1")
            .run((context) -> {
                assertThat(context.getBean("a", SealLock.class).defaultBlockingTimeout())
                    .isEqualTo(Duration.ofSeconds(30));
                assertThat(context.getBean("b", SealLock.class).defaultBlockingTimeout()).isZero();
            });
    }

    @Test
    void theSealLocksFactoryIsAlwaysThereWithTheGroupsBlockingTimeout() {
        this.contextRunner.run((context) -> assertThat(context.getBean("sealLocks", SealLocks.class)
            .defaultBlockingTimeout()).isNull());
        this.contextRunner.withPropertyValues("quiver.seal-locks.blocking-timeout=30s")
            .run((context) -> assertThat(context.getBean(SealLocks.class).get("order:1").defaultBlockingTimeout())
                .isEqualTo(Duration.ofSeconds(30)));
        this.contextRunner.withBean("mine", SealLocks.class, () -> new SealLocks(Duration.ofSeconds(1)))
            .run((context) -> assertThat(context).hasSingleBean(SealLocks.class).hasBean("mine"));
    }

    @Test
    void withoutARedisConnectionFactoryOnlyTheLocalBeansComeUp() {
        this.contextRunner
            .withPropertyValues("quiver.caches.names=players", "quiver.redis-locks.names=report",
                    "quiver.dicts.instances.scores.store=redis", "quiver.dicts.instances.local.store=local")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasBean("players").hasBean("local").hasSingleBean(SealLocks.class);
                assertThat(context).doesNotHaveBean("report").doesNotHaveBean("scores");
                assertThat(context).doesNotHaveBean(RedisLocks.class);
                assertThat(context).doesNotHaveBean(RedisLock.class).doesNotHaveBean(RedisDefaultDict.class);
            });
    }

    @Test
    void aLocalDictWithoutADefaultRefusesMissingKeys() {
        this.contextRunner.withPropertyValues("quiver.dicts.instances.greetings.store=local").run((context) -> {
            @SuppressWarnings("unchecked")
            MultiDefaultDict<String, Object> greetings = context.getBean("greetings", MultiDefaultDict.class);
            assertThatExceptionOfType(NoSuchElementException.class).isThrownBy(() -> greetings.get("ann"))
                .withMessageContaining("ann")
                .withMessageContaining("greetings");
            greetings.set("ann", "hi");
            assertThat(greetings.get("ann")).isEqualTo("hi");
        });
    }

    @Test
    void anAsyncDictDefaultIsUsedByTheLocalDict() {
        this.contextRunner.withPropertyValues("quiver.dicts.instances.lengths.store=local",
                "quiver.dicts.instances.lengths.value-type=java.lang.Integer")
            .withBean("lengthsDefault", DictDefault.class,
                    () -> DictDefault.async("lengths", (key) -> CompletableFuture.completedFuture(key.length())))
            .run((context) -> {
                @SuppressWarnings("unchecked")
                MultiDefaultDict<String, Integer> lengths = context.getBean("lengths", MultiDefaultDict.class);
                assertThat(lengths.aget("four").join()).isEqualTo(4);
            });
    }

    @Test
    void aUserDefinedBeanOfTheSameNameWins() {
        this.contextRunner.withPropertyValues("quiver.caches.names=players")
            .withUserConfiguration(UserCacheConfiguration.class)
            .run((context) -> assertThat(context.getBean("players", ArrowCache.class).maxEntries()).isEqualTo(7));
    }

    @Test
    void nothingIsCreatedWhenQuiverIsDisabled() {
        this.contextRunner.withPropertyValues("quiver.enabled=false", "quiver.caches.names=players")
            .run((context) -> {
                assertThat(context).doesNotHaveBean("players");
                assertThat(context).doesNotHaveBean(QuiverProperties.class);
                assertThat(context).doesNotHaveBean(ArrowCacheManager.class);
                assertThat(context).doesNotHaveBean(SealLocks.class);
            });
    }

    @Test
    void aNegativeDurationStopsStartUpNamingThePropertyValueAndFix() {
        assertFailure("quiver.caches.instances.quotes.expiration=-5m", "quiver.caches.instances.quotes.expiration",
                "-5m", "positive duration");
    }

    @Test
    void aZeroRedisLockTimeoutStopsStartUp() {
        assertFailure("quiver.redis-locks.timeout=0s", "quiver.redis-locks.timeout", "0", "positive duration");
    }

    @Test
    void aRedisLockDurationUnderAMillisecondStopsStartUpNamingTheProperty() {
        assertFailure("quiver.redis-locks.sleep=500us", "quiver.redis-locks.sleep", "500us", "1ms or more");
        assertFailure("quiver.redis-locks.instances.report.timeout=999us",
                "quiver.redis-locks.instances.report.timeout", "999us", "1ms or more");
    }

    @Test
    void aDictTtlUnderAMillisecondStopsStartUpNamingTheProperty() {
        assertFailure("quiver.dicts.instances.scores.ttl=10us", "quiver.dicts.instances.scores.ttl", "10us",
                "0 for no expiry");
    }

    @Test
    void aSleepLongerThanTheTimeoutStopsStartUp() {
        assertFailure("quiver.redis-locks.instances.slow.sleep=10s", "quiver.redis-locks.instances.slow.sleep",
                "10s", "shorter than timeout");
    }

    @Test
    void maxEntriesBelowOneStopsStartUp() {
        assertFailure("quiver.caches.max-entries=0", "quiver.caches.max-entries", "0", "1 or more");
    }

    @Test
    void anUnknownStoreStopsStartUp() {
        assertFailure("quiver.dicts.instances.scores.store=memcached", "quiver.dicts.instances.scores.store",
                "memcached", "'redis'");
    }

    @Test
    void anUnknownGroupStoreStopsStartUpNamingBothStores() {
        assertFailure("quiver.dicts.store=memcached", "quiver.dicts.store", "memcached", "'redis', 'local'");
    }

    @Test
    void aValueTypeNotOnTheClasspathStopsStartUp() {
        assertFailure("quiver.dicts.instances.scores.value-type=com.example.Missing",
                "quiver.dicts.instances.scores.value-type", "com.example.Missing", "fully qualified name");
    }

    @Test
    void aDurationThatDoesNotParseStopsStartUpWithQuiversAdvice() {
        assertFailure("quiver.caches.expiration=ten minutes", "quiver.caches.expiration", "ten minutes",
                "duration such as");
    }

    @Test
    void oneNameInTwoGroupsStopsStartUp() {
        this.contextRunner.withPropertyValues("quiver.caches.names=report", "quiver.seal-locks.names=report")
            .run((context) -> assertThat(analyze(context).getDescription()).contains("report")
                .contains("quiver.caches"));
    }

    @Test
    void aDictDefaultForAnUnconfiguredDictStopsStartUpNamingTheDict() {
        this.contextRunner.withPropertyValues("quiver.dicts.instances.greetings.store=local")
            .withBean("scoresDefault", DictDefault.class, () -> DictDefault.of("scores", (key) -> 0L))
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure())
                    .hasMessageContaining("'scores'")
                    .hasMessageContaining("not configured");
            });
    }

    @Test
    void aDictDefaultOfTheWrongValueTypeStopsStartUpNamingTheDict() {
        this.contextRunner
            .withPropertyValues("quiver.dicts.instances.scores.store=local",
                    "quiver.dicts.instances.scores.value-type=java.lang.Long")
            .withUserConfiguration(WrongTypeDefaultConfiguration.class)
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure())
                    .hasMessageContaining("'scores'")
                    .hasMessageContaining("java.lang.Long");
            });
    }

    private void assertFailure(String property, String name, String value, String fix) {
        this.contextRunner.withPropertyValues(property).run((context) -> {
            FailureAnalysis analysis = analyze(context);
            assertThat(analysis.getDescription()).contains(name).contains(value);
            assertThat(analysis.getAction()).contains(name).contains(fix);
        });
    }

    private static FailureAnalysis analyze(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new QuiverFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).as("Quiver's analyzer recognises %s", context.getStartupFailure()).isNotNull();
        return analysis;
    }

    record Quote(String symbol, long price) {
    }

    record TypedConsumer(ArrowCache<String, Quote> quotes, SealLock lock, MultiDefaultDict<String, String> greetings) {
    }

    @Configuration(proxyBeanMethods = false)
    static class TypedInjectionConfiguration {

        @Bean
        DictDefault<String> greetingsDefault() {
            return DictDefault.of("greetings", (key) -> "hello " + key);
        }

        @Bean
        TypedConsumer typedConsumer(@Qualifier("quotes") ArrowCache<String, Quote> quotes,
                @Qualifier("index-rebuild") SealLock lock,
                @Qualifier("greetings") MultiDefaultDict<String, String> greetings) {
            return new TypedConsumer(quotes, lock, greetings);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserCacheConfiguration {

        @Bean
        ArrowCache<String, String> players() {
            return new ArrowCache<>(Duration.ofMinutes(1), 7);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WrongTypeDefaultConfiguration {

        @Bean
        DictDefault<String> scoresDefault() {
            return DictDefault.of("scores", (key) -> "zero");
        }
    }
}
