package dev.quiver.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.quiver.dicts.DefaultDict;
import dev.quiver.dicts.MultiDefaultDict;
import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.Permit;
import dev.quiver.locks.RedisLock;
import dev.quiver.locks.RedisLocks;
import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the Redis side of Quiver's auto-configuration, against a real Redis.
 */
@RedisTest
class QuiverRedisAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
                QuiverAutoConfiguration.class, QuiverRedisAutoConfiguration.class));

    @Test
    void namedRedisLocksTakeTheGroupDefaultsAndInstancesTheirOwn(RedisEndpoint redis) {
        this.contextRunner
            .withPropertyValues("spring.data.redis.url=" + redis.url(), "quiver.redis-locks.key-prefix=app:lock:",
                    "quiver.redis-locks.timeout=7s", "quiver.redis-locks.names=report",
                    "quiver.redis-locks.instances.nightly-report.timeout=30s")
            .run((context) -> {
                RedisLock report = context.getBean("report", RedisLock.class);
                RedisLock nightly = context.getBean("nightly-report", RedisLock.class);
                assertThat(report.key()).isEqualTo("app:lock:report");
                assertThat(report.settings().timeout()).isEqualTo(Duration.ofSeconds(7));
                assertThat(nightly.settings().timeout()).isEqualTo(Duration.ofSeconds(30));
                assertThat(nightly.settings().keyPrefix()).isEqualTo("app:lock:");
                try (Permit permit = nightly.acquire().join()) {
                    StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
                    assertThat(template.getExpire("app:lock:nightly-report")).isBetween(25L, 30L);
                }
                assertThat(nightly.isLocked()).isFalse();
            });
    }

    @Test
    void theLocksOfTheRedisLocksFactoryShareOneSetOfMetersWhateverTheNumberOfNames(RedisEndpoint redis) {
        this.contextRunner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                QuiverMetricsAutoConfiguration.class))
            .withBean(SimpleMeterRegistry.class)
            .withPropertyValues("spring.data.redis.url=" + redis.url())
            .run((context) -> {
                RedisLocks locks = context.getBean(RedisLocks.class);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                locks.get("invoice:0").withLock(() -> CompletableFuture.completedFuture(null)).join();
                int meters = registry.getMeters().size();
                List<CompletableFuture<Object>> all = new ArrayList<>();
                for (int i = 1; i < 2_000; i++) {
                    all.add(locks.get("invoice:" + i).withLock(() -> CompletableFuture.completedFuture(null)));
                }
                all.forEach(CompletableFuture::join);
                assertThat(registry.getMeters()).hasSize(meters);
                assertThat(registry.get("quiver.lock.held").tags("lock", "redisLocks", "kind", "redis").timer()
                    .count()).isEqualTo(2_000);
                assertThat(locks.counts().held()).isZero();
            });
    }

    @Test
    void theRedisLocksFactoryHandsOutLocksWithTheGroupDefaults(RedisEndpoint redis) {
        this.contextRunner
            .withPropertyValues("spring.data.redis.url=" + redis.url(), "quiver.redis-locks.blocking-timeout=3s",
                    "quiver.redis-locks.thread-local=true")
            .run((context) -> {
                RedisLock lock = context.getBean(RedisLocks.class).get("invoice-42");
                assertThat(lock.settings().blockingTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(lock.settings().threadLocal()).isTrue();
                assertThat(lock.key()).isEqualTo("quiver:lock:invoice-42");
            });
    }

    @Test
    void leaseRenewalIsSetForTheGroupAndPerInstance(RedisEndpoint redis) {
        this.contextRunner
            .withPropertyValues("spring.data.redis.url=" + redis.url(), "quiver.redis-locks.lease-renewal=true",
                    "quiver.redis-locks.names=report", "quiver.redis-locks.instances.quick.lease-renewal=false")
            .run((context) -> {
                assertThat(context.getBean(RedisLocks.class).get("invoice-42").settings().leaseRenewal()).isTrue();
                assertThat(context.getBean("report", RedisLock.class).settings().leaseRenewal()).isTrue();
                assertThat(context.getBean("quick", RedisLock.class).settings().leaseRenewal()).isFalse();
            });
    }

    @Test
    void aRedisDictStoresJsonUnderItsPrefixAndUsesItsDictDefault(RedisEndpoint redis) {
        this.contextRunner
            .withPropertyValues("spring.data.redis.url=" + redis.url(),
                    "quiver.dicts.instances.scores.value-type=java.lang.Long",
                    "quiver.dicts.instances.scores.ttl=1h", "quiver.dicts.names=profiles")
            .withUserConfiguration(ScoresConfiguration.class)
            .run((context) -> {
                ScoresUser user = context.getBean(ScoresUser.class);
                assertThat(user.scores().mget(List.of("ann", "bob"))).containsExactly(0L, 0L);
                user.scores().set("ann", 12L);
                StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
                assertThat(template.opsForValue().get("scores:ann")).isEqualTo("12");
                assertThat(template.getExpire("scores:ann")).isBetween(3500L, 3600L);
                RedisDefaultDict<?> profiles = context.getBean("profiles", RedisDefaultDict.class);
                assertThat(profiles.prefix()).isEqualTo("profiles:");
            });
    }

    @Test
    void aRedisDictHoldsRecordsAsJsonThroughTheApplicationsMapper(RedisEndpoint redis) {
        this.contextRunner
            .withPropertyValues("spring.data.redis.url=" + redis.url(),
                    "quiver.dicts.instances.players.value-type=" + Player.class.getName())
            .run((context) -> {
                @SuppressWarnings("unchecked")
                RedisDefaultDict<Player> players = context.getBean("players", RedisDefaultDict.class);
                players.mset(Map.of("p1", new Player("Ann", 3)));
                assertThat(players.get("p1")).isEqualTo(new Player("Ann", 3));
                byte[] raw = context.getBean(StringRedisTemplate.class)
                    .execute((org.springframework.data.redis.core.RedisCallback<byte[]>) (connection) -> connection
                        .stringCommands()
                        .get("players:p1".getBytes(StandardCharsets.UTF_8)));
                assertThat(new String(raw, StandardCharsets.UTF_8)).contains("\"name\":\"Ann\"");
            });
    }

    @Test
    void aDefaultDictInjectionPointTakesARedisDict(RedisEndpoint redis) {
        assertDefaultDictInjected(redis, "redis", RedisDefaultDict.class);
    }

    @Test
    void theSameDefaultDictInjectionPointTakesALocalDict(RedisEndpoint redis) {
        assertDefaultDictInjected(redis, "local", MultiDefaultDict.class);
    }

    private void assertDefaultDictInjected(RedisEndpoint redis, String store, Class<?> expectedType) {
        this.contextRunner
            .withPropertyValues("spring.data.redis.url=" + redis.url(), "quiver.dicts.instances.scores.store=" + store,
                    "quiver.dicts.instances.scores.prefix=injection-" + store + ":",
                    "quiver.dicts.instances.scores.value-type=java.lang.Long")
            .withUserConfiguration(DefaultDictConfiguration.class)
            .run((context) -> {
                DefaultDict<String, Long> scores = context.getBean(DefaultDictUser.class).scores();
                assertThat(scores).isInstanceOf(expectedType).isSameAs(context.getBean("scores"));
                scores.set("ann", 12L);
                assertThat(scores.mget(List.of("ann", "bob"))).containsExactly(12L, 0L);
                assertThat(scores.aget("cat").join()).isZero();
                assertThat(scores.size()).isEqualTo(3);
                assertThat(scores.remove("ann")).isTrue();
            });
    }

    @Test
    void aUserDefinedRedisLocksWins(RedisEndpoint redis) {
        this.contextRunner.withPropertyValues("spring.data.redis.url=" + redis.url())
            .withUserConfiguration(UserRedisLocksConfiguration.class)
            .run((context) -> assertThat(context.getBean(RedisLocks.class).settings().keyPrefix())
                .isEqualTo("mine:"));
    }

    record Player(String name, int level) {
    }

    record ScoresUser(RedisDefaultDict<Long> scores) {
    }

    @Configuration(proxyBeanMethods = false)
    static class ScoresDefaultConfiguration {

        @Bean
        DictDefault<Long> scoresDefault() {
            return DictDefault.of("scores", (key) -> 0L);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import(ScoresDefaultConfiguration.class)
    static class ScoresConfiguration {

        @Bean
        ScoresUser scoresUser(@Qualifier("scores") RedisDefaultDict<Long> scores) {
            return new ScoresUser(scores);
        }
    }

    record DefaultDictUser(DefaultDict<String, Long> scores) {
    }

    @Configuration(proxyBeanMethods = false)
    @Import(ScoresDefaultConfiguration.class)
    static class DefaultDictConfiguration {

        @Bean
        DefaultDictUser defaultDictUser(@Qualifier("scores") DefaultDict<String, Long> scores) {
            return new DefaultDictUser(scores);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRedisLocksConfiguration {

        @Bean
        RedisLocks redisLocks(org.springframework.data.redis.connection.RedisConnectionFactory factory) {
            return new RedisLocks(factory, dev.quiver.locks.RedisLockSettings.defaults().withKeyPrefix("mine:"));
        }
    }
}
